"""The typed screening result, arranged for the counter: what to act on first, and why.

Nothing here decides anything clinical: the engine did that when the screening was
stored. This only orders it (red flags, then cautions and interactions critical →
warning → info, then the cramp-linked classes), names the lines each item rests on, and
gathers the basis a pharmacist may want to check. Labels are the model choices' labels.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import Truncator

from screening.engine.result import Line, Reference, ScreeningResult, SupplementSource
from screening.engine.terms import IssueKind, LineStatus, ListKind, Severity
from screening.models import DrugClass, Screening, Supplement, Symptom
from screening.models.knowledge import EvidenceStrength, Urgency
from screening.models.knowledge import Severity as SeverityLabel
from screening.models.screenings import LineStatus as LineStatusLabel
from screening.models.screenings import MatchMethod as MatchMethodLabel
from screening.services.screenings import screening_result

SUPPLEMENT_CAUTION = "Supplement caution"
INTERACTION = "Interaction"


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value.replace("_", " ")


@dataclass
class DisplayLine:
    """One input line and what the engine read it as."""

    line: Line
    list_name: str
    class_names: list[str]
    supplement_name: str | None

    @property
    def index(self) -> int:
        return self.line.index or 0

    @property
    def input(self) -> str:
        return self.line.label

    @property
    def status(self) -> str:
        return self.line.status.value

    @property
    def product(self) -> str | None:
        return self.line.product

    @property
    def ingredients(self) -> tuple[str, ...]:
        return self.line.ingredients

    @property
    def reason(self) -> str:
        return self.line.reason or ""

    @property
    def status_label(self) -> str:
        return _label(LineStatusLabel, self.line.status)

    @property
    def method_label(self) -> str:
        return _label(MatchMethodLabel, self.line.match.method) if self.line.match else ""

    @property
    def matched_text(self) -> str:
        return self.line.match.matched_text if self.line.match else ""

    @property
    def score(self) -> float | None:
        return self.line.match.score if self.line.match else None

    @property
    def candidate(self) -> str | None:
        return self.line.candidate

    @property
    def choices(self) -> tuple[str, ...]:
        return self.line.confirmation_choices()

    @property
    def alternatives(self) -> list[str]:
        return [name for name in self.choices if name != self.candidate]

    @property
    def anchor(self) -> str:
        return f"line-{self.list_name}-{self.index}"


@dataclass
class ActionItem:
    """A supplement caution or an interaction: something the pharmacist should act on."""

    kind: str
    key: str
    severity: Severity
    title: str
    message: str
    action: str
    mechanism: str
    needs_confirmation: bool
    route_note: str | None
    lines: list[DisplayLine]
    references: Sequence[Reference]
    summary: str = ""  # one line for the act-now list: what, and with which medicines
    decision: Any = None  # the pharmacist's decision on this screening, if any
    earlier: Any = None  # an earlier decision for the same patient and medicines

    @property
    def severity_label(self) -> str:
        return _label(SeverityLabel, self.severity)

    @property
    def issue_key(self) -> str:
        kind = (
            IssueKind.SUPPLEMENT_CAUTION
            if self.kind == SUPPLEMENT_CAUTION
            else IssueKind.INTERACTION
        )
        return f"{kind}:{self.key}"


@dataclass
class FindingItem:
    drug_class: str
    name: str
    evidence_strength: str
    evidence_summary: str
    mechanism: str
    needs_confirmation: bool
    route_note: str | None
    lines: list[DisplayLine]
    references: list[Reference] = field(default_factory=list)
    decision: Any = None
    earlier: Any = None

    @property
    def evidence_label(self) -> str:
        return _label(EvidenceStrength, self.evidence_strength)

    @property
    def short_name(self) -> str:
        """The group's name without its parenthesised gloss, for the one-line strip."""
        return self.name.split(" (", 1)[0]

    @property
    def issue_key(self) -> str:
        return f"{IssueKind.FINDING}:{self.drug_class}"


@dataclass
class RedFlagItem:
    code: str
    name: str
    urgency: str
    symptoms: list[str]
    message: str
    lines: list[DisplayLine]
    references: Sequence[Reference]
    decision: Any = None
    earlier: Any = None

    @property
    def urgency_label(self) -> str:
        return _label(Urgency, self.urgency)

    @property
    def issue_key(self) -> str:
        return f"{IssueKind.RED_FLAG}:{self.code}"


@dataclass
class ResultDisplay:
    result: ScreeningResult
    medications: list[DisplayLine]
    supplements: list[DisplayLine]
    red_flags: list[RedFlagItem]
    actions: list[ActionItem]
    findings: list[FindingItem]
    not_screened: list[DisplayLine]

    def attach_decisions(self, decisions: dict, earlier: dict) -> None:
        """Each item's decision on this screening, and any earlier one for the same patient
        and medicines (issue key -> Decision; services/decisions.py)."""
        for item in (*self.red_flags, *self.actions, *self.findings):
            item.decision = decisions.get(item.issue_key)
            item.earlier = earlier.get(item.issue_key)

    @property
    def act_now(self) -> list:
        """Red flags, then critical and warning cautions and interactions: the short list
        at the top of the page, each to acknowledge or override."""
        return [
            *self.red_flags,
            *(item for item in self.actions if item.severity != Severity.INFO),
        ]

    @property
    def counselling(self):
        return self.result.counselling

    @property
    def unknown_symptoms(self) -> tuple[str, ...]:
        return self.result.unknown_symptoms

    @property
    def probable_count(self) -> int:
        return sum(
            line.status == LineStatus.PROBABLE for line in self.medications + self.supplements
        )


