"""Findings: which cramp-linked drug classes the medication list contains."""

from collections.abc import Sequence

from screening.engine.entries import DrugClass
from screening.engine.index import KnowledgeIndex
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, Evidence, Finding, Line


def find_cramp_linked_classes(
    index: KnowledgeIndex, medications: Sequence[Line]
) -> tuple[Finding, ...]:
    """One finding per cramp-linked class present (drug_classes.yaml `cramp_linked: true`).

    A class with no good evidence (beta-blockers: strength "none") is still reported,
    with its honest evidence text, because patients blame those medicines. A class bound to
    routes (`routes`) is not reported for a line whose stated route is another (timolol eye
    drops are not a systemic beta-blocker), and says so when a line did not state its route.
    A finding needs confirmation when every line behind it was only a probable reading.
    Findings are ordered by evidence grade (strongest first), then by class.
    """
    lines_by_class: dict[str, list[int]] = {}
    for position, line in enumerate(medications):
        if not line.is_screened:
            continue
        for slug in line.drug_classes:
            drug_class = index.drug_classes.get(slug)
            if drug_class is None or not drug_class.cramp_linked:
                continue
            if drug_class.route_rule.excludes(line.route):
                continue
            lines_by_class.setdefault(slug, []).append(position)
    findings = [
        _finding(index.drug_classes[slug], medications, positions)
        for slug, positions in lines_by_class.items()
    ]
    findings.sort(key=lambda f: (f.evidence.strength.rank, f.drug_class))
    return tuple(findings)


def _finding(drug_class: DrugClass, medications: Sequence[Line], positions: list[int]) -> Finding:
    unstated = any(drug_class.route_rule.unstated(medications[p].route) for p in positions)
    return Finding(
        drug_class=drug_class.slug,
        drug_class_name=drug_class.name,
        medication_indexes=tuple(positions),
        needs_confirmation=not any(medications[p].is_confirmed for p in positions),
        evidence=Evidence(
            strength=drug_class.evidence_strength,
            summary=drug_class.evidence_summary,
            references=drug_class.evidence_references,
        ),
        mechanism=drug_class.mechanism,
        patient_text=drug_class.patient_texts.get(KNOWLEDGE_BASE_LANGUAGE, ""),
        patient_texts=dict(drug_class.patient_texts),
        references=drug_class.references,
        route_note=drug_class.route_rule.note() if unstated else None,
    )
