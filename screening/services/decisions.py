"""Recording what a pharmacist decided about an issue of a screening (docs/decisions.md).

A decision is written once and never changed. It records who decided, when, about which
issue of which screening, with which knowledge-base version, and the medicines the issue
rested on, so the next screening of the same patient with the same medicines can show the
issue as already acknowledged instead of raising it again.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from screening.models import ApiClient, CdsCard, CdsClient, Decision, Pharmacy, Screening
from screening.services.screenings import screening_result


class DecisionRefused(ValueError):
    """The decision does not fit the screening (no such issue, no reason given)."""


def patient_key(*, pharmacy: Pharmacy, system: str, identifier: str) -> str:
    """Who the patient is, as a keyed hash: equal for the same pharmacy, sender's system
    and identifier, and no use to anyone without the site's secret key."""
    message = f"{pharmacy.pk}|{system.strip().rstrip('/')}|{identifier.strip()}".encode()
    key = hashlib.sha256(b"patient-key:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _decider_name(*, user, api_client: ApiClient | None, cds_client: CdsClient | None) -> str:
    if user is not None and getattr(user, "is_authenticated", False) and hasattr(user, "_meta"):
        return (user.get_full_name() or user.get_username())[:200]
    if api_client is not None:
        return f"API client {api_client.name}"[:200]
    if cds_client is not None:
        return f"CDS Hooks client {cds_client.name}"[:200]
    return "unknown"


def decision_record(
    *,
    screening: Screening,
    issue_key: str,
    outcome: str,
    reason: str = "",
    comment: str = "",
    source: str,
    user=None,
    api_client: ApiClient | None = None,
    cds_client: CdsClient | None = None,
    card: CdsCard | None = None,
    outcome_timestamp: datetime.datetime | None = None,
    decided_by_name: str = "",
) -> Decision:
    """Record one decision. An override needs a reason from the list; a report resent by
    a CDS client (same card, outcome and timestamp) is the decision already recorded."""
    result = screening_result(screening)
    issue = result.issue(issue_key)
    if issue is None:
        raise DecisionRefused(f"the screening has no issue '{issue_key[:100]}'")
    if outcome == Decision.Outcome.OVERRIDDEN and not reason:
        raise DecisionRefused("an override needs a reason")
    if outcome == Decision.Outcome.ACKNOWLEDGED and reason:
        raise DecisionRefused("an acknowledgement takes no reason; override with one instead")
    fields = {
        "pharmacy": screening.pharmacy,
        "screening": screening,
        "knowledge_base_version": screening.knowledge_base_version,
        "issue_key": issue.key,
        "issue_kind": issue.kind,
        "issue_title": issue.title[:300],
        "severity": issue.severity,
        "medicines": list(result.ingredients_of(issue)),
        "patient_key": screening.patient_key,
        "outcome": outcome,
        "reason": reason,
        "comment": comment,
        "source": source,
        "decided_by": user if getattr(user, "_meta", None) is not None else None,
        "api_client": api_client,
        "cds_client": cds_client,
        "decided_by_name": decided_by_name[:200]
        or _decider_name(user=user, api_client=api_client, cds_client=cds_client),
        "card": card,
        "outcome_timestamp": outcome_timestamp,
    }
    if card is None:
        return Decision.objects.create(**fields)
    try:
        with transaction.atomic():
            return Decision.objects.create(**fields)
    except IntegrityError:
        return Decision.objects.get(card=card, outcome=outcome, outcome_timestamp=outcome_timestamp)


def earlier_decisions(*, screening: Screening) -> dict[str, Decision]:
    """Issue key -> the latest decision the pharmacy made about the same issue, the same
    patient and the same medicines within ALERT_SUPPRESSION_DAYS, from an earlier
    screening. Empty when the screening does not say who the patient is."""
    if not screening.patient_key or settings.ALERT_SUPPRESSION_DAYS <= 0:
        return {}
    result = screening_result(screening)
    wanted = {issue.key: list(result.ingredients_of(issue)) for issue in result.list_issues()}
    if not wanted:
        return {}
    since = timezone.now() - datetime.timedelta(days=settings.ALERT_SUPPRESSION_DAYS)
    found: dict[str, Decision] = {}
    for decision in (
        Decision.objects.filter(
            pharmacy=screening.pharmacy,
            patient_key=screening.patient_key,
            issue_key__in=wanted,
            created__gte=since,
            outcome__in=(Decision.Outcome.ACKNOWLEDGED, Decision.Outcome.OVERRIDDEN),
        )
        .exclude(screening=screening)
        .order_by("-created")
    ):
        if decision.issue_key not in found and decision.medicines == wanted[decision.issue_key]:
            found[decision.issue_key] = decision
    return found
