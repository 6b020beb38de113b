"""The knowledge-base records the index holds: immutable, and ready to put in a result."""

from dataclasses import dataclass
from typing import Any

# What a recognised name points at.
INGREDIENT = "ingredient"
PRODUCT = "product"
SUPPLEMENT = "supplement"
EXTERNAL = "external"


@dataclass(frozen=True, slots=True)
class Reference:
    key: str
    citation: str
    url: str
    kind: str
    evidence_level: str

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "citation": self.citation,
            "url": self.url,
            "kind": self.kind,
            "evidence_level": self.evidence_level,
        }


def references_as_dicts(references: tuple[Reference, ...]) -> list[dict[str, str]]:
    return [reference.as_dict() for reference in references]


@dataclass(frozen=True, slots=True)
class DrugClass:
    slug: str
    name: str
    cramp_linked: bool
    evidence_strength: str
    evidence_summary: str
    evidence_references: tuple[Reference, ...]
    mechanism: str
    patient_text: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Ingredient:
    name: str
    classes: tuple[str, ...]
    # Words of its own `salts` list; the general salt vocabulary applies to every ingredient.
    salts: frozenset[str]


@dataclass(frozen=True, slots=True)
class Target:
    """What a name stands for: an ingredient, a product, a supplement or an external name."""

    kind: str
    name: str  # as the knowledge base writes it: "furosemide", "Lasix", "Magnesium"
    ingredients: tuple[str, ...] = ()
    product: str | None = None
    supplement: str | None = None  # slug
    method: str = "exact_ingredient"  # how an exact match on this name is reported


@dataclass(frozen=True, slots=True)
class Supplement:
    slug: str
    name: str
    also: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SupplementCautionRule:
    key: str
    supplement: str
    drug_class: str | None
    ingredient: str | None
    condition: str | None
    severity: str
    mechanism: str
    message: str
    action: str
    patient_text: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class InteractionSide:
    ingredients: frozenset[str]
    drug_classes: frozenset[str]

    def matches(self, ingredient: str, classes: frozenset[str]) -> bool:
        return ingredient in self.ingredients or not self.drug_classes.isdisjoint(classes)


@dataclass(frozen=True, slots=True)
class InteractionRule:
    key: str
    left: InteractionSide
    right: InteractionSide
    severity: str
    mechanism: str
    message: str
    action: str
    patient_text: str
    references: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    code: str
    name: str
    symptoms: tuple[str, ...]
    urgency: str
    urgency_with_related_class: str | None
    related_classes: frozenset[str]
    message: str
    patient_text: str
    references: tuple[Reference, ...]


# Most severe first.
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.get(severity, len(SEVERITY_ORDER))


def advice_as_dict(rule: SupplementCautionRule | InteractionRule) -> dict[str, Any]:
    """The parts every caution and interaction shows: how serious, why, what to do, sources."""
    return {
        "severity": rule.severity,
        "message": rule.message,
        "mechanism": rule.mechanism,
        "action": rule.action,
        "patient_text": rule.patient_text,
        "references": references_as_dicts(rule.references),
    }
