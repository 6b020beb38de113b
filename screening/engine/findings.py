"""Findings: which cramp-linked drug classes the medication list contains."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening.engine.entries import DrugClass, references_as_dicts
from screening.engine.index import KnowledgeIndex
from screening.engine.lines import LineResolution

# Strongest evidence first, so the likeliest contributors lead the list.
_STRENGTH_ORDER = {"strong": 0, "moderate": 1, "weak": 2, "none": 3, "not_applicable": 4}


@dataclass(frozen=True, slots=True)
class Finding:
    drug_class: DrugClass
    medication_indexes: tuple[int, ...]
    needs_confirmation: bool

    def as_dict(self) -> dict[str, Any]:
        drug_class = self.drug_class
        return {
            "drug_class": drug_class.slug,
            "drug_class_name": drug_class.name,
            "medication_indexes": list(self.medication_indexes),
            "needs_confirmation": self.needs_confirmation,
            "evidence": {
                "strength": drug_class.evidence_strength,
                "summary": drug_class.evidence_summary,
                "references": references_as_dicts(drug_class.evidence_references),
            },
            "mechanism": drug_class.mechanism,
            "patient_text": drug_class.patient_text,
            "references": references_as_dicts(drug_class.references),
        }


def find_cramp_linked_classes(
    index: KnowledgeIndex, medications: Sequence[LineResolution]
) -> tuple[Finding, ...]:
    """One finding per cramp-linked class present (drug_classes.yaml `cramp_linked: true`).

    A class with no good evidence (beta-blockers: strength "none") is still reported,
    with its honest evidence text, because patients blame those medicines. A finding
    needs confirmation when every line behind it was only a probable reading.
    """
    lines_by_class: dict[str, list[int]] = {}
    for position, line in enumerate(medications):
        if not line.is_screened:
            continue
        for slug in line.drug_classes:
            drug_class = index.drug_classes.get(slug)
            if drug_class is not None and drug_class.cramp_linked:
                lines_by_class.setdefault(slug, []).append(position)
    findings = [
        Finding(
            drug_class=index.drug_classes[slug],
            medication_indexes=tuple(positions),
            needs_confirmation=not any(medications[p].is_confirmed for p in positions),
        )
        for slug, positions in lines_by_class.items()
    ]
    findings.sort(
        key=lambda f: (_STRENGTH_ORDER.get(f.drug_class.evidence_strength, 9), f.drug_class.slug)
    )
    return tuple(findings)
