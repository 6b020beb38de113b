"""Creating a screening: run the engine on the knowledge index and store what it said."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from screening.engine import Coding, LineInput, PatientFactors, ScreeningRequest, screen
from screening.models import ApiClient, Pharmacy, Screening
from screening.selectors.knowledge import get_knowledge_index

# The size of one screening, the same for the API and the counter screen.
MAX_MEDICATIONS = 100
MAX_SUPPLEMENTS = 50
MAX_LINE_LENGTH = 500


def _line_input(item: str | dict) -> LineInput:
    if isinstance(item, str):
        return LineInput(text=item, coding=())
    return LineInput(
        text=item.get("text") or "",
        coding=tuple(Coding(system=c["system"], code=c["code"]) for c in item.get("coding") or ()),
    )


def _patient(patient: dict | None) -> PatientFactors | None:
    if not patient:
        return None
    return PatientFactors(
        age=patient.get("age"),
        egfr=patient.get("egfr"),
        symptoms=tuple(patient.get("symptoms") or ()),
        language=patient.get("language"),
    )


@transaction.atomic
def screening_create(
    *,
    pharmacy: Pharmacy,
    medications: Sequence[str | dict],
    supplements: Sequence[str | dict] = (),
    patient: dict | None = None,
    source: str,
    user=None,
    api_client: ApiClient | None = None,
) -> Screening:
    index = get_knowledge_index()
    request = ScreeningRequest(
        medications=tuple(_line_input(item) for item in medications),
        supplements=tuple(_line_input(item) for item in supplements),
        patient=_patient(patient),
    )
    result: dict[str, Any] = screen(index, request).as_dict()
    screening = Screening(
        pharmacy=pharmacy,
        created_by=user if getattr(user, "_meta", None) is not None else None,
        api_client=api_client,
        source=source,
        knowledge_base_version=index.version,
        request={
            "medications": list(medications),
            "supplements": list(supplements),
            "patient": patient,
        },
        result=result,
    )
    screening.save()
    return screening


def screening_as_dict(screening: Screening) -> dict[str, Any]:
    """The API representation: the stored result plus identity and provenance."""
    return {
        "id": str(screening.id),
        "created": screening.created.isoformat(),
        "knowledge_base": {"version": screening.knowledge_base_version},
        **screening.result,
    }
