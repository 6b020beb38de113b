"""A screening as FHIR R4: a Bundle of DetectedIssue resources.

One DetectedIssue per finding (a cramp-linked medicine), interaction, supplement caution,
red flag, and line that could not be screened, so a pharmacy system can file each with
its own records. Each carries the basis a pharmacist sees: the matched text, the rule,
the evidence, the references and the knowledge-base version; `implicated` points at the
resources the lines came from (or names the line when it was sent as text). Built as
plain JSON and validated with the fhir.resources R4B models before it is returned.
"""

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from screening.engine.result import Line, Reference, ScreeningResult
from screening.engine.terms import ListKind, Severity, Urgency

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# This service's own kinds of issue. A URN: the system names the kind, not a web page.
ISSUE_KIND = "urn:leg-cramp-screening:detected-issue-kind"
_SEVERITY = {Severity.CRITICAL: "high", Severity.WARNING: "moderate", Severity.INFO: "low"}
_URGENCY = {Urgency.EMERGENCY: "high", Urgency.SAME_DAY: "high", Urgency.SOON: "moderate"}
# v3 ActCode DetectedIssue codes (FHIR R4 value set detectedissue-category).
_DRUG_INTERACTION = ("DRG", "Drug Interaction Alert")
_NATURAL_HEALTH_PRODUCT = ("NHP", "Natural Health Product Alert")
_CONDITION = ("COND", "Condition Alert")


def detected_issue_bundle(
    *, screening_id: uuid.UUID, created: str, result: ScreeningResult, mitigations=None
) -> dict[str, Any]:
    """The Bundle (type collection) as JSON, valid FHIR R4.

    `mitigations` maps an issue's key ("finding:statin", "interaction:<key>", ...) to
    the FHIR mitigation entries the pharmacist's decisions recorded."""
    builder = _Builder(screening_id, created, result, mitigations or {})
    issues = [
        *(builder.finding(finding) for finding in result.findings),
        *(builder.interaction(interaction) for interaction in result.interactions),
        *(builder.caution(caution) for caution in result.supplement_cautions),
        *(builder.red_flag(flag) for flag in result.red_flags),
        *(
            builder.not_screened(
                line, "medication" if kind == ListKind.MEDICATIONS else "supplement"
            )
            for kind, _, line in result.unscreened()
        ),
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": str(screening_id),
        "type": "collection",
        "timestamp": created,
        "meta": {"tag": [{"system": ISSUE_KIND, "code": f"kb-{result.knowledge_base_version}"}]},
        "entry": [{"fullUrl": f"urn:uuid:{issue['id']}", "resource": issue} for issue in issues],
    }
    Bundle.model_validate(bundle)  # never hand out invalid FHIR
    return bundle


def issue_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"


