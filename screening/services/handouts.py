"""Handouts as jobs: ask for one, claim it, render it, fail it, requeue lost work, purge.

The Handout row is the record of the work, whatever the broker does (a SIGKILLed worker
loses its message on the filesystem broker, and Redis gives it back only after an hour).
Every state change is a conditional UPDATE, so two deliveries of one message, or two
beat processes, never do the same work twice:

    queued --claim--> running --mark ready--> ready
                         |--fail (error, time limit, out of attempts)--> failed
                         |--transient error: release, retry later--> queued
                         '--lease expired (worker died): sweep--> queued, sent again
    failed --asked for again--> queued
"""

import datetime
import logging
import time
import uuid
from dataclasses import dataclass
from functools import partial

from celery import current_app
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from screening.handouts.content import Pharmacy as PharmacyDetails
from screening.handouts.content import build_handout_content
from screening.handouts.html_rendering import render_html
from screening.handouts.paper import PAPER_SIZES, default_paper
from screening.handouts.pdf_rendering import render_pdf
from screening.handouts.readability import readability
from screening.models import Handout, Screening
from screening.selectors.handouts import (
    REUSABLE_STATUSES,
    expired_handouts,
    handout_latest_for,
    stalled_handouts,
)
from screening.services.screenings import screening_result

logger = logging.getLogger(__name__)

RENDER_HANDOUT_TASK = "screening.render_handout"
PDF_FILE_NAME = "handout.pdf"
HTML_FILE_NAME = "handout.html"
STALLED_BATCH_SIZE = 200


@dataclass(frozen=True)
class HandoutClaim:
    """Proof that one worker holds one attempt at a handout; every later write checks it."""

    handout_id: uuid.UUID
    worker: str
    attempt: int


def lease_seconds() -> int:
    return settings.HANDOUT_LEASE_SECONDS


def max_attempts() -> int:
    return settings.HANDOUT_MAX_ATTEMPTS


# --- Asking for a handout ---------------------------------------------------------------


def handout_default_language(screening: Screening) -> str:
    """The patient's language from the screening result when a handout can be printed in it,
    else the site's language. Both doors (the API and the counter) ask this one function."""
    language = screening_result(screening).language
    return language if language in handout_languages() else settings.LANGUAGE_CODE


def handout_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def handout_files_available(handout: Handout) -> bool:
    """Whether the handout's files can be served: rendered, not purged, and stored."""
    return handout.status == Handout.Status.READY and bool(handout.pdf.name)


def handout_request(
    *,
    screening: Screening,
    language: str | None = None,
    patient_name: str = "",
    pharmacist_name: str = "",
    paper: str | None = None,
    new: bool = False,
    reviewed_by=None,
) -> Handout:
    """The handout of this screening in this language (default: the patient's, see
    `handout_default_language`): the existing one when it is queued, running or ready and
    prints the same names, a failed one asked for again, or a new one when there is none,
    the names changed, or ``new`` is set. The job is sent only once the transaction commits.

    Every rule about which handout a request gets lives here, inside the screening's lock,
    so the API and the counter cannot disagree and two clicks never make two handouts."""
    if paper is not None and paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {PAPER_SIZES}")
    now = timezone.now()
    with transaction.atomic():
        Screening.objects.select_for_update().only("pk").get(pk=screening.pk)
        language = language or handout_default_language(screening)
        fields = {
            "patient_name": patient_name,
            "pharmacist_name": pharmacist_name,
            "paper": paper or default_paper(language),
        }
        existing = None if new else handout_latest_for(screening=screening, language=language)
        if existing is not None and _prints_the_same(existing, fields):
            if existing.status in REUSABLE_STATUSES:
                return existing
            if existing.status == Handout.Status.FAILED:
                return _ask_again(existing, fields, now)
        handout = Handout.objects.create(
            screening=screening,
            language=language,
            enqueued_at=now,
            # The pharmacist releasing the patient-facing text, when a person asked for it.
            reviewed_by=reviewed_by if getattr(reviewed_by, "_meta", None) is not None else None,
            **fields,
        )
        _send_on_commit(handout.id)
        return handout


def _prints_the_same(handout: Handout, fields: dict[str, str]) -> bool:
    """A handout carries the names it was asked with; other names need a fresh one."""
    return (
        handout.patient_name == fields["patient_name"]
        and handout.pharmacist_name == fields["pharmacist_name"]
    )


