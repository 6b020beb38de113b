"""Supplement cautions: a supplement the patient takes that is unsafe with their medicines.

A supplement counts wherever it is listed: in the supplements list, or as a supplement
product in the medications list (potassium chloride, Klor-Con, Mag-Ox). A product that
is also another supplement (`also`, e.g. calcium with vitamin D) counts for both.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening.engine.entries import SupplementCautionRule, advice_as_dict, severity_rank
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import PatientFactors
from screening.engine.lines import MEDICATIONS, SUPPLEMENTS, LineResolution

# condition -> the eGFR (mL/min/1.73 m2) it applies below; the lowest is the strictest
_EGFR_BELOW = {"egfr_below_30": 30.0, "egfr_below_60": 60.0}


@dataclass(frozen=True, slots=True)
class SupplementSource:
    supplement: str
    list_kind: str
    index: int
    confirmed: bool


@dataclass(frozen=True, slots=True)
class SupplementCautionAlert:
    rule: SupplementCautionRule
    source: SupplementSource
    medication_indexes: tuple[int, ...]
    needs_confirmation: bool

    def as_dict(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "key": rule.key,
            "supplement": rule.supplement,
            "source": {"list": self.source.list_kind, "index": self.source.index},
            "medication_indexes": list(self.medication_indexes),
            **advice_as_dict(rule),
            "needs_confirmation": self.needs_confirmation,
        }


def supplement_sources(
    index: KnowledgeIndex,
    medications: Sequence[LineResolution],
    supplements: Sequence[LineResolution],
) -> list[SupplementSource]:
    """Every (supplement, line) the patient takes, `also` supplements included."""
    sources: list[SupplementSource] = []
    for list_kind, lines in ((SUPPLEMENTS, supplements), (MEDICATIONS, medications)):
        for position, line in enumerate(lines):
            if not line.is_screened:
                continue
            for slug in _with_also(index, line.supplements):
                sources.append(SupplementSource(slug, list_kind, position, line.is_confirmed))
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
    medications: Sequence[LineResolution],
    supplements: Sequence[LineResolution],
    patient: PatientFactors | None,
) -> tuple[SupplementCautionAlert, ...]:
    """Cautions (supplement_cautions.yaml) for each supplement line taken.

    A caution applies when its drug class is among a medication's classes, its
    ingredient among a medication's ingredients, or its condition holds (any_patient;
    egfr_below_30 / egfr_below_60 from the patient's eGFR, only the stricter of the two
    for the same supplement). A drug caution with no such medication is not raised.
    One alert per caution and supplement line, so every source of, say, potassium shows.
    """
    egfr = _egfr(patient)
    alerts: list[SupplementCautionAlert] = []
    for source in supplement_sources(index, medications, supplements):
        for rule in index.cautions_by_supplement.get(source.supplement, ()):
            triggers = _triggers(rule, medications, egfr)
            if triggers is None:
                continue
            confirmed = source.confirmed and (
                not triggers or any(medications[p].is_confirmed for p in triggers)
            )
            alerts.append(SupplementCautionAlert(rule, source, triggers, not confirmed))
    alerts = _strictest_kidney_cautions(alerts)
    alerts.sort(
        key=lambda a: (
            severity_rank(a.rule.severity),
            a.rule.key,
            a.source.list_kind != SUPPLEMENTS,
            a.source.index,
        )
    )
    return tuple(alerts)


def _triggers(
    rule: SupplementCautionRule, medications: Sequence[LineResolution], egfr: float | None
) -> tuple[int, ...] | None:
    """The medication lines that make the caution apply; () for a condition; None if it doesn't."""
    if rule.drug_class:
        lines = tuple(
            p
            for p, line in enumerate(medications)
            if line.is_screened and rule.drug_class in line.drug_classes
        )
        return lines or None
    if rule.ingredient:
        lines = tuple(
            p
            for p, line in enumerate(medications)
            if line.is_screened and rule.ingredient in line.ingredients
        )
        return lines or None
    if rule.condition == "any_patient":
        return ()
    threshold = _EGFR_BELOW.get(rule.condition or "")
    if threshold is not None and egfr is not None and egfr < threshold:
        return ()
    return None


def _strictest_kidney_cautions(
    alerts: list[SupplementCautionAlert],
) -> list[SupplementCautionAlert]:
    """eGFR below 30 and below 60 both hold: keep only the below-30 caution per supplement."""
    lowest: dict[str, float] = {}
    for alert in alerts:
        if alert.rule.condition in _EGFR_BELOW:
            threshold = _EGFR_BELOW[alert.rule.condition]
            lowest[alert.rule.supplement] = min(
                threshold, lowest.get(alert.rule.supplement, math.inf)
            )
    return [
        alert
        for alert in alerts
        if alert.rule.condition not in _EGFR_BELOW
        or _EGFR_BELOW[alert.rule.condition] == lowest[alert.rule.supplement]
    ]
