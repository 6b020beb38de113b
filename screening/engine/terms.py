"""The screening's vocabularies, defined once: every other layer imports them from here.

Values are the strings of the stored result and of API v1; their order (most serious or
strongest first) is the order in which the result lists things. Display labels are the
presentation layer's business (the Django model choices), never typed again elsewhere.
"""

from enum import StrEnum


class _Ranked(StrEnum):
    """A vocabulary whose members are listed most important first."""

    @property
    def rank(self) -> int:
        return list(type(self)).index(self)

    @classmethod
    def rank_of(cls, value: str) -> int:
        """Rank of a stored value; an unknown value sorts last rather than failing."""
        try:
            return cls(value).rank
        except ValueError:
            return len(cls)


class LineStatus(StrEnum):
    MATCHED = "matched"
    PROBABLE = "probable"
    UNRECOGNIZED = "unrecognized"


class ListKind(StrEnum):
    MEDICATIONS = "medications"
    SUPPLEMENTS = "supplements"


class Severity(_Ranked):
    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class Urgency(_Ranked):
    EMERGENCY = "emergency"
    SAME_DAY = "same_day"
    SOON = "soon"


class EvidenceStrength(_Ranked):
    """How strongly the literature links a class with cramps (docs/knowledge_base.md)."""

    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"
    NONE = "none"
    NOT_APPLICABLE = "not_applicable"


class MatchMethod(StrEnum):
    """How a line was read: reported on every line as `match.method`."""

    EXACT_INGREDIENT = "exact_ingredient"
    EXACT_PRODUCT = "exact_product"
    CO_NAME = "co_name"
    COMBINATION = "combination"
    SUPPLEMENT = "supplement"
    FUZZY = "fuzzy"
    EXTERNAL_VOCABULARY = "external_vocabulary"
    CODE_RXNORM = "code_rxnorm"
    CODE_NDC = "code_ndc"
    CODE_ATC = "code_atc"
    CODE_ATC_CLASS = "code_atc_class"
    # The code was not known, so the coding's display (or the concept's text) was read.
    CODING_DISPLAY = "coding_display"


class Route(StrEnum):
    """Where a medicine goes. Written on the line ("eye drops"), or implied by its product."""

    ORAL = "oral"
    INJECTION = "injection"
    TRANSDERMAL = "transdermal"
    RECTAL = "rectal"
    INHALED = "inhaled"
    NASAL = "nasal"
    OPHTHALMIC = "ophthalmic"
    OTIC = "otic"
    TOPICAL = "topical"
    VAGINAL = "vaginal"


# Routes that put a medicine into the blood in amounts that matter for systemic rules
# (muscle toxicity, mineral binding in the gut does not count here: that is `oral` only).
SYSTEMIC_ROUTES = frozenset({Route.ORAL, Route.INJECTION, Route.TRANSDERMAL, Route.RECTAL})


class IssueKind(StrEnum):
    """What a pharmacist may act on, and decide about: the first part of an issue's key."""

    RED_FLAG = "red-flag"
    SUPPLEMENT_CAUTION = "supplement-caution"
    INTERACTION = "interaction"
    FINDING = "finding"
