"""Creating a screening: run the engine on the knowledge index and store what it said."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from screening.engine import Coding, LineInput, PatientFactors, ScreeningRequest, screen
from screening.engine.result import Line, ScreeningResult
from screening.engine.terms import ListKind
from screening.models import ApiClient, Pharmacy, Screening
from screening.selectors.knowledge import get_knowledge_index
from screening.selectors.terminology import terminology_for

# The size of one screening, the same for the API and the counter screen.
MAX_MEDICATIONS = 100
MAX_SUPPLEMENTS = 50
MAX_LINE_LENGTH = 500
# A FHIR Bundle sent as a list may hold, beside each medication resource, the Medication it
# refers to (a search with _include) and other resources (the Patient): up to three
# entries for each line the list may have. Its lines are held to the list's limit.
BUNDLE_ENTRIES_PER_LINE = 3


def line_input(item: str | Mapping[str, Any]) -> LineInput:
    """A stored request line (text, or text with codes and a source) as the engine reads it."""
    if isinstance(item, str):
        return LineInput(text=item)
    return LineInput(
        text=item.get("text") or "",
        coding=tuple(
            Coding(system=c["system"], code=c["code"], display=c.get("display") or "")
            for c in item.get("coding") or ()
        ),
        source=item.get("source") or None,
        note=item.get("note") or "",
    )


def _patient(patient: Mapping[str, Any] | None) -> PatientFactors | None:
    if not patient:
        return None
    return PatientFactors(
        egfr=patient.get("egfr"),
        symptoms=tuple(patient.get("symptoms") or ()),
        language=patient.get("language"),
    )


# No transaction of its own: the one write is a single INSERT, atomic by itself (a
# caller that writes more wraps it in its own, as CDS Hooks and re-screening do).
def screening_create(
    *,
    pharmacy: Pharmacy,
    medications: Sequence[str | dict],
    supplements: Sequence[str | dict] = (),
    patient: dict | None = None,
    not_screened_resources: Sequence[dict] = (),
    source: str,
    user=None,
    api_client: ApiClient | None = None,
    patient_key: str = "",
) -> Screening:
    """Screen the lists and store the request and its result, with the knowledge-base
    version the result was made with. Lines are text, or dicts of text, coding, source
    and note (a FHIR resource is read into one by screening.fhir before it gets here);
    `not_screened_resources` are resources sent but not screened, echoed in the result."""
    index = get_knowledge_index()
    medication_lines = tuple(line_input(item) for item in medications)
    supplement_lines = tuple(line_input(item) for item in supplements)
    result = screen(
        index,
        ScreeningRequest(
            medications=medication_lines,
            supplements=supplement_lines,
            patient=_patient(patient),
            terminology=terminology_for(index, medication_lines + supplement_lines),
            not_screened_resources=tuple(not_screened_resources),
        ),
    )
    screening = Screening(
        pharmacy=pharmacy,
        created_by=user if getattr(user, "_meta", None) is not None else None,
        api_client=api_client,
        source=source,
        patient_key=patient_key,
        knowledge_base_version=index.version,
        request={
            "medications": list(medications),
            "supplements": list(supplements),
            "patient": patient,
            **(
                {"not_screened_resources": list(not_screened_resources)}
                if not_screened_resources
                else {}
            ),
        },
        result=result.stored(),
    )
    screening.save()
    screening.typed_result = result  # readers of this same object skip re-reading it
    return screening


def screening_result(screening: Screening) -> ScreeningResult:
    """The stored result as the typed contract every reader uses."""
    typed = getattr(screening, "typed_result", None)
    return typed if typed is not None else ScreeningResult.from_stored(screening.result)


def corrected_line(line: Line, name: str) -> str:
    """The line's text with the misread words replaced by the chosen name.

    "furosimide 40mg" confirmed as furosemide becomes "furosemide 40mg": the dose and
    directions stay on the record. When the misread words cannot be found exactly once
    (a combination read from two places, a line read from a code), the whole line
    becomes the name.
    """
    matched = (line.match.matched_text if line.match else "").strip()
    if matched and " + " not in matched:
        pattern = re.compile(re.escape(matched), re.IGNORECASE)
        if len(pattern.findall(line.input)) == 1:
            return pattern.sub(lambda _: name, line.input)
    return name


@transaction.atomic
def screening_rescreen_with_line(
    *, screening: Screening, list_kind: ListKind, index: int, name: str, user
) -> Screening:
    """Confirming a probable line: a new screening of the same request with that line
    corrected to `name` (one of the line's confirmation choices). The engine reads the
    corrected text itself, so every finding behind the line loses its "needs confirmation"
    mark; there is no second implementation of the screen."""
    result = screening_result(screening)
    line = result.lines(list_kind)[index]
    if name not in line.confirmation_choices():
        raise ValueError(f"{name!r} was not offered for line {index} of {list_kind}")
    request = screening.request
    lines: list[Any] = list(request.get(list_kind) or [])
    original = lines[index]
    corrected = corrected_line(line, name)
    # The pharmacist's confirmation replaces what the codes said; where the line came from
    # (a FHIR resource) stays on it.
    lines[index] = (
        {"text": corrected, "source": original["source"]}
        if isinstance(original, dict) and original.get("source")
        else corrected
    )
    return screening_create(
        pharmacy=screening.pharmacy,
        medications=lines if list_kind == ListKind.MEDICATIONS else request.get("medications"),
        supplements=lines if list_kind == ListKind.SUPPLEMENTS else request.get("supplements"),
        patient=request.get("patient"),
        not_screened_resources=request.get("not_screened_resources") or (),
        source=Screening.Source.COUNTER,
        patient_key=screening.patient_key,
        user=user,
    )
