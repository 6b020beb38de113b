"""The screening result: one typed contract, written by the engine and read by everyone.

The engine builds these models; the service stores `ScreeningResult.model_dump(mode="json")`;
every reader (the API, the handout builder, the counter, FHIR and CDS Hooks) turns the
stored JSON back into these same models with `ScreeningResult.from_stored`, and the
OpenAPI schema is generated from them. So a field is described once, here.

Why pydantic and not dataclasses: the stored JSON has to be validated back into typed
objects (a dataclass would need a hand-written reader per type), and drf-spectacular
publishes pydantic models as OpenAPI components directly. Models are frozen, and tuples
stand for lists, so nothing downstream can change a result it was given.

Patient-facing texts come in every language the knowledge base is written in:
`patient_text` is the knowledge base's own language (English, as in API v1) and
`patient_texts` maps each language code to its wording, so a handout in any language can
be printed from the stored result alone, with the knowledge-base version it was made with.
"""

import operator
from itertools import islice
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, computed_field

from screening.engine.terms import (
    EvidenceStrength,
    IssueKind,
    LineStatus,
    ListKind,
    MatchMethod,
    Route,
    Severity,
    Urgency,
)

# The language the knowledge base's own texts (`patient_text`, `text`) are written in.
KNOWLEDGE_BASE_LANGUAGE = "en"

Texts = dict[str, str]


class _Model(BaseModel):
    # Unknown fields are ignored when reading, so a result stored by a newer release (which
    # may only have added fields) still reads; missing new fields take their defaults.
    model_config = ConfigDict(frozen=True, extra="ignore", use_enum_values=False)


class _SharedPart(_Model):
    """A part of results that the engine shares between screenings (a line read before, the
    same advice): its stored JSON is kept once made, with the field values it was made
    from, and used while a copy still holds those very values (a `model_copy(update=...)`
    with other values is dumped afresh). The JSON's nested parts are shared between
    screenings' stored results: read them, never change them."""

    # How many leading fields a copy may change and still use the kept JSON (plain values
    # that are their own JSON: a line's index).
    _varying_leading_fields: ClassVar[int] = 0
    _stored: tuple[tuple, dict] | None = PrivateAttr(None)

    def __eq__(self, other: object) -> bool:
        # By fields alone, as before: whether the JSON was kept yet must not make two equal
        # parts unequal (pydantic's own equality compares private attributes too).
        if isinstance(other, BaseModel):
            return type(self) is type(other) and self.__dict__ == other.__dict__
        return NotImplemented

    def stored(self) -> dict[str, Any]:
        fields = self.__dict__
        skip = self._varying_leading_fields
        values = tuple(fields.values())
        kept = self.__pydantic_private__.get("_stored")
        if kept is not None and all(map(operator.is_, kept[0], values[skip:])):
            dumped = dict(kept[1])
            dumped.update(islice(fields.items(), skip))
            return dumped
        dumped = self.model_dump(mode="json")
        self.__pydantic_private__["_stored"] = (values[skip:], dumped)
        return dict(dumped)


class Reference(_Model):
    key: str
    citation: str = ""
    url: str = ""
    kind: str = ""
    evidence_level: str = ""


class Match(_Model):
    method: MatchMethod
    matched_text: str = Field(description="The words of the line (or the code) that were read.")
    score: float = Field(description="1.0 for an exact name or a code; below 1 for a misspelling.")


class Suggestion(_Model):
    name: str
    ingredients: tuple[str, ...] = ()
    score: float


class Coding(_Model):
    """A code sent with a line, kept on the line as it was given."""

    system: str
    code: str
    display: str = ""


class LineSource(_Model):
    """Where a line came from, when a system sent it as a FHIR resource."""

    resource_type: str
    id: str = ""
    reference: str = Field("", description="e.g. 'MedicationStatement/123' or a Bundle fullUrl")
    status: str = ""
    reason: str = Field("", description="Why a resource was not screened (not_screened_resources).")


