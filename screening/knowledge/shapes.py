"""The shape of one entry of each knowledge-base file, checked by pydantic.

Fields, types and allowed values live here and nowhere else: validation reports what
pydantic finds (with the file and entry), the loader and the snapshot read the same
descriptions through `kinds.py`. Cross-references between entries (a product's
ingredients exist, a caution's references exist) are checked in `validation.py` from the
relations declared in `kinds.py`; only rules pydantic cannot express are hand-written.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from screening.engine.counselling import SECTIONS, WHEN
from screening.engine.index import SYSTEMIC
from screening.engine.supplement_cautions import CONDITIONS
from screening.engine.terms import EvidenceStrength, Route, Severity, Urgency

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$")]
LowerName = Annotated[str, StringConstraints(pattern=r"^[^A-Z\s](?:[^A-Z]*[^A-Z\s])?$")]
AtcCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")]
AtcPrefix = Annotated[str, StringConstraints(pattern=r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")]
RxCui = Annotated[str, StringConstraints(pattern=r"^\d{1,10}$")]
RouteName = Literal[tuple(route.value for route in Route)] | Literal["systemic"]  # type: ignore[valid-type]
Market = Literal["US", "UK", "CA", "AU", "EU"]
ReferenceKind = Literal["label", "guideline", "study", "review", "list"]
ProductKind = Literal["brand", "co_name", "generic"]
Release = Literal["extended", "modified", "delayed", "immediate"]
Condition = Literal[CONDITIONS]  # type: ignore[valid-type]
AdviceSection = Literal[SECTIONS]  # type: ignore[valid-type]
AdviceWhen = Literal[WHEN]  # type: ignore[valid-type]

assert SYSTEMIC == "systemic"


class Entry(BaseModel):
    # A misspelt field name is an error, not a silently ignored field.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferenceEntry(Entry):
    key: Slug
    citation: Name
    url: Text = ""
    kind: ReferenceKind
    evidence_level: Text = ""


class EvidenceEntry(Entry):
    strength: EvidenceStrength
    summary: Text = ""
    references: list[Name] = []


class DrugClassEntry(Entry):
    slug: Slug
    name: Name
    atc_codes: list[AtcPrefix] = []
    cramp_linked: bool
    evidence: EvidenceEntry
    mechanism: Text = ""
    patient_text: Text = ""
    references: list[Name] = []
    # The routes a finding for this class applies to; empty means every route.
    routes: list[RouteName] = []

    @model_validator(mode="after")
    def _cramp_linked_classes_explain_themselves(self) -> "DrugClassEntry":
        if self.cramp_linked:
            missing = [f for f in ("mechanism", "patient_text") if not getattr(self, f)]
            if missing:
                raise ValueError(f"a cramp-linked class needs {' and '.join(missing)}")
            if not self.evidence.references or not self.references:
                raise ValueError("a cramp-linked class needs evidence references and references")
        return self


class IngredientEntry(Entry):
    name: LowerName = Field(description="US generic name, lower case, no salt")
    synonyms: list[Name] = []
    salts: list[Name] = []
    rxcui: RxCui | None = None
    atc: list[AtcCode] = []
    classes: list[Slug] = []
    routes: list[RouteName] = []


class ProductEntry(Entry):
    name: Name
    ingredients: list[Name] = Field(min_length=1)
    kind: ProductKind = "brand"
    markets: list[Market] = []
    release: Release | None = None
    rxcui: RxCui | None = None
    route: RouteName | None = None
    # Supplements the product also contains (Fosamax Plus D: vitamin D).
    supplements: list[Slug] = []


class SupplementEntry(Entry):
    slug: Slug
    name: Name
    synonyms: list[Name] = []
    forms: list[Name] = []
    products: list[Name] = []
    also: list[Slug] = []
    dose_notes: Text = ""
    cramp_evidence: Text = ""
    references: list[Name] = []


class SupplementCautionEntry(Entry):
    key: Slug
    supplement: Slug
    drug_class: Slug | None = None
    ingredient: Name | None = None
    condition: Condition | None = None
    severity: Severity
    mechanism: Name
    message: Name
    action: Name
    patient_text: Name
    references: list[Name] = Field(min_length=1)
    # The routes of the triggering medicine the caution applies to; empty means every route.
    routes: list[RouteName] = []

    @model_validator(mode="after")
    def _one_trigger(self) -> "SupplementCautionEntry":
        given = [f for f in ("drug_class", "ingredient", "condition") if getattr(self, f)]
        if len(given) != 1:
            raise ValueError("needs exactly one of drug_class, ingredient or condition")
        return self


class InteractionSideEntry(Entry):
    ingredients: list[Name] = []
    drug_classes: list[Slug] = []
    routes: list[RouteName] = []

    @model_validator(mode="after")
    def _names_something(self) -> "InteractionSideEntry":
        if not self.ingredients and not self.drug_classes:
            raise ValueError("a side needs ingredients or drug_classes")
        return self


class InteractionEntry(Entry):
    key: Slug
    left: InteractionSideEntry
    right: InteractionSideEntry
    severity: Severity
    mechanism: Name
    message: Name
    action: Name
    patient_text: Name
    references: list[Name] = Field(min_length=1)


class SymptomEntry(Entry):
    code: Slug
    label: Name
    patient_label: Name


class RedFlagEntry(Entry):
    code: Slug
    name: Name
    symptoms: list[Slug] = Field(min_length=1)
    urgency: Urgency
    urgency_with_related_class: Urgency | None = None
    related_classes: list[Slug] = []
    message: Name
    patient_text: Name
    references: list[Name] = []


class LookAlikeEntry(Entry):
    names: list[Name] = Field(min_length=2)
    reference: Name | None = None


class AmbiguousNameEntry(Entry):
    name: Name
    reason: Name


class AdviceEntry(Entry):
    key: Slug
    section: AdviceSection
    when: AdviceWhen = "always"
    text: Name
    urgency: Urgency | None = None
    references: list[Name] = []
