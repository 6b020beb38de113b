"""Drug-drug interactions that raise cramp or muscle-injury risk (interactions.yaml)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from screening.engine.entries import (
    InteractionRule,
    advice_as_dict,
    severity_rank,
)
from screening.engine.index import KnowledgeIndex
from screening.engine.lines import LineResolution


@dataclass(frozen=True, slots=True)
class InteractionAlert:
    rule: InteractionRule
    medication_indexes: tuple[int, ...]
    needs_confirmation: bool

    def as_dict(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "key": rule.key,
            "medication_indexes": list(self.medication_indexes),
            **advice_as_dict(rule),
            "needs_confirmation": self.needs_confirmation,
        }


@dataclass(frozen=True, slots=True)
class _Item:
    """One medicine on one line: an ingredient, or only a class (class-level ATC code)."""

    line: int
    ingredient: str
    classes: frozenset[str]
    confirmed: bool


def _items(index: KnowledgeIndex, medications: Sequence[LineResolution]) -> list[_Item]:
    items = []
    for position, line in enumerate(medications):
        if not line.is_screened:
            continue
        for ingredient in line.ingredients:
            items.append(
                _Item(
                    position, ingredient, frozenset(index.classes_of(ingredient)), line.is_confirmed
                )
            )
        if not line.ingredients and line.drug_classes:
            items.append(_Item(position, "", frozenset(line.drug_classes), line.is_confirmed))
    return items


def find_interactions(
    index: KnowledgeIndex, medications: Sequence[LineResolution]
) -> tuple[InteractionAlert, ...]:
    """Interactions whose `left` matches one medicine and `right` another.

    The two medicines are on different lines, or are two different ingredients of one
    combination line. Nothing is raised when no partner is present. One alert per
    interaction key, listing every line involved.
    """
    items = _items(index, medications)
    alerts = []
    for rule in index.interactions:
        left = [item for item in items if rule.left.matches(item.ingredient, item.classes)]
        right = [item for item in items if rule.right.matches(item.ingredient, item.classes)]
        pairs = [
            (a, b)
            for a in left
            for b in right
            if a.line != b.line or (a.ingredient != b.ingredient and a.ingredient and b.ingredient)
        ]
        if pairs:
            alerts.append(
                InteractionAlert(
                    rule=rule,
                    medication_indexes=tuple(
                        sorted({item.line for pair in pairs for item in pair})
                    ),
                    needs_confirmation=not any(a.confirmed and b.confirmed for a, b in pairs),
                )
            )
    alerts.sort(key=lambda a: (severity_rank(a.rule.severity), a.rule.key))
    return tuple(alerts)
