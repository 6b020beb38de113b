"""The knowledge index: everything a screen needs, built once per knowledge-base version.

`build_index` turns a snapshot (the lists of dicts described in docs/knowledge_base.md,
plus the optional `external_names`) into immutable lookups, so screening a list does
no work that grows with the knowledge base except the bucketed fuzzy step.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from rapidfuzz import fuzz

from screening.engine.entries import (
    EXTERNAL,
    INGREDIENT,
    PRODUCT,
    SUPPLEMENT,
    DrugClass,
    Ingredient,
    InteractionRule,
    InteractionSide,
    RedFlagRule,
    Reference,
    Supplement,
    SupplementCautionRule,
    Target,
)
from screening.engine.fuzzy import FuzzyNames, build_fuzzy_names
from screening.engine.tokens import compact_key, name_words
from screening.engine.vocabulary import GENERAL_SALTS

# How close an open-vocabulary name must be to its ingredient to count as that generic
# name spelt another way rather than as a brand.
GENERIC_SPELLING_SIMILARITY = 85

# External names longer than this many words are never looked up.
EXTERNAL_MAX_WORDS = 8
_PRODUCT_METHODS = {"co_name": "co_name"}


@dataclass(frozen=True, eq=False, repr=False)
class KnowledgeIndex:
    version: str
    references: Mapping[str, Reference]
    drug_classes: Mapping[str, DrugClass]
    ingredients: Mapping[str, Ingredient]
    supplements: Mapping[str, Supplement]
    # compact key -> what the name stands for (ingredient names and synonyms, products,
    # supplement names, synonyms, forms and products)
    curated_names: Mapping[str, Target]
    curated_max_words: int
    # compact key -> (name, ingredients); exact match only, curated names excluded
    external_names: Mapping[str, tuple[str, tuple[str, ...]]]
    external_max_words: int
    fuzzy: FuzzyNames
    rxnorm: Mapping[str, Target]
    atc: Mapping[str, Target]
    atc_class_prefixes: tuple[tuple[str, str], ...]  # (prefix, class slug), longest first
    cautions_by_supplement: Mapping[str, tuple[SupplementCautionRule, ...]]
    interactions: tuple[InteractionRule, ...]
    red_flags: tuple[RedFlagRule, ...]
    symptom_codes: frozenset[str]

    def __repr__(self) -> str:
        return (
            f"<KnowledgeIndex {self.version}: {len(self.curated_names)} curated names, "
            f"{len(self.external_names)} external names>"
        )

    def classes_of(self, ingredient: str) -> tuple[str, ...]:
        found = self.ingredients.get(ingredient)
        return found.classes if found else ()

    def external_target(self, key: str) -> Target | None:
        entry = self.external_names.get(key)
        if entry is None:
            return None
        name, ingredients = entry
        # A brand ("Tylenol") names a product; a generic name ("warfarin sodium") or its
        # spelling in another language ("metolazon", "atorvastatina") does not.
        words = name.lower().split()
        while len(words) > 1 and words[-1] in GENERAL_SALTS:
            words.pop()
        written = compact_key(" ".join(words))
        is_generic = any(
            fuzz.ratio(written, compact_key(ingredient)) >= GENERIC_SPELLING_SIMILARITY
            for ingredient in ingredients
        )
        return Target(
            kind=EXTERNAL,
            name=name,
            ingredients=ingredients,
            product=None if is_generic else name,
            method="external_vocabulary",
        )


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _names(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        return []
    return [str(item) for item in value if item is not None and str(item).strip()]


def _references(keys: Any, references: Mapping[str, Reference]) -> tuple[Reference, ...]:
    # An unknown key (a knowledge base being written) stays visible rather than vanishing.
    return tuple(references.get(key) or Reference(key, "", "", "", "") for key in _names(keys))


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


def build_index(snapshot: Mapping[str, Iterable[dict]], version: str) -> KnowledgeIndex:
    """Precompute every lookup the screen needs from a knowledge-base snapshot."""

    def entries(kind: str) -> list[dict]:
        return [entry for entry in snapshot.get(kind) or () if isinstance(entry, Mapping)]

    references = {
        _text(r.get("key")): Reference(
            key=_text(r.get("key")),
            citation=_text(r.get("citation")),
            url=_text(r.get("url")),
            kind=_text(r.get("kind")),
            evidence_level=_text(r.get("evidence_level")),
        )
        for r in entries("references")
        if _text(r.get("key"))
    }

    drug_classes: dict[str, DrugClass] = {}
    atc_class_prefixes: list[tuple[str, str]] = []
    for c in entries("drug_classes"):
        slug = _text(c.get("slug"))
        if not slug:
            continue
        evidence = c.get("evidence") if isinstance(c.get("evidence"), Mapping) else {}
        drug_classes[slug] = DrugClass(
            slug=slug,
            name=_text(c.get("name")) or slug,
            cramp_linked=bool(c.get("cramp_linked")),
            evidence_strength=_text(evidence.get("strength")) or "not_applicable",
            evidence_summary=_text(evidence.get("summary")),
            evidence_references=_references(evidence.get("references"), references),
            mechanism=_text(c.get("mechanism")),
            patient_text=_text(c.get("patient_text")),
            references=_references(c.get("references"), references),
        )
        atc_class_prefixes.extend(
            (code.strip().upper(), slug) for code in _names(c.get("atc_codes"))
        )
    atc_class_prefixes.sort(key=lambda pair: (-len(pair[0]), pair))

    curated: dict[str, Target] = {}
    max_words = 1

    def claim(name: str, target: Target) -> None:
        nonlocal max_words
        key = compact_key(name)
        if key and key not in curated:  # the first claim wins: ingredients, products, supplements
            curated[key] = target
            max_words = max(max_words, len(name_words(name)))

    ingredients: dict[str, Ingredient] = {}
    ingredient_targets: dict[str, Target] = {}
    rxnorm: dict[str, Target] = {}
    atc_ingredients: dict[str, list[str]] = {}
    ingredient_entries = [(_text(i.get("name")).lower(), i) for i in entries("ingredients")]
    for name, entry in ingredient_entries:
        if not name:
            continue
        salts = {word for salt in _names(entry.get("salts")) for word in name_words(salt)}
        ingredients[name] = Ingredient(
            name=name,
            classes=tuple(sorted(_names(entry.get("classes")))),
            salts=frozenset(salts),
        )
        target = Target(kind=INGREDIENT, name=name, ingredients=(name,), method="exact_ingredient")
        ingredient_targets[name] = target
        claim(name, target)
        if rxcui := _text(entry.get("rxcui")):
            rxnorm.setdefault(rxcui, target)
        for code in _names(entry.get("atc")):
            atc_ingredients.setdefault(code.strip().upper(), []).append(name)
    for name, entry in ingredient_entries:
        for synonym in _names(entry.get("synonyms")) if name else ():
            claim(synonym, ingredient_targets[name])

    for p in entries("products"):
        name = _text(p.get("name"))
        product_ingredients = tuple(sorted({i.lower() for i in _names(p.get("ingredients"))}))
        if not name or not product_ingredients:
            continue
        target = Target(
            kind=PRODUCT,
            name=name,
            ingredients=product_ingredients,
            product=name,
            method=_PRODUCT_METHODS.get(_text(p.get("kind")), "exact_product"),
        )
        claim(name, target)
        if rxcui := _text(p.get("rxcui")):
            rxnorm.setdefault(rxcui, target)

    supplements: dict[str, Supplement] = {}
    for s in entries("supplements"):
        slug = _text(s.get("slug"))
        if not slug:
            continue
        name = _text(s.get("name")) or slug
        supplements[slug] = Supplement(slug=slug, name=name, also=tuple(_names(s.get("also"))))
        target = Target(kind=SUPPLEMENT, name=name, supplement=slug, method="supplement")
        for supplement_name in [
            name,
            *_names(s.get("synonyms")),
            *_names(s.get("forms")),
            *_names(s.get("products")),
            slug,
        ]:
            claim(supplement_name, target)

    atc = {
        code: ingredient_targets[names[0]]
        if len(set(names)) == 1
        else Target(
            kind=INGREDIENT,
            name=" / ".join(sorted(set(names))),
            ingredients=tuple(sorted(set(names))),
        )
        for code, names in atc_ingredients.items()
    }

    look_alike_groups = []
    for group in entries("look_alike_names"):
        members = tuple(
            (compact_key(name), curated[compact_key(name)])
            for name in _names(group.get("names"))
            if compact_key(name) in curated
        )
        if len({target for _, target in members}) > 1:
            look_alike_groups.append(members)

    external = _external_names(snapshot.get("external_names") or (), curated)

    cautions: dict[str, list[SupplementCautionRule]] = {}
    for c in entries("supplement_cautions"):
        rule = SupplementCautionRule(
            key=_text(c.get("key")),
            supplement=_text(c.get("supplement")),
            drug_class=_text(c.get("drug_class")) or None,
            ingredient=_text(c.get("ingredient")).lower() or None,
            condition=_text(c.get("condition")) or None,
            severity=_text(c.get("severity")) or "info",
            mechanism=_text(c.get("mechanism")),
            message=_text(c.get("message")),
            action=_text(c.get("action")),
            patient_text=_text(c.get("patient_text")),
            references=_references(c.get("references"), references),
        )
        cautions.setdefault(rule.supplement, []).append(rule)

    def side(value: Any) -> InteractionSide:
        value = value if isinstance(value, Mapping) else {}
        return InteractionSide(
            ingredients=frozenset(name.lower() for name in _names(value.get("ingredients"))),
            drug_classes=frozenset(_names(value.get("drug_classes"))),
        )

    interactions = tuple(
        InteractionRule(
            key=_text(i.get("key")),
            left=side(i.get("left")),
            right=side(i.get("right")),
            severity=_text(i.get("severity")) or "info",
            mechanism=_text(i.get("mechanism")),
            message=_text(i.get("message")),
            action=_text(i.get("action")),
            patient_text=_text(i.get("patient_text")),
            references=_references(i.get("references"), references),
        )
        for i in entries("interactions")
    )

    red_flags = tuple(
        RedFlagRule(
            code=_text(r.get("code")),
            name=_text(r.get("name")),
            symptoms=tuple(_names(r.get("symptoms"))),
            urgency=_text(r.get("urgency")) or "soon",
            urgency_with_related_class=_text(r.get("urgency_with_related_class")) or None,
            related_classes=frozenset(_names(r.get("related_classes"))),
            message=_text(r.get("message")),
            patient_text=_text(r.get("patient_text")),
            references=_references(r.get("references"), references),
        )
        for r in entries("red_flags")
    )

    return KnowledgeIndex(
        version=str(version),
        references=_frozen(references),
        drug_classes=_frozen(drug_classes),
        ingredients=_frozen(ingredients),
        supplements=_frozen(supplements),
        # One more word than the longest name: "co amilo fruse" still compacts to the name.
        curated_names=_frozen(curated),
        curated_max_words=max_words + 1,
        external_names=_frozen(external),
        external_max_words=EXTERNAL_MAX_WORDS,
        fuzzy=build_fuzzy_names(curated, look_alike_groups),
        rxnorm=_frozen(rxnorm),
        atc=_frozen(atc),
        atc_class_prefixes=tuple(atc_class_prefixes),
        cautions_by_supplement=_frozen({slug: tuple(rules) for slug, rules in cautions.items()}),
        interactions=interactions,
        red_flags=red_flags,
        symptom_codes=frozenset(_text(s.get("code")) for s in entries("symptoms")),
    )


def _external_names(
    rows: Iterable[Any], curated: Mapping[str, Target]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """compact key -> (name, ingredients); curated names win, conflicting names are dropped."""
    canonical_cache: dict[str, str] = {}

    def canonical(ingredient: str) -> str:
        # "ATORVASTATIN CALCIUM" -> "atorvastatin"; a curated synonym -> the curated name.
        if ingredient not in canonical_cache:
            words = ingredient.lower().split()
            while True:
                target = curated.get(compact_key(" ".join(words)))
                if (
                    target is not None
                    and target.kind == INGREDIENT
                    and len(target.ingredients) == 1
                ):
                    found = target.ingredients[0]
                    break
                if len(words) > 1 and words[-1] in GENERAL_SALTS:
                    words.pop()
                    continue
                found = " ".join(words)
                break
            canonical_cache[ingredient] = found
        return canonical_cache[ingredient]

    ingredient_sets: dict[tuple, tuple[str, ...]] = {}
    external: dict[str, tuple[str, tuple[str, ...]]] = {}
    conflicting: set[str] = set()
    for row in rows:
        try:
            name, raw = row["name"], tuple(row["ingredients"])
            key = compact_key(name)
        except (KeyError, TypeError, AttributeError):
            continue  # a malformed row is skipped, not fatal
        if not key or key in curated or key in conflicting:
            continue
        ingredient_set = ingredient_sets.get(raw)
        if ingredient_set is None:
            ingredient_set = tuple(sorted({canonical(str(i)) for i in raw} - {""}))
            ingredient_sets[raw] = ingredient_set
        if not ingredient_set:
            continue
        previous = external.get(key)
        if previous is not None and previous[1] != ingredient_set:
            # The same name for two different medicines: safer unrecognised than guessed.
            del external[key]
            conflicting.add(key)
            continue
        external[key] = (name, ingredient_set)
    return external
