"""A screening's issues as CDS Hooks cards (pure: no Django, no HTTP).

One card per issue that concerns a draft order (for patient-view, every issue); issues
among the current medicines alone are left to patient-view and the full screening, so
they are not repeated on every order. An issue the pharmacy already acknowledged for
this patient and the same medicines comes back as `info`, saying so. Anything that could
not be screened gets one `info` card.
"""

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from screening.engine.result import Issue, Line, Reference, ScreeningResult
from screening.engine.terms import IssueKind, Severity

SOURCE_LABEL = "Leg-cramp medication screening"
OVERRIDE_REASON_SYSTEM = "urn:leg-cramp-screening:override-reason"
MAX_SUMMARY = 139
NOTICE_KEY = "not-screened"  # the card about what could not be screened


@dataclass(frozen=True)
class Earlier:
    """A decision already made about the same issue, patient and medicines."""

    outcome: str
    reason_label: str
    decided_by: str
    decided_on: str  # ISO date


@dataclass(frozen=True)
class CardContext:
    screening_id: uuid.UUID
    screening_url: str
    handout_url: str
    draft_indexes: Collection[int]  # medication lines that are the orders being decided
    draft_references: Mapping[int, str]  # line index -> "MedicationRequest/123"
    override_reasons: Sequence[tuple[str, str]]  # (code, display)
    earlier: Mapping[str, Earlier]
    all_issues: bool = False  # patient-view: every issue is the subject
    notices: Sequence[str] = ()  # what could not be screened, beyond the lines