def _ask_again(handout: Handout, fields: dict[str, str], now: datetime.datetime) -> Handout:
    Handout.objects.filter(id=handout.id, status=Handout.Status.FAILED).update(
        **fields,
        status=Handout.Status.QUEUED,
        attempts=0,
        error="",
        claimed_by="",
        lease_expires_at=None,
        started=None,
        finished=None,
        enqueued_at=now,
    )
    handout.refresh_from_db()
    _send_on_commit(handout.id)
    return handout


def _send_on_commit(handout_id: uuid.UUID) -> None:
    # A rolled-back request never enqueues; a commit always gets its message sent (or the
    # stalled-handout sweep sends it, if the broker is down right now).
    transaction.on_commit(partial(_send, handout_id))


def _send(handout_id: uuid.UUID) -> None:
    # Sent by name: this module does not import the task module (which imports this one).
    try:
        current_app.send_task(
            RENDER_HANDOUT_TASK,
            args=[str(handout_id)],
            retry=True,
            retry_policy={
                "max_retries": 2,
                "interval_start": 0,
                "interval_step": 0.5,
                "interval_max": 1,
            },
        )
    except Exception:
        logger.exception(
            "Could not send handout %s; the stalled-handout sweep will send it.", handout_id
        )


# --- Doing the work ---------------------------------------------------------------------


def handout_claim(*, handout_id, worker: str) -> HandoutClaim | None:
    """Move a queued handout (or one whose worker died) to running for this worker, or
    return None when there is nothing to do: another delivery holds it, it is done, or it
    has used up its attempts (it is then marked failed)."""
    now = timezone.now()
    claimable = Q(status=Handout.Status.QUEUED) | Q(
        status=Handout.Status.RUNNING, lease_expires_at__lt=now
    )
    candidates = Handout.objects.filter(claimable, id=handout_id, purged__isnull=True)
    claimed = candidates.filter(attempts__lt=max_attempts()).update(
        status=Handout.Status.RUNNING,
        attempts=F("attempts") + 1,
        lease_expires_at=now + datetime.timedelta(seconds=lease_seconds()),
        claimed_by=worker,
        started=now,
    )
    if not claimed:
        candidates.filter(attempts__gte=max_attempts()).update(
            status=Handout.Status.FAILED,
            error=f"Gave up after {max_attempts()} attempts.",
            finished=now,
            lease_expires_at=None,
        )
        return None
    attempt, claimed_by = (
        Handout.objects.filter(id=handout_id).values_list("attempts", "claimed_by").get()
    )
    if claimed_by != worker:
        return None
    return HandoutClaim(handout_id=uuid.UUID(str(handout_id)), worker=worker, attempt=attempt)


def _held(claim: HandoutClaim):
    return Handout.objects.filter(
        id=claim.handout_id,
        status=Handout.Status.RUNNING,
        claimed_by=claim.worker,
        attempts=claim.attempt,
    )


def handout_render(*, claim: HandoutClaim) -> bool:
    """Render the claimed handout's HTML and PDF from one content, store both files (a retry
    replaces them), and mark it ready if the claim still holds. True if it was marked."""
    started = time.perf_counter()
    timings: dict[str, int] = {}

    def lap(phase: str, since: float) -> float:
        now = time.perf_counter()
        timings[f"{phase}_ms"] = round((now - since) * 1000)
        return now

    handout = Handout.objects.select_related("screening__pharmacy").get(id=claim.handout_id)
    screening = handout.screening
    paper = handout.paper if handout.paper in PAPER_SIZES else default_paper(handout.language)
    mark = lap("load", started)
    content = build_handout_content(
        result=screening_result(screening),
        language=handout.language,
        pharmacy=PharmacyDetails(
            name=screening.pharmacy.name,
            phone=screening.pharmacy.phone,
            address=screening.pharmacy.address,
        ),
        knowledge_base_version=screening.knowledge_base_version,
        patient_name=handout.patient_name,
        pharmacist_name=handout.pharmacist_name,
        date=timezone.localdate(),
    )
    mark = lap("content", mark)
    html = render_html(content, paper=paper)
    mark = lap("html", mark)
    pdf = render_pdf(content, paper=paper)
    mark = lap("pdf", mark)
    measured = readability(content.plain_text(), language=handout.language)
    mark = lap("readability", mark)
    html_name = _store(handout, handout.html, HTML_FILE_NAME, html.encode("utf-8"))
    pdf_name = _store(handout, handout.pdf, PDF_FILE_NAME, pdf.data)
    mark = lap("storage", mark)
    timings["total_ms"] = round((mark - started) * 1000)

    marked = _held(claim).update(
        status=Handout.Status.READY,
        html=html_name,
        pdf=pdf_name,
        paper=paper,
        readability_grade=measured.grade if measured else None,
        readability_formula=measured.formula if measured else "",
        readability_score=measured.score if measured else None,
        page_count=pdf.page_count,
        timings=timings,
        error="",
        lease_expires_at=None,
        finished=timezone.now(),
    )
    if not marked:
        logger.warning(
            "Handout %s: claim %s lost before it was marked ready.", claim.handout_id, claim
        )
    return bool(marked)


