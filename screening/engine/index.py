"""The knowledge index: everything a screen needs, built once per knowledge-base version.

`build_index` turns a snapshot (the lists of dicts described in docs/knowledge_base.md,
plus the optional `external_names`) into immutable lookups, so screening a list does
no work that grows with the knowledge base except the bucketed fuzzy step.

Every name is keyed by `tokens.compact_key`, the one name key of the project: the
knowledge-base validation uses the same key, so what validation calls a duplicate is
exactly what the index would confuse.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from rapidfuzz import fuzz

from screening.engine.entries import (
    EXTERNAL,
    INGREDIENT,
    NO_ROUTE_RULE,
    PRODUCT,
    SUPPLEMENT,
    Advice,
    AdviceRule,
    DrugClass,
    Ingredient,
    InteractionRule,
    InteractionSide,
    RedFlagRule,
    RouteRule,
    Supplement,
    SupplementCautionRule,
    Target,
)
from screening.engine.external import canonical_ingredient
from screening.engine.fuzzy import FuzzyNames, build_fuzzy_names
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, PatientAdvice, Reference
from screening.engine.terms import (
    SYSTEMIC_ROUTES,
    EvidenceStrength,
    MatchMethod,
    Route,
    Severity,
    Urgency,
)
from screening.engine.tokens import compact_key, name_words

# How close an open-vocabulary name must be to its ingredient to count as that generic
# name spelt another way rather than as a brand.
GENERIC_SPELLING_SIMILARITY = 85

# External names longer than this many words are never looked up.
EXTERNAL_MAX_WORDS = 8
# The word a rule's `routes` may use for every route that reaches the blood.
SYSTEMIC = "systemic"


@dataclass(frozen=True, eq=False, repr=False)
class KnowledgeIndex:
    version: str
    languages: tuple[str, ...]  # every language the knowledge base's patient texts are in
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
    # The interactions (by position) each ingredient and each class can start: a list only
    # tries the rules its medicines can match on the left.
    interactions_by_left_ingredient: Mapping[str, tuple[int, ...]]
    interactions_by_left_class: Mapping[str, tuple[int, ...]]
    red_flags: tuple[RedFlagRule, ...]
    symptom_codes: frozenset[str]
    advice: tuple[AdviceRule, ...] = ()
    # compact key -> (name, why): brands that mean different medicines in different markets
    ambiguous_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # The date of the RxNorm release product codes are read through; None without one.
    rxnorm_release: str | None = None
    # Lines already read from text alone, by (list, text): the same index reads the same
    # text the same way, and pharmacies send the same lines all day (lines.read_line).
    line_memo: dict = field(default_factory=dict, compare=False)

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
        written = compact_key(canonical_ingredient(name))
        is_generic = any(
            fuzz.ratio(written, compact_key(ingredient)) >= GENERIC_SPELLING_SIMILARITY
            for ingredient in ingredients
        )
        return Target(
            kind=EXTERNAL,
            name=name,
            ingredients=ingredients,
            product=None if is_generic else name,
            method=MatchMethod.EXTERNAL_VOCABULARY,
        )


# --- Reading snapshot values ---------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _names(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        return []
    return [str(item) for item in value if item is not None and str(item).strip()]


def _entries(snapshot: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [entry for entry in snapshot.get(kind) or () if isinstance(entry, Mapping)]


def _texts(entry: Mapping[str, Any], field: str) -> Mapping[str, str]:
    """The field's wording in every language: the entry's own (English) and its translations."""
    texts = {KNOWLEDGE_BASE_LANGUAGE: _text(entry.get(field))}
    translations = entry.get("translations")
    if isinstance(translations, Mapping):
        for language, fields in translations.items():
            if isinstance(fields, Mapping) and _text(fields.get(field)):
                texts[str(language)] = _text(fields.get(field))
    return MappingProxyType(texts)


def _route(value: Any) -> Route | None:
    try:
        return Route(_text(value)) if _text(value) else None
    except ValueError:
        return None


def _route_rule(value: Any) -> RouteRule:
    """`routes: [oral]` or `routes: [systemic, inhaled]`; absent means every route."""
    names = _names(value)
    if not names:
        return NO_ROUTE_RULE
    routes: set[Route] = set()
    for name in names:
        if name == SYSTEMIC:
            routes |= SYSTEMIC_ROUTES
        elif (route := _route(name)) is not None:
            routes.add(route)
    return RouteRule(frozenset(routes))


def _references(keys: Any, references: Mapping[str, Reference]) -> tuple[Reference, ...]:
    # An unknown key (a knowledge base being written) stays visible rather than vanishing.
    return tuple(references.get(key) or Reference(key=key) for key in _names(keys))


def _enum(kind: type, value: Any, default: Any) -> Any:
    try:
        return kind(_text(value))
    except ValueError:
        return default


def _frozen(mapping: dict) -> MappingProxyType:
    return MappingProxyType(mapping)


def _languages(snapshot: Mapping[str, Any]) -> tuple[str, ...]:
    found = {KNOWLEDGE_BASE_LANGUAGE}
    for kind in snapshot:
        for entry in _entries(snapshot, kind) if kind != "external_names" else ():
            translations = entry.get("translations")
            if isinstance(translations, Mapping):
                found.update(str(language) for language in translations)
    return tuple(sorted(found))


# --- Building ------------------------------------------------------------------------------


def build_index(snapshot: Mapping[str, Any], version: str) -> KnowledgeIndex:
    """Precompute every lookup the screen needs from a knowledge-base snapshot."""
    references = _build_references(snapshot)
    drug_classes, atc_class_prefixes = _build_drug_classes(snapshot, references)
    names = _NameTable()
    ingredients, ingredient_targets, rxnorm, atc = _build_ingredients(snapshot, names)
    _add_products(snapshot, names, rxnorm)
    supplements = _add_supplements(snapshot, names)
    curated = names.curated
    interactions = _build_interactions(snapshot, references)
    by_left_ingredient, by_left_class = _interactions_by_left_side(interactions)
    return KnowledgeIndex(
        version=str(version),
        languages=_languages(snapshot),
        references=_frozen(references),
        drug_classes=_frozen(drug_classes),
        ingredients=_frozen(ingredients),
        supplements=_frozen(supplements),
        curated_names=_frozen(curated),
        # One more word than the longest name: "co amilo fruse" still compacts to the name.
        curated_max_words=names.max_words + 1,
        external_names=_frozen(_external_names(snapshot.get("external_names") or (), curated)),
        external_max_words=EXTERNAL_MAX_WORDS,
        fuzzy=build_fuzzy_names(curated, _look_alike_groups(snapshot, curated)),
        rxnorm=_frozen(rxnorm),
        atc=_frozen(atc),
        atc_class_prefixes=tuple(atc_class_prefixes),
        cautions_by_supplement=_build_cautions(snapshot, references),
        interactions=interactions,
        interactions_by_left_ingredient=_frozen(by_left_ingredient),
        interactions_by_left_class=_frozen(by_left_class),
        red_flags=_build_red_flags(snapshot, references),
        symptom_codes=frozenset(_text(s.get("code")) for s in _entries(snapshot, "symptoms")),
        advice=_build_advice(snapshot, references),
        ambiguous_names=_frozen(
            {
                compact_key(_text(entry.get("name"))): (
                    _text(entry.get("name")),
                    _text(entry.get("reason")),
                )
                for entry in _entries(snapshot, "ambiguous_names")
                if compact_key(_text(entry.get("name")))
            }
        ),
        rxnorm_release=next(
            (_text(r.get("released_on")) for r in _entries(snapshot, "rxnorm_release")), None
        ),
    )


def _build_references(snapshot: Mapping[str, Any]) -> dict[str, Reference]:
    return {
        _text(r.get("key")): Reference(
            key=_text(r.get("key")),
            citation=_text(r.get("citation")),
            url=_text(r.get("url")),
            kind=_text(r.get("kind")),
            evidence_level=_text(r.get("evidence_level")),
        )
        for r in _entries(snapshot, "references")
        if _text(r.get("key"))
    }


def _build_drug_classes(
    snapshot: Mapping[str, Any], references: Mapping[str, Reference]
) -> tuple[dict[str, DrugClass], list[tuple[str, str]]]:
    drug_classes: dict[str, DrugClass] = {}
    atc_class_prefixes: list[tuple[str, str]] = []
    for c in _entries(snapshot, "drug_classes"):
        slug = _text(c.get("slug"))
        if not slug:
            continue
        evidence = c.get("evidence") if isinstance(c.get("evidence"), Mapping) else {}
        drug_classes[slug] = DrugClass(
            slug=slug,
            name=_text(c.get("name")) or slug,
            cramp_linked=bool(c.get("cramp_linked")),
            evidence_strength=_enum(
                EvidenceStrength, evidence.get("strength"), EvidenceStrength.NOT_APPLICABLE
            ),
            evidence_summary=_text(evidence.get("summary")),
            evidence_references=_references(evidence.get("references"), references),
            mechanism=_text(c.get("mechanism")),
            patient_texts=_texts(c, "patient_text"),
            references=_references(c.get("references"), references),
            route_rule=_route_rule(c.get("routes")),
        )
        atc_class_prefixes.extend(
            (code.strip().upper(), slug) for code in _names(c.get("atc_codes"))
        )
    atc_class_prefixes.sort(key=lambda pair: (-len(pair[0]), pair))
    return drug_classes, atc_class_prefixes


class _NameTable:
    """compact key -> target; the first claim wins (ingredients, then products, supplements).

    The knowledge-base loader refuses two entries whose keys collide and point at different
    medicines, so for curated files "first claim wins" only ever merges one medicine's names."""

    def __init__(self) -> None:
        self.curated: dict[str, Target] = {}
        self.max_words = 1

    def claim(self, name: str, target: Target) -> None:
        key = compact_key(name)
        if key and key not in self.curated:
            self.curated[key] = target
            self.max_words = max(self.max_words, len(name_words(name)))


