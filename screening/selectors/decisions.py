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
    wanted = {
        "outcome": outcome,
        "issue_kind": issue_kind,
        "source": source,
        "created__date__gte": decided_from,
        "created__date__lte": decided_to,
        "decided_by_name__icontains": who,
    }
    return (
        Decision.objects.filter(pharmacy=pharmacy)
        .filter(**{lookup: value for lookup, value in wanted.items() if value})
        .select_related("screening")
        .order_by("-created")
    )
