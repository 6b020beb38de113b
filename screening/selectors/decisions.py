"""Reads of the pharmacists' decisions: the audit list, always one pharmacy's."""

import datetime

from django.db.models import QuerySet

from screening.models import Decision, Pharmacy


def decisions_for_pharmacy(
    *,
    pharmacy: Pharmacy,
    outcome: str = "",
    issue_kind: str = "",
    source: str = "",
    decided_from: datetime.date | None = None,
    decided_to: datetime.date | None = None,
    who: str = "",
) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(pharmacy=pharmacy).select_related("screening")
    if outcome:
        decisions = decisions.filter(outcome=outcome)
    if issue_kind:
        decisions = decisions.filter(issue_kind=issue_kind)
    if source:
        decisions = decisions.filter(source=source)
    if decided_from:
        decisions = decisions.filter(created__date__gte=decided_from)
    if decided_to:
        decisions = decisions.filter(created__date__lte=decided_to)
    if who:
        decisions = decisions.filter(decided_by_name__icontains=who)
    return decisions.order_by("-created")