def _single_route(entry: Mapping[str, Any]) -> Route | None:
    routes = {route for name in _names(entry.get("routes")) if (route := _route(name))}
    return next(iter(routes)) if len(routes) == 1 else None


def _build_ingredients(
    snapshot: Mapping[str, Any], names: _NameTable
) -> tuple[dict[str, Ingredient], dict[str, Target], dict[str, Target], dict[str, Target]]:
    ingredients: dict[str, Ingredient] = {}
    targets: dict[str, Target] = {}
    rxnorm: dict[str, Target] = {}
    atc_ingredients: dict[str, list[str]] = {}
    entries = [(_text(i.get("name")).lower(), i) for i in _entries(snapshot, "ingredients")]
    for name, entry in entries:
        if not name:
            continue
        translated = _texts(entry, "name")
        ingredients[name] = Ingredient(
            name=name,
            classes=tuple(sorted(_names(entry.get("classes")))),
            salts=frozenset(w for salt in _names(entry.get("salts")) for w in name_words(salt)),
            names=_frozen({lang: n for lang, n in translated.items() if n and n != name}),
            route=_single_route(entry),
        )
        targets[name] = Target(kind=INGREDIENT, name=name, ingredients=(name,))
        names.claim(name, targets[name])
        if rxcui := _text(entry.get("rxcui")):
            rxnorm.setdefault(rxcui, targets[name])
        for code in _names(entry.get("atc")):
            atc_ingredients.setdefault(code.strip().upper(), []).append(name)
    for name, entry in entries:
        for synonym in _names(entry.get("synonyms")) if name else ():
            names.claim(synonym, targets[name])
    atc = {
        code: targets[found[0]]
        if len(set(found)) == 1
        else Target(
            kind=INGREDIENT,
            name=" / ".join(sorted(set(found))),
            ingredients=tuple(sorted(set(found))),
        )
        for code, found in atc_ingredients.items()
    }
    return ingredients, targets, rxnorm, atc


