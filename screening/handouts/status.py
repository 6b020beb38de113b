"""What the counter tells the pharmacist while the worker renders a handout."""

from typing import Any

from django.urls import reverse

from screening.models import Handout
from screening.services.handouts import handout_files_available

HANDOUT_STATUS_TEXT = {
    Handout.Status.QUEUED: "Waiting for the handout printer…",
    Handout.Status.RUNNING: "Writing the handout…",
    Handout.Status.READY: "The handout is ready.",
    Handout.Status.FAILED: "The handout could not be made. Try again, or print the results page.",
    Handout.Status.EXPIRED: "This handout was deleted after the retention period. Make a new one.",
}


def handout_status_text(handout: Handout) -> str:
    return HANDOUT_STATUS_TEXT.get(handout.status, handout.get_status_display())


def handout_is_pending(handout: Handout) -> bool:
    return handout.status in (Handout.Status.QUEUED, Handout.Status.RUNNING)


def handout_as_status(handout: Handout) -> dict[str, Any]:
    """The small JSON the counter page polls: the status in words and, when ready, the PDF."""
    return {
        "id": str(handout.id),
        "status": handout.status,
        "status_text": handout_status_text(handout),
        "language": handout.language,
        "status_url": reverse("counter:handout-status", args=[handout.id]),
        "page_url": reverse("counter:handout-detail", args=[handout.id]),
        # The API serves the file (session login works there too), scoped like everything else.
        "pdf_url": reverse("api-v1:handout-pdf", args=[handout.id])
        if handout_files_available(handout)
        else None,
    }
