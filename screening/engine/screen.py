"""Screening a whole list: read every line, then apply the knowledge base's rules."""

from screening.engine.counselling import COUNSELLING, SELF_CARE, WARNING_SIGNS, patient_advice
from screening.engine.findings import find_cramp_linked_classes
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import ScreeningRequest
from screening.engine.interactions import find_interactions
from screening.engine.lines import read_line
from screening.engine.red_flags import find_red_flags, reported_symptoms
from screening.engine.result import LineSource, ScreeningResult
from screening.engine.supplement_cautions import find_supplement_cautions
from screening.engine.terms import ListKind


def screen(index: KnowledgeIndex, request: ScreeningRequest) -> ScreeningResult:
    """Screen a medication and supplement list for medicines that may cause leg cramps.

    Every line comes back in input order (matched, probable or unrecognized). Findings
    come from cramp-linked drug classes; supplement cautions, interactions and red flags
    from the knowledge base's rule tables. Probable lines count, marked for confirmation.
    """
    medications = tuple(
        read_line(index, line, ListKind.MEDICATIONS, position, request.terminology)
        for position, line in enumerate(request.medications or ())
    )
    supplements = tuple(
        read_line(index, line, ListKind.SUPPLEMENTS, position, request.terminology)
        for position, line in enumerate(request.supplements or ())
    )
    patient = request.patient
    symptoms = reported_symptoms(patient.symptoms if patient else ())
    red_flags = find_red_flags(index, medications, symptoms)
    cautions = find_supplement_cautions(index, medications, supplements, patient)
    not_screened = tuple(i for i, line in enumerate(medications) if not line.is_screened)
    # A medicine typed in the supplements list is read (its reason says to move it) but
    # not screened as a medicine: it is listed for the pharmacist like an unread line.
    not_screened_supplements = tuple(
        i
        for i, line in enumerate(supplements)
        if not line.is_screened or (line.ingredients and not line.supplements)
    )
    holds = {
        name
        for name, present in (
            ("red_flags", red_flags),
            ("supplement_cautions", cautions),
            ("not_screened", not_screened or not_screened_supplements),
        )
        if present
    }
    return ScreeningResult(
        knowledge_base_version=index.version,
        language=patient.language if patient else None,
        medications=medications,
        supplements=supplements,
        findings=find_cramp_linked_classes(index, medications),
        interactions=find_interactions(index, medications),
        supplement_cautions=cautions,
        red_flags=red_flags,
        counselling=patient_advice(index, COUNSELLING, holds=frozenset(holds)),
        self_care=patient_advice(index, SELF_CARE),
        warning_signs=patient_advice(index, WARNING_SIGNS),
        not_screened=not_screened,
        not_screened_supplements=not_screened_supplements,
        not_screened_resources=tuple(
            LineSource(**resource) for resource in request.not_screened_resources
        ),
        unknown_symptoms=tuple(code for code in symptoms if code not in index.symptom_codes),
    )
