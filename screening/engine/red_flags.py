"""Red flags: symptoms reported with the cramps that need medical attention."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening.engine.entries import RedFlagRule, references_as_dicts
from screening.engine.index import KnowledgeIndex
from screening.engine.lines import LineResolution

_URGENCY_ORDER = {"emergency": 0, "same_day": 1, "soon": 2}


@dataclass(frozen=True, slots=True)
class RedFlagAlert:
    rule: RedFlagRule
    urgency: str
    symptoms: tuple[str, ...]
    medication_indexes: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.rule.code,
            "name": self.rule.name,
            "urgency": self.urgency,
            "symptoms": list(self.symptoms),
            "medication_indexes": list(self.medication_indexes),
            "message": self.rule.message,
            "patient_text": self.rule.patient_text,
            "references": references_as_dicts(self.rule.references),
        }


def reported_symptoms(symptoms: Sequence[str]) -> tuple[str, ...]:
    """The patient's symptom codes, trimmed, lower-case, each once, in the order given."""
    if isinstance(symptoms, str):  # one code given as a bare string
        symptoms = (symptoms,)
    codes = (str(code).strip().lower() for code in symptoms or () if code is not None)
    return tuple(dict.fromkeys(code for code in codes if code))


def find_red_flags(
    index: KnowledgeIndex, medications: Sequence[LineResolution], symptoms: Sequence[str]
) -> tuple[RedFlagAlert, ...]:
    """Red flags (red_flags.yaml) raised by the symptoms the patient reports.

    Lines whose classes are among the flag's related classes are listed with it (dark
    urine on a statin), and then `urgency_with_related_class` replaces the urgency.
    """
    reported = set(symptoms)
    alerts = []
    for rule in index.red_flags:
        present = tuple(code for code in rule.symptoms if code in reported)
        if not present:
            continue
        related = tuple(
            position
            for position, line in enumerate(medications)
            if line.is_screened and not rule.related_classes.isdisjoint(line.drug_classes)
        )
        urgency = (
            rule.urgency_with_related_class
            if related and rule.urgency_with_related_class
            else rule.urgency
        )
        alerts.append(RedFlagAlert(rule, urgency, present, related))
    alerts.sort(key=lambda a: (_URGENCY_ORDER.get(a.urgency, 9), a.rule.code))
    return tuple(alerts)