@dataclass(frozen=True)
class KnowledgeNames:
    """Display names by code: the result stores slugs, the counter shows words."""

    classes: dict[str, str]
    supplements: dict[str, str]
    symptoms: dict[str, str]


def knowledge_names() -> KnowledgeNames:
    """Three small queries (tens of rows each)."""
    return KnowledgeNames(
        classes=dict(DrugClass.objects.values_list("slug", "name")),
        supplements=dict(Supplement.objects.values_list("slug", "name")),
        symptoms=dict(Symptom.objects.values_list("code", "label")),
    )


def _short(line: DisplayLine) -> str:
    """The medicine as the patient knows it ('simvastatin 40 mg'), without directions."""
    return line.line.known_as or line.input


def _display_line(list_name: str, line: Line, names: KnowledgeNames) -> DisplayLine:
    return DisplayLine(
        line=line,
        list_name=list_name,
        class_names=[names.classes.get(slug, slug) for slug in line.drug_classes],
        supplement_name=names.supplements.get(line.supplement, line.supplement)
        if line.supplement
        else None,
    )


def _severity_sort_key(item: ActionItem) -> tuple[int, int, str]:
    # Within a severity, cautions first: a supplement is the easiest thing to stop today.
    return (item.severity.rank, 0 if item.kind == SUPPLEMENT_CAUTION else 1, item.key)


def result_for_display(result: ScreeningResult, *, names: KnowledgeNames) -> ResultDisplay:
    medications = [_display_line(ListKind.MEDICATIONS, line, names) for line in result.medications]
    supplements = [_display_line(ListKind.SUPPLEMENTS, line, names) for line in result.supplements]

    def meds(indexes: Sequence[int]) -> list[DisplayLine]:
        return [medications[i] for i in indexes if 0 <= i < len(medications)]

    def source_line(source: SupplementSource) -> list[DisplayLine]:
        lines = supplements if source.list == ListKind.SUPPLEMENTS else medications
        return [lines[source.index]] if 0 <= source.index < len(lines) else []

    actions = [
        ActionItem(
            kind=SUPPLEMENT_CAUTION,
            key=caution.key,
            severity=caution.severity,
            title=names.supplements.get(caution.supplement, caution.supplement),
            message=caution.message,
            action=caution.action,
            mechanism=caution.mechanism,
            needs_confirmation=caution.needs_confirmation,
            route_note=caution.route_note,
            lines=source_line(caution.source) + meds(caution.medication_indexes),
            references=caution.references,
            summary=" + ".join(
                [
                    f"{names.supplements.get(caution.supplement, caution.supplement)} supplement",
                    *(_short(line) for line in meds(caution.medication_indexes)),
                ]
            ),
        )
        for caution in result.supplement_cautions
    ] + [
        ActionItem(
            kind=INTERACTION,
            key=interaction.key,
            severity=interaction.severity,
            title=" + ".join(line.input for line in meds(interaction.medication_indexes)),
            message=interaction.message,
            action=interaction.action,
            mechanism=interaction.mechanism,
            needs_confirmation=interaction.needs_confirmation,
            route_note=interaction.route_note,
            lines=meds(interaction.medication_indexes),
            references=interaction.references,
            summary=" + ".join(_short(line) for line in meds(interaction.medication_indexes)),
        )
        for interaction in result.interactions
    ]
    actions.sort(key=_severity_sort_key)

    findings = [
        FindingItem(
            drug_class=finding.drug_class,
            name=finding.drug_class_name or names.classes.get(finding.drug_class, ""),
            evidence_strength=finding.evidence.strength,
            evidence_summary=finding.evidence.summary,
            mechanism=finding.mechanism,
            needs_confirmation=finding.needs_confirmation,
            route_note=finding.route_note,
            lines=meds(finding.medication_indexes),
            references=_unique_references(finding.evidence.references, finding.references),
        )
        for finding in result.findings
    ]

    red_flags = [
        RedFlagItem(
            code=flag.code,
            name=flag.name,
            urgency=flag.urgency,
            symptoms=[names.symptoms.get(code, code) for code in flag.symptoms],
            message=flag.message,
            lines=meds(flag.medication_indexes),
            references=flag.references,
        )
        for flag in result.red_flags
    ]

    shown = {ListKind.MEDICATIONS: medications, ListKind.SUPPLEMENTS: supplements}
    not_screened = [shown[kind][index] for kind, index, _ in result.unscreened()]
    return ResultDisplay(
        result=result,
        medications=medications,
        supplements=supplements,
        red_flags=red_flags,
        actions=actions,
        findings=findings,
        not_screened=not_screened,
    )


def _unique_references(*groups: Sequence[Reference]) -> list[Reference]:
    seen: dict[str, Reference] = {}
    for group in groups:
        for reference in group:
            seen.setdefault(reference.key or reference.citation, reference)
    return list(seen.values())


@dataclass
class ScreeningRow:
    """One screening in the recent list: enough to recognise the patient's list again."""

    screening: Screening
    medicines: list[str]
    more_medicines: int
    findings: int
    actions: int
    red_flags: int


_PREVIEW_LINES = 3
_PREVIEW_CHARACTERS = 60


def screening_row(screening: Screening) -> ScreeningRow:
    result = screening_result(screening)
    medicines = [Truncator(line.label).chars(_PREVIEW_CHARACTERS) for line in result.medications]
    return ScreeningRow(
        screening=screening,
        medicines=medicines[:_PREVIEW_LINES],
        more_medicines=max(0, len(medicines) - _PREVIEW_LINES),
        findings=len(result.findings),
        actions=len(result.supplement_cautions) + len(result.interactions),
        red_flags=len(result.red_flags),
    )
