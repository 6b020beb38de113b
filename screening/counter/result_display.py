"""The stored result JSON, arranged for the counter: what to act on first, and why.

Nothing here decides anything clinical: the engine did that when the screening was
stored. This only orders it (red flags, then cautions and interactions critical →
warning → info, then the cramp-linked classes), names the lines each item rests on, and
gathers the basis a pharmacist may want to check.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.text import Truncator

from screening.counter.forms import line_candidate, line_choices
from screening.models import DrugClass, Supplement, Symptom

SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}
SEVERITY_LABELS = {"critical": "Critical", "warning": "Warning", "info": "Info"}
URGENCY_LABELS = {
    "emergency": "Emergency: get care now",
    "same_day": "Same day",
    "soon": "Soon (within days)",
}
EVIDENCE_LABELS = {
    "strong": "Strong",
    "moderate": "Moderate",
    "weak": "Weak",
    "none": "No association found",
    "not_applicable": "Not applicable",
}
STATUS_LABELS = {
    "matched": "Matched",
    "probable": "Probable: confirm",
    "unrecognized": "Not recognised",
}
METHOD_LABELS = {
    "exact_ingredient": "ingredient name",
    "exact_product": "product name",
    "co_name": "UK co- name",
    "combination": "several names on one line",
    "supplement": "supplement name",
    "fuzzy": "closest known name to a misspelling",
    "external_vocabulary": "medicine name from the open drug vocabulary",
    "code_rxnorm": "RxNorm code",
    "code_atc": "ATC code",
    "code_atc_class": "ATC class code",
}


@dataclass
class DisplayLine:
    """One input line and what the engine read it as."""

    list_name: str
    index: int
    input: str
    status: str
    status_label: str
    ingredients: list[str]
    product: str | None
    class_names: list[str]
    supplement_name: str | None
    matched_text: str
    method_label: str
    score: float | None
    reason: str
    candidate: str | None
    choices: list[str]
    suggestions: list[dict[str, Any]]

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
    severity: str
    severity_label: str
    title: str
    message: str
    action: str
    mechanism: str
    needs_confirmation: bool
    lines: list[DisplayLine]
    references: list[dict[str, Any]]


@dataclass
class FindingItem:
    drug_class: str
    name: str
    evidence_strength: str
    evidence_label: str
    evidence_summary: str
    mechanism: str
    needs_confirmation: bool
    lines: list[DisplayLine]
    references: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RedFlagItem:
    code: str
    name: str
    urgency: str
    urgency_label: str
    symptoms: list[str]
    message: str
    lines: list[DisplayLine]
    references: list[dict[str, Any]]


@dataclass
class ResultDisplay:
    medications: list[DisplayLine]
    supplements: list[DisplayLine]
    red_flags: list[RedFlagItem]
    actions: list[ActionItem]
    findings: list[FindingItem]
    counselling: list[dict[str, Any]]
    not_screened: list[DisplayLine]
    unknown_symptoms: list[str]

    @property
    def probable_count(self) -> int:
        return sum(line.status == "probable" for line in self.medications + self.supplements)


@dataclass(frozen=True)
class KnowledgeNames:
    """Display names by code: the result JSON stores slugs, the counter shows words."""

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


def _display_line(list_name: str, line: dict[str, Any], names: KnowledgeNames) -> DisplayLine:
    match = line.get("match") or {}
    supplement = line.get("supplement")
    return DisplayLine(
        list_name=list_name,
        index=line.get("index", 0),
        input=line.get("input") or "",
        status=line.get("status") or "unrecognized",
        status_label=STATUS_LABELS.get(line.get("status"), line.get("status") or ""),
        ingredients=list(line.get("ingredients") or []),
        product=line.get("product"),
        class_names=[names.classes.get(slug, slug) for slug in line.get("drug_classes") or []],
        supplement_name=names.supplements.get(supplement, supplement) if supplement else None,
        matched_text=match.get("matched_text") or "",
        method_label=METHOD_LABELS.get(
            match.get("method"), (match.get("method") or "").replace("_", " ")
        ),
        score=match.get("score"),
        reason=line.get("reason") or "",
        candidate=line_candidate(line),
        choices=line_choices(line),
        suggestions=list(line.get("suggestions") or []),
    )


def _severity_sort_key(item: ActionItem) -> tuple[int, int, str]:
    # Within a severity, cautions first: a supplement is the easiest thing to stop today.
    return (
        SEVERITY_ORDER.get(item.severity, 9),
        0 if item.kind == "Supplement caution" else 1,
        item.key,
    )


def result_for_display(result: dict[str, Any], *, names: KnowledgeNames) -> ResultDisplay:
    medications = [
        _display_line("medications", line, names) for line in result.get("medications") or []
    ]
    supplements = [
        _display_line("supplements", line, names) for line in result.get("supplements") or []
    ]
    lines_by_list = {"medications": medications, "supplements": supplements}

    def meds(indexes: list[int]) -> list[DisplayLine]:
        return [medications[i] for i in indexes or [] if 0 <= i < len(medications)]

    def source_line(source: dict[str, Any]) -> list[DisplayLine]:
        lines = lines_by_list.get(source.get("list"), [])
        index = source.get("index")
        return [lines[index]] if isinstance(index, int) and 0 <= index < len(lines) else []

    actions = [
        ActionItem(
            kind="Supplement caution",
            key=caution.get("key", ""),
            severity=caution.get("severity", ""),
            severity_label=SEVERITY_LABELS.get(
                caution.get("severity"), caution.get("severity", "")
            ),
            title=names.supplements.get(caution.get("supplement"), caution.get("supplement") or ""),
            message=caution.get("message", ""),
            action=caution.get("action", ""),
            mechanism=caution.get("mechanism", ""),
            needs_confirmation=bool(caution.get("needs_confirmation")),
            lines=source_line(caution.get("source") or {})
            + meds(caution.get("medication_indexes")),
            references=list(caution.get("references") or []),
        )
        for caution in result.get("supplement_cautions") or []
    ] + [
        ActionItem(
            kind="Interaction",
            key=interaction.get("key", ""),
            severity=interaction.get("severity", ""),
            severity_label=SEVERITY_LABELS.get(
                interaction.get("severity"), interaction.get("severity", "")
            ),
            title=" + ".join(line.input for line in meds(interaction.get("medication_indexes"))),
            message=interaction.get("message", ""),
            action=interaction.get("action", ""),
            mechanism=interaction.get("mechanism", ""),
            needs_confirmation=bool(interaction.get("needs_confirmation")),
            lines=meds(interaction.get("medication_indexes")),
            references=list(interaction.get("references") or []),
        )
        for interaction in result.get("interactions") or []
    ]
    actions.sort(key=_severity_sort_key)

    findings = [
        FindingItem(
            drug_class=finding.get("drug_class", ""),
            name=finding.get("drug_class_name") or names.classes.get(finding.get("drug_class"), ""),
            evidence_strength=(finding.get("evidence") or {}).get("strength", ""),
            evidence_label=EVIDENCE_LABELS.get((finding.get("evidence") or {}).get("strength"), ""),
            evidence_summary=(finding.get("evidence") or {}).get("summary", ""),
            mechanism=finding.get("mechanism", ""),
            needs_confirmation=bool(finding.get("needs_confirmation")),
            lines=meds(finding.get("medication_indexes")),
            references=_unique_references(
                (finding.get("evidence") or {}).get("references") or [],
                finding.get("references") or [],
            ),
        )
        for finding in result.get("findings") or []
    ]

    red_flags = [
        RedFlagItem(
            code=flag.get("code", ""),
            name=flag.get("name", ""),
            urgency=flag.get("urgency", ""),
            urgency_label=URGENCY_LABELS.get(flag.get("urgency"), flag.get("urgency", "")),
            symptoms=[names.symptoms.get(code, code) for code in flag.get("symptoms") or []],
            message=flag.get("message", ""),
            lines=meds(flag.get("medication_indexes")),
            references=list(flag.get("references") or []),
        )
        for flag in result.get("red_flags") or []
    ]

    not_screened = [line for line in medications + supplements if line.status == "unrecognized"]
    return ResultDisplay(
        medications=medications,
        supplements=supplements,
        red_flags=red_flags,
        actions=actions,
        findings=findings,
        counselling=list(result.get("counselling") or []),
        not_screened=not_screened,
        unknown_symptoms=list(result.get("unknown_symptoms") or []),
    )


def _unique_references(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for group in groups:
        for reference in group:
            seen.setdefault(reference.get("key") or reference.get("citation", ""), reference)
    return list(seen.values())


@dataclass
class ScreeningRow:
    """One screening in the recent list: enough to recognise the patient's list again."""

    screening: Any
    medicines: list[str]
    more_medicines: int
    findings: int
    actions: int
    red_flags: int


_PREVIEW_LINES = 3
_PREVIEW_CHARACTERS = 60


def screening_row(screening: Any) -> ScreeningRow:
    result = screening.result or {}
    medicines = [
        Truncator(line.get("input") or "").chars(_PREVIEW_CHARACTERS)
        for line in result.get("medications") or []
    ]
    return ScreeningRow(
        screening=screening,
        medicines=medicines[:_PREVIEW_LINES],
        more_medicines=max(0, len(medicines) - _PREVIEW_LINES),
        findings=len(result.get("findings") or []),
        actions=len(result.get("supplement_cautions") or [])
        + len(result.get("interactions") or []),
        red_flags=len(result.get("red_flags") or []),
    )
