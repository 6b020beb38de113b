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
    classes: tuple[str, ...]
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
                    index.classes_of(ingredient),
                    line.is_confirmed,
                    line.route,
                )
            )
        if not line.ingredients and line.drug_classes:
            items.append(_Item(position, "", line.drug_classes, line.is_confirmed, line.route))
    return items


class _ItemsByDrug:
    """The items by ingredient and by class, so a rule's side finds its items directly
    instead of testing every item of the list."""

    def __init__(self, items: list[_Item]):
        self.by_ingredient: dict[str, list[_Item]] = {}
        self.by_class: dict[str, list[_Item]] = {}
        for item in items:
            if item.ingredient:
                self.by_ingredient.setdefault(item.ingredient, []).append(item)
            for drug_class in item.classes:
                self.by_class.setdefault(drug_class, []).append(item)

    def may_match(self, side: InteractionSide) -> bool:
        """False when no item can match the side, whatever its route: a quick test that
        most rules' other side fails."""
        return not (
            self.by_ingredient.keys().isdisjoint(side.ingredients)
            and self.by_class.keys().isdisjoint(side.drug_classes)
        )

    def matching(self, side: InteractionSide) -> list[_Item]:
        found: dict[int, _Item] = {}  # by identity: an item may match by name and by class
        for ingredient in side.ingredients:
            found.update((id(item), item) for item in self.by_ingredient.get(ingredient, ()))
        for drug_class in side.drug_classes:
            found.update((id(item), item) for item in self.by_class.get(drug_class, ()))
        return [item for item in found.values() if not side.route_rule.excludes(item.route)]


def find_interactions(
    index: KnowledgeIndex, medications: Sequence[Line]
) -> tuple[Interaction, ...]:
    """Interactions whose `left` matches one medicine and `right` another.

    The two medicines are on different lines, or are two different ingredients of one
    combination line. A side bound to routes does not match a medicine whose stated route
    is another (cyclosporine eye drops with a statin). Nothing is raised when no partner is
    present. One alert per interaction key, listing every line involved; most severe first.
    """
    items = _ItemsByDrug(_items(index, medications))
    by_ingredient, by_class = (
        index.interactions_by_left_ingredient,
        index.interactions_by_left_class,
    )
    candidates = {
        *(n for ingredient in items.by_ingredient for n in by_ingredient.get(ingredient, ())),
        *(n for drug_class in items.by_class for n in by_class.get(drug_class, ())),
    }
    alerts = []
    for rule in (index.interactions[n] for n in sorted(candidates)):
        if not items.may_match(rule.right):
            continue
        left = items.matching(rule.left)
        right = items.matching(rule.right) if left else []
        alert = _alert(rule, left, right) if right else None
        if alert is not None:
            alerts.append(alert)
    alerts.sort(key=lambda a: (a.severity.rank, a.key))
    return tuple(alerts)


class _Partners:
    """The items of one side, to ask in constant time whether an item of the other side
    pairs with any of them: a medicine on another line, or another ingredient of the same
    combination line. Pairs are never listed (a long list repeating a statin and an
    azole would make them quadratic)."""

    def __init__(self, items: list[_Item]):
        self.lines = {item.line for item in items}
        self.ingredients_on_line: dict[int, set[str]] = {}
        for item in items:
            self.ingredients_on_line.setdefault(item.line, set()).add(item.ingredient)

    def pair_with(self, item: _Item) -> bool:
        if not self.lines:
            return False
        if len(self.lines) > 1 or item.line not in self.lines:
            return True
        if not item.ingredient:
            return False
        same_line = self.ingredients_on_line[item.line]
        return any(other and other != item.ingredient for other in same_line)


def _alert(rule: InteractionRule, left: list[_Item], right: list[_Item]) -> Interaction | None:
    """One alert covering every pair of a left and a right item; None when nothing pairs."""
    right_partners, left_partners = _Partners(right), _Partners(left)
    paired_left = [a for a in left if right_partners.pair_with(a)]
    if not paired_left:
        return None
    paired_right = [b for b in right if left_partners.pair_with(b)]
    confirmed_right = _Partners([b for b in right if b.confirmed])
    confirmed_pair = any(confirmed_right.pair_with(a) for a in left if a.confirmed)
    unstated = any(rule.left.route_rule.unstated(a.route) for a in paired_left) or any(
        rule.right.route_rule.unstated(b.route) for b in paired_right
    )
    route_rule = rule.left.route_rule if rule.left.route_rule.routes else rule.right.route_rule
    return Interaction(
        key=rule.key,
        medication_indexes=tuple(sorted({item.line for item in (*paired_left, *paired_right)})),
        needs_confirmation=not confirmed_pair,
        route_note=route_rule.note() if unstated else None,
        **rule.advice.result_fields(),
    )
