"""Answering a CDS Hooks call: the draft orders and current medicines screened together,
the screening stored (so its links work), and one card per issue (docs/cds_hooks.md)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from screening.cds_hooks.cards import (
    NOTICE_KEY,
    CardContext,
    Earlier,
    build_cards,
    card_uuid,
    shortened,
)
from screening.cds_hooks.fetch import FetchFailed, fetch_bundle
from screening.fhir.medications import (
    MEDICATION_RESOURCES,
    FhirInputError,
    FhirLines,
    bundle_medications,
    read_fhir_item,
)
from screening.models import CdsCard, CdsClient, Decision, Pharmacy, Screening
from screening.models.decisions import OverrideReason
from screening.services.decisions import decision_record, earlier_decisions, patient_key
from screening.services.screenings import MAX_MEDICATIONS, screening_create, screening_result


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str
    # prefetch key -> FHIR query: the patient's current medicines
    prefetch: Mapping[str, str] = field(
        default_factory=lambda: {
            "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
            "medicationStatements": "MedicationStatement?patient={{context.patientId}}&status=active",
        }
    )


SERVICES = {
    service.id: service
    for service in (
        Service(
            id="leg-cramp-order-select",
            hook="order-select",
            title="Leg-cramp and supplement safety (order select)",
            description="When a medicine order is selected: whether it is linked to night-time "
            "leg cramps, and whether it is unsafe with the patient's current medicines or with "
            "the supplements patients take for cramps (magnesium, potassium, quinine, ...).",
        ),
        Service(
            id="leg-cramp-order-sign",
            hook="order-sign",
            title="Leg-cramp and supplement safety (order sign)",
            description="Before medicine orders are signed: cramp-linked medicines and unsafe "
            "combinations with the current medicines, with the evidence behind each card.",
        ),
        Service(
            id="leg-cramp-patient-view",
            hook="patient-view",
            title="Medicines that may cause leg cramps",
            description="When a patient's record is opened: which current medicines are linked "
            "to night-time leg cramps (with the strength of the evidence) and any unsafe "
            "combination among them.",
        ),
    )
}


class PrefetchUnavailable(Exception):
    """No prefetch and no FHIR server to ask: CDS Hooks' 412."""


class PrefetchInvalid(Exception):
    """A prefetch value that is none of what the specification allows for a search."""

    def __init__(self, key: str, problem: str):
        super().__init__(problem)
        self.key = key