def card_uuid(screening_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(screening_id, f"card:{key}")


def build_cards(result: ScreeningResult, context: CardContext) -> list[dict[str, Any]]:
    cards = [
        _card(result, issue, context)
        for issue in result.list_issues()
        if context.all_issues or set(_lines_of(result, issue)) & set(context.draft_indexes)
    ]
    notice = _notice(result, context)
    if notice is not None:
        cards.append(notice)
    return cards


def _lines_of(result: ScreeningResult, issue: Issue) -> tuple[int, ...]:
    return issue.medication_indexes


def _names(result: ScreeningResult, indexes: Sequence[int]) -> str:
    lines = [line for i in indexes if (line := result.medication(i)) is not None]
    return " + ".join(_name(line) for line in lines)


def _name(line: Line) -> str:
    return line.product or " + ".join(line.ingredients) or line.label


def _summary(result: ScreeningResult, issue: Issue) -> str:
    names = _names(result, issue.medication_indexes)
    if issue.kind == IssueKind.FINDING:
        finding = next(f for f in result.findings if f.drug_class == issue.rule)
        text = f"{names}: linked to night-time leg cramps ({finding.evidence.strength} evidence)"
    elif issue.kind == IssueKind.SUPPLEMENT_CAUTION and issue.supplement is not None:
        supplement = result.source_line(issue.supplement)
        with_what = f" with {names}" if names else ""
        text = f"{_name(supplement) if supplement else 'Supplement'}{with_what}: {issue.title}"
    else:
        text = f"{names}: {issue.title}" if names else issue.title
    return text


def shortened(text: str, limit: int = MAX_SUMMARY) -> str:
    """At most `limit` characters: a longer text is cut after a whole word, with an
    ellipsis, so a drug's name is never left in pieces."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" :,;–-") + "…"


def _advice(result: ScreeningResult, issue: Issue):
    groups = {
        IssueKind.INTERACTION: result.interactions,
        IssueKind.SUPPLEMENT_CAUTION: result.supplement_cautions,
    }
    if issue.kind in groups:
        return next(a for a in groups[issue.kind] if a.key == issue.rule)
    return None


def _detail(result: ScreeningResult, issue: Issue, context: CardContext) -> tuple[str, list]:
    parts: list[str] = []
    references: list[Reference] = []
    evidence = ""
    if issue.kind == IssueKind.FINDING:
        finding = next(f for f in result.findings if f.drug_class == issue.rule)
        parts.append(finding.evidence.summary)
        parts.append(f"**Why:** {finding.mechanism}" if finding.mechanism else "")
        evidence = finding.evidence.strength
        references = [*finding.evidence.references, *finding.references]
    elif issue.kind == IssueKind.RED_FLAG:
        flag = next(f for f in result.red_flags if f.code == issue.rule)
        parts.append(f"**{flag.name}** ({flag.urgency.replace('_', ' ')}). {flag.message}")
        references = list(flag.references)
    else:
        advice = _advice(result, issue)
        parts.append(f"**{advice.severity.capitalize()}:** {advice.message}")
        parts.append(f"**Why:** {advice.mechanism}" if advice.mechanism else "")
        parts.append(f"**What to do:** {advice.action}" if advice.action else "")
        parts.append(f"_{advice.route_note}_" if advice.route_note else "")
        references = list(advice.references)
    basis = [
        f"line {line.index + 1 if line.index is not None else '?'} "
        f"\u201c{_md(line.label)}\u201d read as {_md(_name(line))} "
        f"({line.match.method if line.match else 'not read'}"
        + (", to be confirmed" if line.status == "probable" else "")
        + ")"
        for i in issue.medication_indexes
        if (line := result.medication(i)) is not None
    ]
    parts.append(
        f"**Basis:** {'; '.join(basis) or 'the list'}; rule `{issue.key}`"
        + (f"; evidence of a cramp link: {evidence}" if evidence else "")
        + "."
    )
    if references:
        parts.append(
            "**References:**\n"
            + "\n".join(
                f"- [{_md(r.citation or r.key)}]({r.url})"
                if r.url
                else f"- {_md(r.citation or r.key)}"
                for r in references
            )
        )
    parts.append(f"Knowledge base `{result.knowledge_base_version}`.")
    earlier = context.earlier.get(issue.key)
    if earlier is not None:
        parts.insert(
            0,
            f"_{earlier.outcome.capitalize()} by {_md(earlier.decided_by)} on {earlier.decided_on}"
            + (f" ({_md(earlier.reason_label)})" if earlier.reason_label else "")
            + " for this patient and these medicines: shown for information, not raised again._",
        )
    return "\n\n".join(part for part in parts if part), references


def _md(text: str) -> str:
    """Text from a list, safe inside Markdown: no links, emphasis or HTML from the input."""
    return "".join(f"\\{c}" if c in "\\`*_{}[]()#+!<>|" else c for c in text)


def _indicator(severity: Severity) -> str:
    return {Severity.CRITICAL: "critical", Severity.WARNING: "warning"}.get(severity, "info")


def _card(result: ScreeningResult, issue: Issue, context: CardContext) -> dict[str, Any]:
    detail, references = _detail(result, issue, context)
    earlier = issue.key in context.earlier
    summary = shortened(("Acknowledged earlier: " if earlier else "") + _summary(result, issue))
    card: dict[str, Any] = {
        "uuid": str(card_uuid(context.screening_id, issue.key)),
        "summary": summary,
        "detail": detail,
        "indicator": "info" if earlier else _indicator(issue.severity),
        "source": {
            "label": SOURCE_LABEL,
            "url": next((r.url for r in references if r.url), context.screening_url),
        },
        "links": _links(context),
        "overrideReasons": [
            {"system": OVERRIDE_REASON_SYSTEM, "code": code, "display": display}
            for code, display in context.override_reasons
        ],
    }
    suggestions = _suggestions(result, issue, context)
    if suggestions:
        card["suggestions"] = suggestions
        card["selectionBehavior"] = "at-most-one"
    return card


def _links(context: CardContext) -> list[dict[str, str]]:
    return [
        {"label": "Full screening and its basis", "url": context.screening_url, "type": "absolute"},
        {"label": "Patient handout", "url": context.handout_url, "type": "absolute"},
    ]


def _suggestions(result: ScreeningResult, issue: Issue, context: CardContext) -> list[dict]:
    """For a critical or warning interaction or caution that rests on a draft order: the
    concrete action of not placing that order (the card's advice says what to use instead)."""
    if issue.kind not in (IssueKind.INTERACTION, IssueKind.SUPPLEMENT_CAUTION):
        return []
    if issue.severity == Severity.INFO:
        return []
    suggestions = []
    for index in issue.medication_indexes:
        reference = context.draft_references.get(index)
        line = result.medication(index)
        if reference and line is not None and index in context.draft_indexes:
            suggestions.append(
                {
                    "label": f"Remove the {_name(line)} order and choose an alternative",
                    "uuid": str(card_uuid(context.screening_id, f"{issue.key}:remove:{index}")),
                    "isRecommended": issue.severity == Severity.CRITICAL,
                    "actions": [
                        {
                            "type": "delete",
                            "description": f"Remove the draft order for {_name(line)}.",
                            "resourceId": reference,
                        }
                    ],
                }
            )
    return suggestions


def _notice(result: ScreeningResult, context: CardContext) -> dict[str, Any] | None:
    unread = [line for line in result.medications if not line.is_screened]
    lines = [
        f"- \u201c{_md(line.label)}\u201d: {_md(line.reason or 'not read')}" for line in unread
    ]
    lines += [f"- {_md(notice)}" for notice in context.notices]
    if not lines:
        return None
    count = len(unread) + len(context.notices)
    return {
        "uuid": str(card_uuid(context.screening_id, NOTICE_KEY)),
        "summary": f"{count} item{'s' if count != 1 else ''} could not be screened: check by hand",
        "detail": "Not screened for leg-cramp risks or supplement cautions:\n\n"
        + "\n".join(lines)
        + f"\n\nKnowledge base `{result.knowledge_base_version}`.",
        "indicator": "info",
        "source": {"label": SOURCE_LABEL, "url": context.screening_url},
        "links": _links(context),
    }
