"""Reading the codes that come with a line (RxNorm, ATC).

A full code names a medicine: an RxNorm ingredient (or product) RxCUI, or a full
seven-character ATC code. An ATC code at class level (e.g. "C03AA", thiazides) names
a drug class but not which medicine: the line then counts for that class as
`probable`, to be confirmed. A code from a system the engine does not know is not an
error: it is named in the line's reason.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from screening.engine.entries import Target
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import Coding
from screening.engine.terms import MatchMethod

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"
_SYSTEMS = {
    RXNORM: "RxNorm",
    "urn:oid:2.16.840.1.113883.6.88": "RxNorm",
    ATC: "ATC",
    "urn:oid:2.16.840.1.113883.6.73": "ATC",
}
_METHODS = {"RxNorm": MatchMethod.CODE_RXNORM, "ATC": MatchMethod.CODE_ATC}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAX_ECHO = 100


@dataclass(frozen=True, slots=True)
class CodeReading:
    target: Target | None = None  # the medicine a full code names
    class_slugs: tuple[str, ...] = ()  # the classes a class-level ATC code names
    method: MatchMethod = MatchMethod.CODE_RXNORM
    label: str = ""  # "RxNorm 4603", "ATC C03AA"
    code: str = ""
    unknown_systems: tuple[str, ...] = ()
    unknown_codes: tuple[str, ...] = ()  # known system, code not in the knowledge base


def echo(value: object) -> str:
    """Input echoed into a reason: no control characters, bounded length."""
    return "" if value is None else _CONTROL.sub("", str(value)).strip()[:_MAX_ECHO]


def _system_label(system: object) -> str | None:
    return _SYSTEMS.get(str(system).strip().rstrip("/").lower())


def read_codes(index: KnowledgeIndex, coding: Iterable[Coding]) -> CodeReading:
    """The first coding that names a medicine wins; a class-level ATC code is a fallback."""
    unknown_systems: list[str] = []
    unknown_codes: list[str] = []
    class_reading: CodeReading | None = None
    for item in coding or ():
        system = getattr(item, "system", "")
        code = echo(getattr(item, "code", ""))
        label = _system_label(system)
        if label is None:
            unknown_systems.append(echo(system) or "(no system)")
            continue
        if label == "ATC":
            code = code.upper().replace(" ", "")
        target = (index.rxnorm if label == "RxNorm" else index.atc).get(code)
        if target is not None:
            return CodeReading(
                target=target, method=_METHODS[label], label=f"{label} {code}", code=code
            )
        slugs = _atc_classes(index, code) if label == "ATC" else ()
        if slugs and class_reading is None:
            class_reading = CodeReading(
                class_slugs=slugs, method=MatchMethod.CODE_ATC_CLASS, label=f"ATC {code}", code=code
            )
        elif not slugs:
            unknown_codes.append(f"{label} {code}")
    if class_reading is not None:
        return class_reading
    return CodeReading(unknown_systems=tuple(unknown_systems), unknown_codes=tuple(unknown_codes))


def _atc_classes(index: KnowledgeIndex, code: str) -> tuple[str, ...]:
    """Classes whose ATC prefix the code starts with, the most specific prefix only."""
    matching = [
        (prefix, slug)
        for prefix, slug in index.atc_class_prefixes
        if code and code.startswith(prefix)
    ]
    if not matching:
        return ()
    longest = len(matching[0][0])
    return tuple(sorted({slug for prefix, slug in matching if len(prefix) == longest}))