def _add_products(
    snapshot: Mapping[str, Any], names: _NameTable, rxnorm: dict[str, Target]
) -> None:
    for p in _entries(snapshot, "products"):
        name = _text(p.get("name"))
        product_ingredients = tuple(sorted({i.lower() for i in _names(p.get("ingredients"))}))
        if not name or not product_ingredients:
            continue
        target = Target(
            kind=PRODUCT,
            name=name,
            ingredients=product_ingredients,
            product=name,
            method=MatchMethod.CO_NAME
            if _text(p.get("kind")) == "co_name"
            else MatchMethod.EXACT_PRODUCT,
            route=_route(p.get("route")),
            supplements=tuple(_names(p.get("supplements"))),
        )
        names.claim(name, target)
        if rxcui := _text(p.get("rxcui")):
            rxnorm.setdefault(rxcui, target)


def _add_supplements(snapshot: Mapping[str, Any], names: _NameTable) -> dict[str, Supplement]:
    supplements: dict[str, Supplement] = {}
    for s in _entries(snapshot, "supplements"):
        slug = _text(s.get("slug"))
        if not slug:
            continue
        name = _text(s.get("name")) or slug
        supplements[slug] = Supplement(slug=slug, name=name, also=tuple(_names(s.get("also"))))
        target = Target(kind=SUPPLEMENT, name=name, supplement=slug, method=MatchMethod.SUPPLEMENT)
        for supplement_name in [
            name,
            *_names(s.get("synonyms")),
            *_names(s.get("forms")),
            *_names(s.get("products")),
            slug,
        ]:
            names.claim(supplement_name, target)
    return supplements


def _look_alike_groups(
    snapshot: Mapping[str, Any], curated: Mapping[str, Target]
) -> list[tuple[tuple[str, Target], ...]]:
    groups = []
    for group in _entries(snapshot, "look_alike_names"):
        members = tuple(
            (compact_key(name), curated[compact_key(name)])
            for name in _names(group.get("names"))
            if compact_key(name) in curated
        )
        if len({target for _, target in members}) > 1:
            groups.append(members)
    return groups


