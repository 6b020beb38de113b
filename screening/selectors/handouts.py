"""Reads of handouts: always scoped by the caller's pharmacy, like screenings."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from screening.models import Handout, Pharmacy, Screening

# A handout in one of these states is reused when the same handout is asked for again.
REUSABLE_STATUSES = (Handout.Status.QUEUED, Handout.Status.RUNNING, Handout.Status.READY)


def handouts_for_pharmacy(*, pharmacy: Pharmacy) -> QuerySet[Handout]:
    return Handout.objects.filter(screening__pharmacy=pharmacy)


def handout_get(*, pharmacy: Pharmacy | None, handout_id) -> Handout:
    """A handout of the caller's pharmacy; anyone else's is indistinguishable from none."""
    if pharmacy is None:
        raise Http404
    try:
        return (
            handouts_for_pharmacy(pharmacy=pharmacy)
            .select_related("screening", "reviewed_by")
            .get(id=handout_id)
        )
    except (Handout.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def handout_latest_for(*, screening: Screening, language: str) -> Handout | None:
    """The newest handout of this screening in this language whose files are not purged."""
    return (
        Handout.objects.filter(screening=screening, language=language, purged__isnull=True)
        .order_by("-created")
        .first()
    )


def stalled_handouts(
    *, now: datetime.datetime, stall_before: datetime.datetime
) -> QuerySet[Handout]:
    """Work the broker may have lost: queued with no message for a while, or running on a
    dead worker (its lease expired)."""
    queued_long_ago = Q(status=Handout.Status.QUEUED) & (
        Q(enqueued_at__lt=stall_before) | Q(enqueued_at__isnull=True, created__lt=stall_before)
    )
    lease_expired = Q(status=Handout.Status.RUNNING) & (
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
    )
    return Handout.objects.filter(queued_long_ago | lease_expired, purged__isnull=True).order_by(
        "created"
    )


def expired_handouts(*, created_before: datetime.datetime) -> QuerySet[Handout]:
    """Handouts past retention whose files and patient name are still kept."""
    return Handout.objects.filter(created__lt=created_before, purged__isnull=True).exclude(
        status=Handout.Status.RUNNING
    )
