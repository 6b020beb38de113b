"""Celery jobs: render a handout, send again what a dead worker dropped, purge old files.

Tasks take an id and call services; the Handout row, not the broker, records the work
(see screening/services/handouts.py). Only transient errors are retried — the database
going away (OperationalError, InterfaceError) or storage (OSError) — by Celery itself, with
exponential backoff, jitter and a cap; anything else marks the handout failed with the reason.
"""

import logging
import os
import socket

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections

from screening.services.handouts import (
    RENDER_HANDOUT_TASK,
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


# Time limits are the site's (CELERY_TASK_SOFT_TIME_LIMIT / CELERY_TASK_TIME_LIMIT, 60 s and
# 90 s): inside the default lease (HANDOUT_LEASE_SECONDS, 120 s), so a live worker never
# outlasts its claim. A handout renders in well under a second.
@shared_task(
    name=RENDER_HANDOUT_TASK,
    bind=True,
    acks_late=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=RETRY_BACKOFF_CAP_SECONDS,
    retry_jitter=True,
    # Transient errors before the claim (the database away) stop retrying after this many; the
    # stalled-handout sweep sends the handout again once the database is back.
    max_retries=settings.HANDOUT_MAX_ATTEMPTS,
)
def render_handout(self, handout_id: str) -> str:
    claim = handout_claim(handout_id=handout_id, worker=worker_name())
    if claim is None:
        return "nothing to do"
    try:
        handout_render(claim=claim)
    except SoftTimeLimitExceeded:
        handout_fail(claim=claim, reason="Rendering took too long and was stopped (time limit).")
        return "failed"
    except TRANSIENT_ERRORS as exc:
        if _give_back_or_give_up(claim, exc):
            raise  # Celery retries it, with backoff
        return "failed"
    except Exception as exc:
        logger.exception("Handout %s could not be rendered.", handout_id)
        handout_fail(
            claim=claim, reason=f"The handout could not be made ({type(exc).__name__}: {exc})."
        )
        return "failed"
    return "ready"


def _give_back_or_give_up(claim: HandoutClaim, exc: Exception) -> bool:
    """Put the handout back in the queue for a retry (True), or fail it when it has used
    every attempt (False)."""
    reason = f"{type(exc).__name__}: {exc}"
    try:
        if claim.attempt >= max_attempts():
            handout_fail(claim=claim, reason=f"Gave up after {claim.attempt} attempts ({reason}).")
            return False
        handout_release(claim=claim)
    except TRANSIENT_ERRORS:
        # The database is away too: the lease runs out and the stalled-handout sweep resends.
        logger.warning(
            "Handout %s: could not record the retry; the sweep will pick it up.", claim.handout_id
        )
    logger.warning(
        "Handout %s: attempt %d hit %s; retrying.", claim.handout_id, claim.attempt, reason
    )
    return True


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