@dataclass
class _Collected:
    lines: list[dict] = field(default_factory=list)
    not_screened: list[dict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def discovery() -> dict[str, Any]:
    return {
        "services": [
            {
                "hook": service.hook,
                "id": service.id,
                "title": service.title,
                "description": service.description,
                "prefetch": dict(service.prefetch),
            }
            for service in SERVICES.values()
        ]
    }


def _read(
    item: Mapping[str, Any],
    where: str,
    collected: _Collected,
    bundled: Mapping[str, Any] | None = None,
) -> FhirLines | None:
    try:
        return read_fhir_item(item, bundled)
    except FhirInputError as error:
        collected.notices.append(f"{where} could not be read: {error}")
        return None


def _draft_orders(
    context: Mapping[str, Any], hook: str, collected: _Collected
) -> tuple[list[dict], list[dict], list[str]]:
    """(lines of the orders being decided, lines of the other draft orders, their refs)."""
    entries = (context.get("draftOrders") or {}).get("entry") or []
    # An order may name its medicine by a Medication elsewhere in the same Bundle. Each
    # order is still read alone, so one unreadable order does not hide the others.
    medications = bundle_medications(entries)
    selections = set(context.get("selections") or ()) if hook == "order-select" else None
    decided: list[dict] = []
    others: list[dict] = []
    references: list[str] = []
    for entry in entries:
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            continue
        if resource.get("resourceType") not in MEDICATION_RESOURCES:
            continue  # a lab or imaging order: nothing to screen
        reference = f"{resource.get('resourceType')}/{resource.get('id', '')}"
        read = _read(resource, f"draft order {reference}", collected, medications)
        if read is None:
            continue
        collected.not_screened += read.not_screened
        if selections is None or reference in selections:
            decided += read.lines
            references += [reference] * len(read.lines)
        else:
            others += read.lines
    return decided, others, references


def _current(data: Mapping[str, Any], service: Service, collected: _Collected) -> list[dict]:
    prefetch = data.get("prefetch") or {}
    patient = str((data.get("context") or {}).get("patientId", ""))
    lines: list[dict] = []
    for key, template in service.prefetch.items():
        bundle = prefetch.get(key)
        if key not in prefetch:
            bundle = _fetch(data, template.replace("{{context.patientId}}", patient), collected)
        elif _resource_type(bundle) == "OperationOutcome":
            # CDS Hooks 2.0: the client could not prefetch it, and says why so that the
            # service need not ask again. The drafts are screened; a card says what is missing.
            collected.notices.append(
                f"Your system could not provide the current medicines ({key}: "
                f"{_outcome_text(bundle)}): only the draft orders were screened."
            )
            continue
        elif bundle is not None and _resource_type(bundle) != "Bundle":
            raise PrefetchInvalid(
                key, "must be the search's Bundle, an OperationOutcome, or null for no data"
            )
        if bundle is None:
            continue  # the client says: no data (or it could not be fetched, said on a card)
        if not bundle.get("entry"):
            continue  # no current medicines of this kind
        read = _read(bundle, f"the current medicines ({key})", collected)
        if read is not None:
            lines += read.lines
            collected.not_screened += read.not_screened
    return lines


def _resource_type(value: object) -> object:
    return value.get("resourceType") if isinstance(value, Mapping) else None


def _outcome_text(outcome: Mapping[str, Any]) -> str:
    """What an OperationOutcome's first issue says, shortened for a card."""
    issues = outcome.get("issue")
    issue = issues[0] if isinstance(issues, list) and issues else {}
    if not isinstance(issue, Mapping):
        issue = {}
    details = issue.get("details")
    text = issue.get("diagnostics") or (details.get("text") if isinstance(details, Mapping) else "")
    return shortened(str(text or issue.get("code") or "no reason given").strip(), limit=120)


def _fetch(data: Mapping[str, Any], query: str, collected: _Collected) -> dict | None:
    server = data.get("fhirServer")
    if not server:
        raise PrefetchUnavailable("the current medicines were not prefetched and no fhirServer")
    try:
        return fetch_bundle(str(server), query, data.get("fhirAuthorization"))
    except FetchFailed as error:
        notice = (
            f"The current medicines could not be fetched ({error}): only the draft orders "
            "were screened."
        )
        if notice not in collected.notices:
            collected.notices.append(notice)
        return None


@transaction.atomic
def cds_hook_call(
    *,
    service: Service,
    data: Mapping[str, Any],
    pharmacy: Pharmacy,
    cds_client: CdsClient | None,
    screening_url,
    handout_url,
) -> tuple[dict[str, Any], Screening]:
    """Screen the call and answer with cards; `screening_url(screening)` and
    `handout_url(screening)` make the cards' links."""
    collected = _Collected()
    context = data.get("context") or {}
    if service.hook == "patient-view":
        decided, others, references = [], [], []
    else:
        decided, others, references = _draft_orders(context, service.hook, collected)
    current = _current(data, service, collected)
    lines = current + others
    if len(decided) > MAX_MEDICATIONS:
        collected.notices.append(
            f"{len(decided) - MAX_MEDICATIONS} draft orders were not screened: at most "
            f"{MAX_MEDICATIONS} lines are screened together."
        )
        decided = decided[:MAX_MEDICATIONS]
        references = references[:MAX_MEDICATIONS]
    room = MAX_MEDICATIONS - len(decided)
    if len(lines) > room:
        collected.notices.append(
            f"{len(lines) - room} current medicines were not screened: at most "
            f"{MAX_MEDICATIONS} lines are screened together."
        )
        lines = lines[:room]
    first_draft = len(lines)
    patient = str(context.get("patientId") or "")
    screening = screening_create(
        pharmacy=pharmacy,
        medications=lines + decided,
        not_screened_resources=collected.not_screened,
        source=Screening.Source.CDS_HOOKS,
        patient_key=patient_key(
            pharmacy=pharmacy,
            # Whose patient ids these are: the calling system and its FHIR server (two
            # systems of one pharmacy may both have a Patient/123, and mean two people).
            system=f"cds:{cds_client.issuer if cds_client else 'token'}|{data.get('fhirServer') or ''}",
            identifier=patient,
        )
        if patient
        else "",
    )
    result = screening_result(screening)
    earlier = {
        key: Earlier(
            outcome=decision.outcome,
            reason_label=decision.get_reason_display() if decision.reason else "",
            decided_by=decision.decided_by_name,
            decided_on=decision.created.date().isoformat(),
        )
        for key, decision in earlier_decisions(screening=screening).items()
    }
    draft_indexes = range(first_draft, first_draft + len(decided))
    cards = build_cards(
        result,
        CardContext(
            screening_id=screening.id,
            screening_url=screening_url(screening),
            handout_url=handout_url(screening),
            draft_indexes=draft_indexes,
            draft_references=dict(zip(draft_indexes, references, strict=True)),
            override_reasons=list(OverrideReason.choices),
            earlier=earlier,
            all_issues=service.hook == "patient-view",
            notices=collected.notices,
        ),
    )
    CdsCard.objects.bulk_create(
        [
            CdsCard(
                uuid=card["uuid"],
                screening=screening,
                issue_key=next(
                    (
                        issue.key
                        for issue in result.list_issues()
                        if str(card_uuid(screening.id, issue.key)) == card["uuid"]
                    ),
                    NOTICE_KEY,
                ),
            )
            for card in cards
        ]
    )
    return {"cards": cards}, screening


def _override_reason(reason: Mapping[str, Any] | None) -> str:
    code = str((reason or {}).get("code") or "")
    return code if code in OverrideReason.values else OverrideReason.OTHER


@transaction.atomic  # all of a report, or none of it
def feedback_record(
    *,
    items: Sequence[Mapping[str, Any]],
    pharmacy: Pharmacy,
    cds_client: CdsClient | None,
    api_client=None,
    user,
) -> int:
    """Record CDS Hooks feedback as decisions; returns how many items named a card of this
    pharmacy. A card about what could not be screened has no issue to decide about."""
    recorded = 0
    for item in items:
        card = (
            CdsCard.objects.select_related("screening", "screening__pharmacy")
            .filter(uuid=item["card"], screening__pharmacy=pharmacy)
            .first()
        )
        if card is None:
            raise LookupError(str(item["card"]))
        recorded += 1
        if card.issue_key == NOTICE_KEY:
            continue
        overridden = item["outcome"] == "overridden"
        override = item.get("overrideReason") or {}
        decision_record(
            screening=card.screening,
            issue_key=card.issue_key,
            outcome=Decision.Outcome.OVERRIDDEN if overridden else Decision.Outcome.ACCEPTED,
            reason=_override_reason(override.get("reason")) if overridden else "",
            comment=str(override.get("userComment") or "")[:1000],
            source=Decision.Source.CDS_HOOKS,
            user=user,
            cds_client=cds_client,
            api_client=api_client,
            card=card,
            outcome_timestamp=item["outcomeTimestamp"],
        )
    return recorded
