"""Screening a whole list: read every line, then apply the knowledge base's rules."""

from dataclasses import dataclass
from typing import Any

from screening.engine.counselling import CounsellingPoint, counselling_points
from screening.engine.findings import Finding, find_cramp_linked_classes
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import ScreeningRequest
from screening.engine.interactions import InteractionAlert, find_interactions
from screening.engine.lines import MEDICATIONS, SUPPLEMENTS, LineResolution, resolve_line
from screening.engine.red_flags import RedFlagAlert, find_red_flags, reported_symptoms
from screening.engine.supplement_cautions import SupplementCautionAlert, find_supplement_cautions


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    knowledge_base_version: str
    medications: tuple[LineResolution, ...]
    supplements: tuple[LineResolution, ...]
    findings: tuple[Finding, ...]
    interactions: tuple[InteractionAlert, ...]
    supplement_cautions: tuple[SupplementCautionAlert, ...]
    red_flags: tuple[RedFlagAlert, ...]
    counselling: tuple[CounsellingPoint, ...]
    unknown_symptoms: tuple[str, ...]

    @property
    def not_screened(self) -> tuple[int, ...]:
        return tuple(i for i, line in enumerate(self.medications) if not line.is_screened)

    @property
    def not_screened_supplements(self) -> tuple[int, ...]:
        return tuple(i for i, line in enumerate(self.supplements) if not line.is_screened)

    def as_dict(self) -> dict[str, Any]:
        """The API v1 result (the service adds id, created and knowledge_base)."""
        return {
            "medications": [line.as_dict(i) for i, line in enumerate(self.medications)],
            "supplements": [line.as_dict(i) for i, line in enumerate(self.supplements)],
            "findings": [finding.as_dict() for finding in self.findings],
            "interactions": [alert.as_dict() for alert in self.interactions],
            "supplement_cautions": [alert.as_dict() for alert in self.supplement_cautions],
            "red_flags": [alert.as_dict() for alert in self.red_flags],
            "counselling": [point.as_dict() for point in self.counselling],
            "not_screened": list(self.not_screened),
            "not_screened_supplements": list(self.not_screened_supplements),
            "unknown_symptoms": list(self.unknown_symptoms),
        }


def screen(index: KnowledgeIndex, request: ScreeningRequest) -> ScreeningResult:
    """Screen a medication and supplement list for medicines that may cause leg cramps.

    Every line comes back in input order (matched, probable or unrecognized). Findings
    come from cramp-linked drug classes; supplement cautions, interactions and red flags
    from the knowledge base's rule tables. Probable lines count, marked for confirmation.
    """
    medications = tuple(
        resolve_line(index, line.text, line.coding, MEDICATIONS)
        for line in request.medications or ()
    )
    supplements = tuple(
        resolve_line(index, line.text, line.coding, SUPPLEMENTS)
        for line in request.supplements or ()
    )
    patient = request.patient
    symptoms = reported_symptoms(patient.symptoms if patient else ())
    red_flags = find_red_flags(index, medications, symptoms)
    cautions = find_supplement_cautions(index, medications, supplements, patient)
    return ScreeningResult(
        knowledge_base_version=index.version,
        medications=medications,
        supplements=supplements,
        findings=find_cramp_linked_classes(index, medications),
        interactions=find_interactions(index, medications),
        supplement_cautions=cautions,
        red_flags=red_flags,
        counselling=counselling_points(
            red_flags=bool(red_flags),
            supplement_cautions=bool(cautions),
            not_screened=any(not line.is_screened for line in medications + supplements),
        ),
        unknown_symptoms=tuple(code for code in symptoms if code not in index.symptom_codes),
    )
