"""The knowledge-base records the index holds: immutable, and ready to put in a result."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, PatientAdvice, Reference
from screening.engine.terms import (
    EvidenceStrength,
    MatchMethod,
    Route,
    Severity,
    Urgency,
)

# What a recognised name points at.
INGREDIENT = "ingredient"
PRODUCT = "product"
SUPPLEMENT = "supplement"
EXTERNAL = "external"

__all__ = ["Reference"]


@dataclass(frozen=True, slots=True)
class RouteRule:
    """The routes a rule applies to; None means every route (the rule is not route-bound)."""

    routes: frozenset[Route] | None = None

    def excludes(self, route: Route | None) -> bool:
        """True when the line's known route is outside the rule (eye drops for a tablet rule)."""
        return self.routes is not None and route is not None and route not in self.routes

    def unstated(self, route: Route | None) -> bool:
        """True when the rule is route-bound but the line did not say its route."""
        return self.routes is not None and route is None

    def note(self) -> str | None:
        if self.routes is None:
            return None
        names = ", ".join(sorted(route.value for route in self.routes))
        return f"The route was not stated on the line; this rule applies to {names} use only."


NO_ROUTE_RULE = RouteRule()


@dataclass(frozen=True, slots=True)
class DrugClass:
    slug: str
    name: str
    cramp_linked: bool
    evidence_strength: EvidenceStrength
    evidence_summary: str
    evidence_references: tuple[Reference, ...]
    mechanism: str
    patient_texts: Mapping[str, str]
    references: tuple[Reference, ...]
    route_rule: RouteRule = NO_ROUTE_RULE


@dataclass(frozen=True, slots=True)
class Ingredient:
    name: str
    classes: tuple[str, ...]
    # Words of its own `salts` list; the general salt vocabulary applies to every ingredient.
    salts: frozenset[str]
    # language -> the generic name in that language (INN), when it differs from `name`
    names: Mapping[str, str]
    # The ingredient's only route, when it has one (salmeterol: inhaled); else None.
    route: Route | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """What a name stands for: an ingredient, a product, a supplement or an external name."""

    kind: str
    name: str  # as the knowledge base writes it: "furosemide", "Lasix", "Magnesium"
    ingredients: tuple[str, ...] = ()
    product: str | None = None
    supplement: str | None = None  # slug
    # Supplements a medicine product also contains (Fosamax Plus D: vitamin_d).
    supplements: tuple[str, ...] = ()
    method: MatchMethod = MatchMethod.EXACT_INGREDIENT  # how an exact match is reported
    route: Route | None = None  # the route a product implies (Fucithalmic: ophthalmic)


@dataclass(frozen=True, slots=True)
class Supplement:
    slug: str
    name: str
    also: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Advice:
    """What every caution and interaction shows: how serious, why, what to do, sources."""

    severity: Severity
    mechanism: str
    message: str
    action: str
    patient_texts: Mapping[str, str]
    references: tuple[Reference, ...]

    def result_fields(self) -> dict:
        """The fields of a caution or interaction in the result that come from this advice."""
        return {
            "severity": self.severity,
            "message": self.message,
            "mechanism": self.mechanism,
            "action": self.action,
            "patient_text": self.patient_texts.get(KNOWLEDGE_BASE_LANGUAGE, ""),
            "patient_texts": dict(self.patient_texts),
            "references": self.references,
        }


@dataclass(frozen=True, slots=True)
class SupplementCautionRule:
    key: str
    supplement: str
    drug_class: str | None
    ingredient: str | None
    condition: str | None
    advice: Advice
    route_rule: RouteRule = NO_ROUTE_RULE  # the routes of the medicine that triggers it


@dataclass(frozen=True, slots=True)
class InteractionSide:
    ingredients: frozenset[str]
    drug_classes: frozenset[str]
    route_rule: RouteRule = NO_ROUTE_RULE

    def matches(self, ingredient: str, classes: Collection[str]) -> bool:
        return ingredient in self.ingredients or not self.drug_classes.isdisjoint(classes)


@dataclass(frozen=True, slots=True)
class InteractionRule:
    key: str
    left: InteractionSide
    right: InteractionSide
    advice: Advice


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    code: str
    name: str
    symptoms: tuple[str, ...]
    urgency: Urgency
    urgency_with_related_class: Urgency | None
    related_classes: frozenset[str]
    message: str
    patient_texts: Mapping[str, str]
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class AdviceRule:
    """A sentence for the patient from advice.yaml: counselling, self-care or a warning sign.
    `advice` is the result part itself, made once with the index, so every screening shares
    it (and the JSON it keeps once stored)."""

    section: str  # counselling | self_care | warning_signs
    when: str  # always | red_flags | supplement_cautions | not_screened
    advice: PatientAdvice