class Line(_SharedPart):
    """One input line and how it was read. Every input line comes back, in input order."""

    _varying_leading_fields: ClassVar[int] = 1  # index: the same line read at another place

    index: int | None = None
    input: str
    status: LineStatus
    ingredients: tuple[str, ...] = Field((), description="US generic names, no salt.")
    product: str | None = None
    drug_classes: tuple[str, ...] = ()
    supplement: str | None = Field(
        None, description="The first supplement the line names (slug); combinations as parts."
    )
    supplements: tuple[str, ...] = ()
    match: Match | None = None
    suggestions: tuple[Suggestion, ...] = ()
    reason: str | None = None
    known_as: str = Field(
        "",
        description="The name and strength as the patient knows them ('Lasix 40 mg'), "
        "without directions; empty when nothing was recognised.",
    )
    strength: str | None = Field(None, description="The strength written on the line.")
    route: Route | None = Field(
        None, description="Where the medicine goes, when the line or its product says so."
    )
    route_stated: bool = Field(
        False, description="True when the route was written on the line or implied by the product."
    )
    ingredient_names: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="The generic names in each handout language (INN: 'furosemida').",
    )
    coding: tuple[Coding, ...] = ()
    source: LineSource | None = None

    @property
    def label(self) -> str:
        """What to call the line when showing it: its text, else what its codes say."""
        if self.input.strip():
            return self.input
        for coding in self.coding:
            if coding.display.strip():
                return coding.display
        return ", ".join(f"{coding.code}" for coding in self.coding) or self.input

    @property
    def is_screened(self) -> bool:
        return self.status != LineStatus.UNRECOGNIZED

    @property
    def is_confirmed(self) -> bool:
        return self.status == LineStatus.MATCHED

    def generic_names(self, language: str) -> tuple[str, ...]:
        return self.ingredient_names.get(language) or self.ingredients

    @property
    def candidate(self) -> str | None:
        """What a probable line was read as: its product, else its ingredients, else the
        first suggestion."""
        if self.status != LineStatus.PROBABLE:
            return None
        if self.product:
            return self.product
        if self.ingredients:
            return " + ".join(self.ingredients)
        return self.suggestions[0].name if self.suggestions else None

    def confirmation_choices(self) -> tuple[str, ...]:
        """The names a pharmacist may confirm a line as: its reading, then the suggestions.
        A matched line has nothing to confirm."""
        if self.status == LineStatus.MATCHED:
            return ()
        names = [self.candidate] if self.candidate else []
        names.extend(suggestion.name for suggestion in self.suggestions)
        return tuple(dict.fromkeys(names))


class Evidence(_Model):
    strength: EvidenceStrength
    summary: str = ""
    references: tuple[Reference, ...] = ()


class Finding(_Model):
    """A medicine on the list in a class linked to cramps, with the evidence, honestly graded."""

    drug_class: str
    drug_class_name: str
    medication_indexes: tuple[int, ...]
    needs_confirmation: bool
    evidence: Evidence
    mechanism: str = ""
    patient_text: str = ""
    patient_texts: Texts = Field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    route_note: str | None = Field(
        None, description="Said when the rule depends on a route the line did not state."
    )

    def as_issue(self) -> "Issue":
        return Issue(
            kind=IssueKind.FINDING,
            rule=self.drug_class,
            severity=Severity.INFO,
            title=f"{self.drug_class_name}: linked to leg cramps "
            f"({self.evidence.strength} evidence)",
            medication_indexes=self.medication_indexes,
            needs_confirmation=self.needs_confirmation,
        )


class _Advice(_Model):
    key: str
    severity: Severity
    message: str = ""
    mechanism: str = ""
    action: str = ""
    patient_text: str = ""
    patient_texts: Texts = Field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    medication_indexes: tuple[int, ...] = ()
    needs_confirmation: bool = False
    route_note: str | None = None

    def _issue(self, kind: IssueKind, **more: Any) -> "Issue":
        return Issue(
            kind=kind,
            rule=self.key,
            severity=self.severity,
            title=self.message,
            medication_indexes=self.medication_indexes,
            needs_confirmation=self.needs_confirmation,
            **more,
        )


class SupplementSource(_Model):
    list: ListKind
    index: int


class SupplementCaution(_Advice):
    """A supplement the patient takes that is unsafe with a medicine, or for them."""

    supplement: str
    source: SupplementSource

    def as_issue(self) -> "Issue":
        return self._issue(IssueKind.SUPPLEMENT_CAUTION, supplement=self.source)


class Interaction(_Advice):
    """Two medicines on the list that together raise the risk of cramps or muscle injury."""

    def as_issue(self) -> "Issue":
        return self._issue(IssueKind.INTERACTION)


class RedFlag(_Model):
    code: str
    name: str
    urgency: Urgency
    symptoms: tuple[str, ...] = ()
    medication_indexes: tuple[int, ...] = ()
    message: str = ""
    patient_text: str = ""
    patient_texts: Texts = Field(default_factory=dict)
    references: tuple[Reference, ...] = ()

    def as_issue(self) -> "Issue":
        urgent = self.urgency in (Urgency.EMERGENCY, Urgency.SAME_DAY)
        return Issue(
            kind=IssueKind.RED_FLAG,
            rule=self.code,
            severity=Severity.CRITICAL if urgent else Severity.WARNING,
            title=self.name,
            medication_indexes=self.medication_indexes,
        )


class PatientAdvice(_SharedPart):
    """A sentence for the patient (counselling, self-care, a warning sign to get help for)."""

    key: str
    text: str
    texts: Texts = Field(default_factory=dict)
    urgency: Urgency | None = None
    references: tuple[Reference, ...] = ()


