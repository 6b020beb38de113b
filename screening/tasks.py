"""Celery jobs: render a handout, send again what a dead worker dropped, purge old files.

Tasks take an id and call services; the Handout row, not the broker, records the work
(see screening/services/handouts.py). Only transient errors are retried — the database
going away (OperationalError, InterfaceError) or storage (OSError) — with exponential
backoff and a cap; anything else marks the handout failed with the reason.
"""

import logging
import os
import random
import socket

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError, connections

from screening.services.handouts import (
    HandoutClaim,
    handout_claim,
    handout_fail,
    handout_release,
    handout_render,
    handouts_purge_expired,
    handouts_requeue_stalled,
    max_attempts,
)

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
RETRY_BACKOFF_CAP_SECONDS = 30


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def retry_countdown(retries: int) -> float:
    """Exponential backoff with jitter, capped: 1, 2, 4, 8 … up to 30 seconds."""
    return min(RETRY_BACKOFF_CAP_SECONDS, 2**retries) * random.uniform(0.8, 1.2)


# Time limits are the site's (CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, 60 s and
# 90 s): inside the default lease (HANDOUT_LEASE_SECONDS, 120 s), so a live worker never
# outlasts its claim. A handout renders in well under a second.
@shared_task(name="screening.render_handout", bind=True, acks_late=True)
def render_handout(self, handout_id: str) -> str:
    try:
        claim = handout_claim(handout_id=handout_id, worker=worker_name())
    except TRANSIENT_ERRORS as exc:
        raise self.retry(
            exc=exc, countdown=retry_countdown(self.request.retries), max_retries=max_attempts()
        ) from exc
    if claim is None:
        return "nothing to do"

    try:
        handout_render(claim=claim)
    except SoftTimeLimitExceeded:
        handout_fail(claim=claim, reason="Rendering took too long and was stopped (time limit).")
        return "failed"
    except TRANSIENT_ERRORS as exc:
        return _retry_or_give_up(self, claim, exc)
    except Exception as exc:
        logger.exception("Handout %s could not be rendered.", handout_id)
        handout_fail(
            claim=claim, reason=f"The handout could not be made ({type(exc).__name__}: {exc})."
        )
        return "failed"
    return "ready"


def _retry_or_give_up(task, claim: HandoutClaim, exc: Exception) -> str:
    reason = f"{type(exc).__name__}: {exc}"
    try:
        if claim.attempt >= max_attempts():
            handout_fail(claim=claim, reason=f"Gave up after {claim.attempt} attempts ({reason}).")
            return "failed"
        handout_release(claim=claim)
    except TRANSIENT_ERRORS:
        # The database is away too: the lease runs out and the stalled-handout sweep resends.
        logger.warning(
            "Handout %s: could not record the retry; the sweep will pick it up.", claim.handout_id
        )
    logger.warning(
        "Handout %s: attempt %d hit %s; retrying.", claim.handout_id, claim.attempt, reason
    )
    raise task.retry(
        exc=exc, countdown=retry_countdown(claim.attempt), max_retries=max_attempts()
    ) from exc


@shared_task(name="screening.requeue_stalled_handouts")
def requeue_stalled_handouts() -> int:
    return len(handouts_requeue_stalled())


@shared_task(name="screening.purge_expired_handouts")
def purge_expired_handouts() -> int:
    return handouts_purge_expired()


@worker_ready.connect
def requeue_stalled_handouts_at_startup(sender=None, **kwargs) -> None:
    """A restarted worker picks up a handout whose worker died, without waiting for beat."""
    try:
        sent = handouts_requeue_stalled()
        logger.info("Worker ready: requeued %d stalled handout(s).", len(sent))
    except Exception:
        logger.exception("Could not requeue stalled handouts at worker startup.")
    finally:
        # The pool's children open their own connections; the main process keeps none open.
        connections.close_all()
