"""What the counter tells the pharmacist while the worker renders a handout."""

from typing import Any

from django.urls import reverse

from screening.models import Handout

HANDOUT_STATUS_TEXT = {
    Handout.Status.QUEUED: "Waiting for the handout printer…",
    Handout.Status.RUNNING: "Writing the handout…",
    Handout.Status.READY: "The handout is ready.",
    Handout.Status.FAILED: "The handout could not be made. Try again, or print the results page.",
}


PURGED_TEXT = "This handout was deleted after the retention period. Make a new one."


def handout_status_text(handout: Handout) -> str:
    if handout.purged:
        return PURGED_TEXT
    return HANDOUT_STATUS_TEXT.get(handout.status, handout.status)


def handout_is_pending(handout: Handout) -> bool:
    return handout.status in (Handout.Status.QUEUED, Handout.Status.RUNNING) and not handout.purged


def handout_pdf_url(handout: Handout) -> str:
    return reverse("api-v1:handout-pdf", args=[handout.id])


def handout_as_status(handout: Handout) -> dict[str, Any]:
    """The small JSON the counter page polls: the status in words and, when ready, the PDF."""
    ready = handout.status == Handout.Status.READY and bool(handout.pdf) and not handout.purged
    return {
        "id": str(handout.id),
        "status": "expired" if handout.purged else handout.status,
        "status_text": handout_status_text(handout),
        "language": handout.language,
        "status_url": reverse("counter:handout-status", args=[handout.id]),
        "page_url": reverse("counter:handout-detail", args=[handout.id]),
        # The API serves the file (session login works there too), scoped like everything else.
        "pdf_url": handout_pdf_url(handout) if ready else None,
    }
