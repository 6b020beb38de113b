"""Drug-drug interactions that raise cramp or muscle-injury risk (interactions.yaml)."""

from collections.abc import Sequence
from dataclasses import dataclass

from screening.engine.entries import InteractionRule, InteractionSide
from screening.engine.index import KnowledgeIndex
from screening.engine.result import Interaction, Line
from screening.engine.terms import Route


@dataclass(frozen=True, slots=True)
class _Item:
    """One medicine on one line: an ingredient, or only a class (class-level ATC code)."""

    line: int
    ingredient: str
    classes: frozenset[str]
    confirmed: bool
    route: Route | None


def _items(index: KnowledgeIndex, medications: Sequence[Line]) -> list[_Item]:
    items = []
    for position, line in enumerate(medications):
        if not line.is_screened:
            continue
        for ingredient in line.ingredients:
            items.append(
                _Item(
                    position,
                    ingredient,
                    frozenset(index.classes_of(ingredient)),
                    line.is_confirmed,
                    line.route,
                )
            )
        if not line.ingredients and line.drug_classes:
            items.append(
                _Item(position, "", frozenset(line.drug_classes), line.is_confirmed, line.route)
            )
    return items


def _side_items(side: InteractionSide, items: list[_Item]) -> list[_Item]:
    return [
        item
        for item in items
        if side.matches(item.ingredient, item.classes) and not side.route_rule.excludes(item.route)
    ]


def find_interactions(
    index: KnowledgeIndex, medications: Sequence[Line]
) -> tuple[Interaction, ...]:
    """Interactions whose `left` matches one medicine and `right` another.

    The two medicines are on different lines, or are two different ingredients of one
    combination line. A side bound to routes does not match a medicine whose stated route
    is another (cyclosporine eye drops with a statin). Nothing is raised when no partner is
    present. One alert per interaction key, listing every line involved; most severe first.
    """
    items = _items(index, medications)
    present_ingredients = frozenset(item.ingredient for item in items)
    present_classes = frozenset(c for item in items for c in item.classes)

    def may_match(side: InteractionSide) -> bool:  # set tests first: most rules are absent
        return not (
            side.ingredients.isdisjoint(present_ingredients)
            and side.drug_classes.isdisjoint(present_classes)
        )

    alerts = []
    for rule in index.interactions:
        if not (may_match(rule.left) and may_match(rule.right)):
            continue
        left = _side_items(rule.left, items)
        right = _side_items(rule.right, items) if left else []
        pairs = [
            (a, b)
            for a in left
            for b in right
            if a.line != b.line or (a.ingredient != b.ingredient and a.ingredient and b.ingredient)
        ]
        if pairs:
            alerts.append(_alert(rule, pairs))
    alerts.sort(key=lambda a: (a.severity.rank, a.key))
    return tuple(alerts)


def _alert(rule: InteractionRule, pairs: list[tuple[_Item, _Item]]) -> Interaction:
    unstated = any(
        rule.left.route_rule.unstated(a.route) or rule.right.route_rule.unstated(b.route)
        for a, b in pairs
    )
    route_rule = rule.left.route_rule if rule.left.route_rule.routes else rule.right.route_rule
    return Interaction(
        key=rule.key,
        medication_indexes=tuple(sorted({item.line for pair in pairs for item in pair})),
        needs_confirmation=not any(a.confirmed and b.confirmed for a, b in pairs),
        route_note=route_rule.note() if unstated else None,
        **rule.advice.result_fields(),
    )