def _store(handout: Handout, field_file: FieldFile, file_name: str, data: bytes) -> str:
    """Save under the handout's fixed name, replacing what an earlier attempt left."""
    name = field_file.field.generate_filename(handout, file_name)
    field_file.storage.delete(name)
    field_file.save(file_name, ContentFile(data), save=False)
    return field_file.name


def handout_fail(*, claim: HandoutClaim, reason: str) -> bool:
    """Mark the claimed handout failed with the reason, and remove any half-written files."""
    failed = _held(claim).update(
        status=Handout.Status.FAILED,
        error=reason[:2000],
        lease_expires_at=None,
        finished=timezone.now(),
    )
    if failed:
        _delete_files(Handout.objects.get(id=claim.handout_id))
    return bool(failed)


def handout_release(*, claim: HandoutClaim) -> bool:
    """Give the claimed handout back to the queue (a retry is on its way)."""
    now = timezone.now()
    return bool(
        _held(claim).update(status=Handout.Status.QUEUED, lease_expires_at=None, enqueued_at=now)
    )


def _delete_files(handout: Handout) -> None:
    """The recorded files and whatever an unfinished attempt left under the fixed names."""
    for field_file, file_name in ((handout.pdf, PDF_FILE_NAME), (handout.html, HTML_FILE_NAME)):
        for name in {field_file.name, field_file.field.generate_filename(handout, file_name)}:
            if name:
                field_file.storage.delete(name)


# --- Periodic jobs ----------------------------------------------------------------------


def handouts_requeue_stalled(*, now: datetime.datetime | None = None) -> list[uuid.UUID]:
    """Send again the work a broker lost: handouts queued for longer than a lease, and
    running ones whose lease expired (their worker died). Each is moved with a
    compare-and-set on its state, so two sweeps at once send it once. Handouts out of
    attempts are marked failed instead. Returns the ids sent."""
    now = now or timezone.now()
    stall_before = now - datetime.timedelta(seconds=lease_seconds())
    sent = []
    stalled = stalled_handouts(now=now, stall_before=stall_before).values(
        "id", "status", "attempts", "enqueued_at", "lease_expires_at"
    )
    for row in stalled[:STALLED_BATCH_SIZE]:
        unchanged = Handout.objects.filter(
            id=row["id"],
            status=row["status"],
            attempts=row["attempts"],
            enqueued_at=row["enqueued_at"],
            lease_expires_at=row["lease_expires_at"],
        )
        if row["attempts"] >= max_attempts():
            unchanged.update(
                status=Handout.Status.FAILED,
                error=f"Gave up after {row['attempts']} attempts.",
                lease_expires_at=None,
                finished=now,
            )
            continue
        with transaction.atomic():
            moved = unchanged.update(
                status=Handout.Status.QUEUED, lease_expires_at=None, enqueued_at=now
            )
            if moved:
                _send_on_commit(row["id"])
                sent.append(row["id"])
    if sent:
        logger.info("Requeued %d stalled handout(s): %s", len(sent), ", ".join(map(str, sent)))
    return sent


def handouts_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Past HANDOUT_RETENTION_DAYS, delete a handout's files and its patient name. The row
    (and the screening) stay, with ``purged`` set and the status ``expired``."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.HANDOUT_RETENTION_DAYS)
    purged = 0
    for handout in expired_handouts(created_before=cutoff).iterator():
        # Files first: a row marked purged must never leave a file behind.
        _delete_files(handout)
        purged += (
            Handout.objects.filter(id=handout.id, purged__isnull=True)
            .exclude(status=Handout.Status.RUNNING)
            .update(pdf="", html="", patient_name="", purged=now, status=Handout.Status.EXPIRED)
        )
    return purged