# The fields of a result whose items are shared parts (their JSON is kept, _SharedPart).
_SHARED_FIELDS = frozenset(
    {"medications", "supplements", "counselling", "self_care", "warning_signs"}
)


class ScreeningResult(_Model):
    """What one screening found. Stored as JSON; read back with `from_stored`."""

    knowledge_base_version: str = ""
    language: str | None = Field(None, description="The patient's language, if one was given.")
    medications: tuple[Line, ...] = ()
    supplements: tuple[Line, ...] = ()
    findings: tuple[Finding, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    supplement_cautions: tuple[SupplementCaution, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    counselling: tuple[PatientAdvice, ...] = ()
    self_care: tuple[PatientAdvice, ...] = ()
    warning_signs: tuple[PatientAdvice, ...] = Field(
        (), description="When to get help: printed on every handout, whatever was found."
    )
    not_screened: tuple[int, ...] = Field(
        (), description="Indexes of medication lines the pharmacist must check by hand."
    )
    not_screened_supplements: tuple[int, ...] = Field(
        (),
        description="Indexes of supplement lines the pharmacist must check by hand: unread, "
        "or a medicine typed in the supplements list (not screened as a medicine).",
    )
    not_screened_resources: tuple[LineSource, ...] = Field(
        (),
        description="Resources that were sent but not screened (stopped, entered in error, ...).",
    )
    unknown_symptoms: tuple[str, ...] = ()

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> "ScreeningResult":
        return cls.model_validate(data)

    def stored(self) -> dict[str, Any]:
        """The JSON a screening keeps: `model_dump(mode="json")`, with the parts shared
        between screenings (lines, advice) taken from the JSON they keep."""
        dumped = self.model_dump(mode="json", exclude=_SHARED_FIELDS)
        return {
            name: [part.stored() for part in getattr(self, name)]
            if name in _SHARED_FIELDS
            else dumped[name]
            for name in (*type(self).model_fields, *type(self).model_computed_fields)
        }

    def list_issues(self) -> tuple["Issue", ...]:
        """Everything to act on or decide about, most urgent first, each with a stable key
        ("interaction:simvastatin_clarithromycin") that decisions, CDS Hooks cards and FHIR
        DetectedIssues share."""
        found = [
            item.as_issue()
            for group in (
                self.red_flags,
                self.supplement_cautions,
                self.interactions,
                self.findings,
            )
            for item in group
        ]
        return tuple(sorted(found, key=lambda issue: issue.severity.rank))

    def issue(self, key: str) -> "Issue | None":
        return next((issue for issue in self.list_issues() if issue.key == key), None)

    def ingredients_of(self, issue: "Issue") -> tuple[str, ...]:
        """The medicines an issue rests on, by ingredient (and supplement): what a decision
        about it is remembered by."""
        names = {
            name
            for index in issue.medication_indexes
            if (line := self.medication(index)) is not None
            for name in (*line.ingredients, *line.drug_classes)
        }
        if issue.supplement is not None and (line := self.source_line(issue.supplement)):
            names.update(line.supplements or ((line.supplement,) if line.supplement else ()))
        return tuple(sorted(names))

    def unscreened(self) -> tuple[tuple[ListKind, int, Line], ...]:
        """The lines the pharmacist must check by hand (`not_screened` and
        `not_screened_supplements`), medications first, each with its list and index."""
        return tuple(
            (list_kind, index, lines[index])
            for list_kind, lines, indexes in (
                (ListKind.MEDICATIONS, self.medications, self.not_screened),
                (ListKind.SUPPLEMENTS, self.supplements, self.not_screened_supplements),
            )
            for index in indexes
            if 0 <= index < len(lines)
        )

    def lines(
        self, list_kind: ListKind | Literal["medications", "supplements"]
    ) -> tuple[Line, ...]:
        return self.supplements if list_kind == ListKind.SUPPLEMENTS else self.medications

    def medication(self, index: int) -> Line | None:
        return self.medications[index] if 0 <= index < len(self.medications) else None

    def source_line(self, source: SupplementSource) -> Line | None:
        lines = self.lines(source.list)
        return lines[source.index] if 0 <= source.index < len(lines) else None


class Issue(_Model):
    """One thing to act on or decide about (see ScreeningResult.list_issues)."""

    kind: IssueKind
    rule: str = Field(description="The drug class, rule key or red-flag code.")
    severity: Severity
    title: str
    medication_indexes: tuple[int, ...] = ()
    supplement: SupplementSource | None = None
    needs_confirmation: bool = False

    @computed_field(description="kind:rule, the key a decision about the issue names.")
    @property
    def key(self) -> str:
        return f"{self.kind}:{self.rule}"