class _Builder:
    def __init__(self, screening_id, created, result: ScreeningResult, mitigations):
        self.screening_id = screening_id
        self.created = created
        self.result = result
        self.mitigations = mitigations

    def _issue(
        self,
        key: str,
        *,
        kind: str,
        kind_display: str,
        act: tuple[str, str] | None,
        severity: str,
        preliminary: bool,
        detail: str,
        lines: Iterable[Line],
        evidence: str | None,
        references: Sequence[Reference],
    ) -> dict[str, Any]:
        codings = [{"system": ACT_CODE, "code": act[0], "display": act[1]}] if act else []
        codings.append({"system": ISSUE_KIND, "code": kind, "display": kind_display})
        issue: dict[str, Any] = {
            "resourceType": "DetectedIssue",
            "id": str(uuid.uuid5(self.screening_id, key)),
            "identifier": [{"system": ISSUE_KIND, "value": key}],
            # preliminary: it rests on a line the pharmacist has not confirmed yet
            "status": "preliminary" if preliminary else "final",
            "code": {"coding": codings, "text": kind_display},
            "severity": severity,
            "identifiedDateTime": self.created,
            "implicated": [_implicated(line) for line in lines],
            "detail": f"{detail}\n\nKnowledge base {self.result.knowledge_base_version}.",
        }
        evidence_entries = []
        if evidence:
            evidence_entries.append({"code": [{"text": evidence}]})
        if references:
            evidence_entries.append(
                {"detail": [{"display": _cited(reference)} for reference in references]}
            )
        if evidence_entries:
            issue["evidence"] = evidence_entries
        url = next((r.url for r in references if r.url), None)
        if url:
            issue["reference"] = url
        if not issue["implicated"]:
            del issue["implicated"]
        if key in self.mitigations:
            issue["mitigation"] = self.mitigations[key]
        return issue

    def _lines(self, indexes: Iterable[int]) -> list[Line]:
        return [line for i in indexes if (line := self.result.medication(i)) is not None]

    def finding(self, finding) -> dict[str, Any]:
        lines = self._lines(finding.medication_indexes)
        return self._issue(
            issue_key("finding", finding.drug_class),
            kind="cramp-linked-medicine",
            kind_display="Medicine linked to leg cramps",
            act=None,
            severity="low",
            preliminary=finding.needs_confirmation,
            detail=_join(
                f"{finding.drug_class_name}: {', '.join(_named(line) for line in lines)}.",
                finding.evidence.summary,
                finding.mechanism,
                _basis(lines),
                finding.route_note,
            ),
            lines=lines,
            evidence=f"Evidence of a link with cramps: {finding.evidence.strength}",
            references=(*finding.evidence.references, *finding.references),
        )

    def interaction(self, interaction) -> dict[str, Any]:
        lines = self._lines(interaction.medication_indexes)
        return self._advice(interaction, "interaction", "Interaction", _DRUG_INTERACTION, lines)

    def caution(self, caution) -> dict[str, Any]:
        lines = self._lines(caution.medication_indexes)
        supplement = self.result.source_line(caution.source)
        act = _NATURAL_HEALTH_PRODUCT if lines else _CONDITION
        return self._advice(
            caution,
            "supplement-caution",
            "Supplement caution",
            act,
            [*([supplement] if supplement else []), *lines],
        )

    def _advice(self, advice, kind, display, act, lines) -> dict[str, Any]:
        return self._issue(
            issue_key(kind, advice.key),
            kind=kind,
            kind_display=display,
            act=act,
            severity=_SEVERITY[advice.severity],
            preliminary=advice.needs_confirmation,
            detail=_join(
                advice.message, advice.mechanism, advice.action, _basis(lines), advice.route_note
            ),
            lines=lines,
            evidence=f"Rule {advice.key}",
            references=advice.references,
        )

    def red_flag(self, flag) -> dict[str, Any]:
        lines = self._lines(flag.medication_indexes)
        return self._issue(
            issue_key("red-flag", flag.code),
            kind="red-flag",
            kind_display="Symptom that needs medical attention",
            act=_CONDITION,
            severity=_URGENCY[flag.urgency],
            preliminary=False,
            detail=_join(flag.name + ".", flag.message, _basis(lines)),
            lines=lines,
            evidence=f"Reported: {', '.join(flag.symptoms)}" if flag.symptoms else None,
            references=flag.references,
        )

    def not_screened(self, line: Line, list_name: str) -> dict[str, Any]:
        return self._issue(
            issue_key(f"not-screened-{list_name}", str(line.index)),
            kind="not-screened",
            kind_display="Not screened: check by hand",
            act=None,
            severity="moderate",
            preliminary=False,
            detail=_join(
                f"{list_name.capitalize()} line {line.index} "
                f"'{line.label}' was not screened: {line.reason or 'not read'}."
            ),
            lines=[line],
            evidence=None,
            references=(),
        )


def _implicated(line: Line) -> dict[str, str]:
    if line.source is not None and line.source.reference:
        return {"reference": line.source.reference, "display": _named(line)}
    return {"display": _named(line)}


def _named(line: Line) -> str:
    return line.known_as or line.label or line.product or " + ".join(line.ingredients)


def _basis(lines: Iterable[Line]) -> str:
    parts = [
        f"line {line.index} read '{line.match.matched_text}' ({line.match.method}"
        + (", to be confirmed" if line.status == "probable" else "")
        + ")"
        for line in lines
        if line.match is not None
    ]
    return ("Basis: " + "; ".join(parts) + ".") if parts else ""


def _cited(reference: Reference) -> str:
    return " ".join(part for part in (reference.citation or reference.key, reference.url) if part)


def _join(*parts: str | None) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())
