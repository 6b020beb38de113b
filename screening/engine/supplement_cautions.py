"""Supplement cautions: a supplement the patient takes that is unsafe with their medicines.

A supplement counts wherever it is listed: in the supplements list, or as a supplement
product in the medications list (potassium chloride, Klor-Con, Mag-Ox). A product that
is also another supplement (`also`, e.g. calcium with vitamin D) counts for both.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from screening.engine.entries import SupplementCautionRule
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import PatientFactors
from screening.engine.result import Line, SupplementCaution, SupplementSource
from screening.engine.terms import ListKind

# condition -> the eGFR (mL/min/1.73 m2) it applies below; the lowest is the strictest
EGFR_BELOW = {"egfr_below_30": 30.0, "egfr_below_60": 60.0}
CONDITIONS = ("any_patient", *EGFR_BELOW)


@dataclass(frozen=True, slots=True)
class _Source:
    supplement: str
    list_kind: ListKind
    index: int
    confirmed: bool


def _sources(
    index: KnowledgeIndex, medications: Sequence[Line], supplements: Sequence[Line]
) -> list[_Source]:
    """Every (supplement, line) the patient takes, `also` supplements included."""
    sources: list[_Source] = []
    for list_kind, lines in (
        (ListKind.SUPPLEMENTS, supplements),
        (ListKind.MEDICATIONS, medications),
    ):
        for position, line in enumerate(lines):
            if not line.is_screened:
                continue
            for slug in _with_also(index, line.supplements):
                sources.append(_Source(slug, list_kind, position, line.is_confirmed))
    return sources


def _with_also(index: KnowledgeIndex, slugs: Sequence[str]) -> list[str]:
    found = list(dict.fromkeys(slugs))
    for slug in found:  # grows while iterating: `also` of an `also` counts too
        supplement = index.supplements.get(slug)
        for other in supplement.also if supplement else ():
            if other not in found:
                found.append(other)
    return found


def _egfr(patient: PatientFactors | None) -> float | None:
    try:
        return None if patient is None or patient.egfr is None else float(patient.egfr)
    except (TypeError, ValueError):
        return None


def find_supplement_cautions(
    index: KnowledgeIndex,
    medications: Sequence[Line],
    supplements: Sequence[Line],
    patient: PatientFactors | None,
) -> tuple[SupplementCaution, ...]:
    """Cautions (supplement_cautions.yaml) for each supplement line taken.

    A caution applies when its drug class is among a medication's classes, its
    ingredient among a medication's ingredients, or its condition holds (any_patient;
    egfr_below_30 / egfr_below_60 from the patient's eGFR, only the stricter of the two
    for the same supplement). A drug caution with no such medication is not raised, nor
    one whose rule is bound to routes the medication's stated route is not among (a
    mineral does not bind ciprofloxacin eye drops). One alert per caution and supplement
    line, so every source of, say, potassium shows. Most severe first.
    """
    sources = _sources(index, medications, supplements)
    if not sources:
        return ()
    egfr = _egfr(patient)
    lines_with = _lines_by_drug(medications)
    triggers_of: dict[int, tuple[int, ...] | None] = {}  # a rule's triggers, once per list
    found: list[tuple[SupplementCautionRule, _Source, tuple[int, ...]]] = []
    for source in sources:
        for rule in index.cautions_by_supplement.get(source.supplement, ()):
            if id(rule) not in triggers_of:  # by identity: keys are unique only by validation
                triggers_of[id(rule)] = _triggers(rule, medications, egfr, lines_with)
            triggers = triggers_of[id(rule)]
            if triggers is not None:
                found.append((rule, source, triggers))
    found = _strictest_kidney_cautions(found)
    alerts = [_alert(rule, source, triggers, medications) for rule, source, triggers in found]
    alerts.sort(
        key=lambda a: (
            a.severity.rank,
            a.key,
            a.source.list != ListKind.SUPPLEMENTS,
            a.source.index,
        )
    )
    return tuple(alerts)


def _alert(
    rule: SupplementCautionRule,
    source: _Source,
    triggers: tuple[int, ...],
    medications: Sequence[Line],
) -> SupplementCaution:
    confirmed = source.confirmed and (
        not triggers or any(medications[p].is_confirmed for p in triggers)
    )
    unstated = any(rule.route_rule.unstated(medications[p].route) for p in triggers)
    return SupplementCaution(
        key=rule.key,
        supplement=rule.supplement,
        source=SupplementSource(list=source.list_kind, index=source.index),
        medication_indexes=triggers,
        needs_confirmation=not confirmed,
        route_note=rule.route_rule.note() if unstated else None,
        **rule.advice.result_fields(),
    )


def _lines_by_drug(medications: Sequence[Line]) -> dict[tuple[str, str], set[int]]:
    """("class", slug) or ("ingredient", name) -> the screened medication lines that have it."""
    lines_with: dict[tuple[str, str], set[int]] = {}
    for position, line in enumerate(medications):
        if line.is_screened:
            for drug_class in line.drug_classes:
                lines_with.setdefault(("class", drug_class), set()).add(position)
            for ingredient in line.ingredients:
                lines_with.setdefault(("ingredient", ingredient), set()).add(position)
    return lines_with


def _triggers(
    rule: SupplementCautionRule,
    medications: Sequence[Line],
    egfr: float | None,
    lines_with: dict[tuple[str, str], set[int]],
) -> tuple[int, ...] | None:
    """The medication lines that make the caution apply; () for a condition; None if it doesn't."""
    if rule.drug_class or rule.ingredient:
        candidates = lines_with.get(("class", rule.drug_class or ""), set()) | lines_with.get(
            ("ingredient", rule.ingredient or ""), set()
        )
        lines = tuple(
            p for p in sorted(candidates) if not rule.route_rule.excludes(medications[p].route)
        )
        return lines or None
    if rule.condition == "any_patient":
        return ()
    threshold = EGFR_BELOW.get(rule.condition or "")
    if threshold is not None and egfr is not None and egfr < threshold:
        return ()
    return None


def _strictest_kidney_cautions(
    found: list[tuple[SupplementCautionRule, _Source, tuple[int, ...]]],
) -> list[tuple[SupplementCautionRule, _Source, tuple[int, ...]]]:
    """eGFR below 30 and below 60 both hold: keep only the below-30 caution per supplement."""
    lowest: dict[str, float] = {}
    for rule, _, _ in found:
        if rule.condition in EGFR_BELOW:
            threshold = EGFR_BELOW[rule.condition]
            lowest[rule.supplement] = min(threshold, lowest.get(rule.supplement, math.inf))
    return [
        item
        for item in found
        if item[0].condition not in EGFR_BELOW
        or EGFR_BELOW[item[0].condition] == lowest[item[0].supplement]
    ]