def _advice(entry: Mapping[str, Any], references: Mapping[str, Reference]) -> Advice:
    return Advice(
        severity=_enum(Severity, entry.get("severity"), Severity.INFO),
        mechanism=_text(entry.get("mechanism")),
        message=_text(entry.get("message")),
        action=_text(entry.get("action")),
        patient_texts=_texts(entry, "patient_text"),
        references=_references(entry.get("references"), references),
    )


def _build_cautions(
    snapshot: Mapping[str, Any], references: Mapping[str, Reference]
) -> Mapping[str, tuple[SupplementCautionRule, ...]]:
    cautions: dict[str, list[SupplementCautionRule]] = {}
    for c in _entries(snapshot, "supplement_cautions"):
        rule = SupplementCautionRule(
            key=_text(c.get("key")),
            supplement=_text(c.get("supplement")),
            drug_class=_text(c.get("drug_class")) or None,
            ingredient=_text(c.get("ingredient")).lower() or None,
            condition=_text(c.get("condition")) or None,
            advice=_advice(c, references),
            route_rule=_route_rule(c.get("routes")),
        )
        cautions.setdefault(rule.supplement, []).append(rule)
    return _frozen({slug: tuple(rules) for slug, rules in cautions.items()})


def _side(value: Any) -> InteractionSide:
    value = value if isinstance(value, Mapping) else {}
    return InteractionSide(
        ingredients=frozenset(name.lower() for name in _names(value.get("ingredients"))),
        drug_classes=frozenset(_names(value.get("drug_classes"))),
        route_rule=_route_rule(value.get("routes")),
    )


def _build_interactions(
    snapshot: Mapping[str, Any], references: Mapping[str, Reference]
) -> tuple[InteractionRule, ...]:
    return tuple(
        InteractionRule(
            key=_text(i.get("key")),
            left=_side(i.get("left")),
            right=_side(i.get("right")),
            advice=_advice(i, references),
        )
        for i in _entries(snapshot, "interactions")
    )


def _build_red_flags(
    snapshot: Mapping[str, Any], references: Mapping[str, Reference]
) -> tuple[RedFlagRule, ...]:
    return tuple(
        RedFlagRule(
            code=_text(r.get("code")),
            name=_text(r.get("name")),
            symptoms=tuple(_names(r.get("symptoms"))),
            urgency=_enum(Urgency, r.get("urgency"), Urgency.SOON),
            urgency_with_related_class=_enum(Urgency, r.get("urgency_with_related_class"), None),
            related_classes=frozenset(_names(r.get("related_classes"))),
            message=_text(r.get("message")),
            patient_texts=_texts(r, "patient_text"),
            references=_references(r.get("references"), references),
        )
        for r in _entries(snapshot, "red_flags")
    )


def _interactions_by_left_side(
    interactions: tuple[InteractionRule, ...],
) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    by_ingredient: dict[str, list[int]] = {}
    by_class: dict[str, list[int]] = {}
    for position, rule in enumerate(interactions):
        for ingredient in rule.left.ingredients:
            by_ingredient.setdefault(ingredient, []).append(position)
        for drug_class in rule.left.drug_classes:
            by_class.setdefault(drug_class, []).append(position)
    return (
        {name: tuple(rules) for name, rules in by_ingredient.items()},
        {name: tuple(rules) for name, rules in by_class.items()},
    )


def _build_advice(
    snapshot: Mapping[str, Any], references: Mapping[str, Reference]
) -> tuple[AdviceRule, ...]:
    rules = []
    for a in _entries(snapshot, "advice"):
        texts = _texts(a, "text")
        advice = PatientAdvice(
            key=_text(a.get("key")),
            text=texts.get(KNOWLEDGE_BASE_LANGUAGE, ""),
            texts=dict(texts),
            urgency=_enum(Urgency, a.get("urgency"), None),
            references=_references(a.get("references"), references),
        )
        rules.append(
            AdviceRule(
                section=_text(a.get("section")),
                when=_text(a.get("when")) or "always",
                advice=advice,
            )
        )
    return tuple(rules)


def _external_names(
    rows: Iterable[Any], curated: Mapping[str, Target]
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """compact key -> (name, ingredients); curated names win, conflicting names are dropped.

    Ingredients are named as the curated files name them when they are curated ("ATORVASTATIN
    CALCIUM", "propranolol (cardiovascular)" -> the curated ingredient), else as the US generic
    name without salt, release form or parenthesis."""
    canonical_cache: dict[str, str] = {}

    def canonical(ingredient: str) -> str:
        if ingredient not in canonical_cache:
            plain = canonical_ingredient(ingredient)
            target = curated.get(compact_key(plain))
            if target is not None and target.kind == INGREDIENT and len(target.ingredients) == 1:
                plain = target.ingredients[0]
            canonical_cache[ingredient] = plain
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
