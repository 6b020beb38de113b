"""Red flags: symptoms reported with the cramps that need medical attention."""

from collections.abc import Sequence

from screening.engine.index import KnowledgeIndex
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, Line, RedFlag


def reported_symptoms(symptoms: Sequence[str]) -> tuple[str, ...]:
    """The patient's symptom codes, trimmed, lower-case, each once, in the order given."""
    if isinstance(symptoms, str):  # one code given as a bare string
        symptoms = (symptoms,)
    codes = (str(code).strip().lower() for code in symptoms or () if code is not None)
    return tuple(dict.fromkeys(code for code in codes if code))


def find_red_flags(
    index: KnowledgeIndex, medications: Sequence[Line], symptoms: Sequence[str]
) -> tuple[RedFlag, ...]:
    """Red flags (red_flags.yaml) raised by the symptoms the patient reports.

    Lines whose classes are among the flag's related classes are listed with it (dark
    urine on a statin), and then `urgency_with_related_class` replaces the urgency.
    Ordered most urgent first.
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
        alerts.append(
            RedFlag(
                code=rule.code,
                name=rule.name,
                urgency=urgency,
                symptoms=present,
                medication_indexes=related,
                message=rule.message,
                patient_text=rule.patient_texts.get(KNOWLEDGE_BASE_LANGUAGE, ""),
                patient_texts=dict(rule.patient_texts),
                references=rule.references,
            )
        )
    alerts.sort(key=lambda a: (a.urgency.rank, a.code))
    return tuple(alerts)
