"""Reading the codes that come with a line (RxNorm, NDC, ATC).

A full code names a medicine: an RxNorm ingredient RxCUI or a product RxCUI the
knowledge base lists, a seven-character ATC code, or, through an imported RxNorm
release (`Terminology`), any RxNorm product code (clinical or branded drug, pack,
component, form) or NDC. An ATC code at class level (e.g. "C03AA", thiazides) names a
drug class but not which medicine: the line then counts for that class as `probable`,
to be confirmed. A code that cannot be used is not an error: the line's reason says why,
and the coding's display or the line's text is read instead.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from screening.engine.entries import Target
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import NO_TERMINOLOGY, Coding, ProductCode, Terminology
from screening.engine.terms import MatchMethod

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
NDC = "http://hl7.org/fhir/sid/ndc"
ATC = "http://www.whocc.no/atc"
# System URIs and their HL7 OIDs (terminology.hl7.org: v3-rxNorm, v3-ndc, ATC).
_SYSTEMS = {
    RXNORM: "RxNorm",
    "urn:oid:2.16.840.1.113883.6.88": "RxNorm",
    NDC: "NDC",
    "urn:oid:2.16.840.1.113883.6.69": "NDC",
    ATC: "ATC",
    "urn:oid:2.16.840.1.113883.6.73": "ATC",
}
NEEDS_RELEASE = "RxNorm product codes need an RxNorm release: see README"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MAX_ECHO = 100
# The three 10-digit NDC configurations (labeler-product-package) and the 11-digit
# 5-4-2 form RxNorm stores: the short segment gets a leading zero.
_NDC_HYPHENATED = re.compile(r"^(\d{4,5})-(\d{3,4})-(\d{1,2})$")
_NDC_SHAPES = ((4, 4, 2), (5, 3, 2), (5, 4, 1), (5, 4, 2))


@dataclass(frozen=True, slots=True)
class CodeReading:
    target: Target | None = None  # the medicine a full code names in the knowledge base
    product: ProductCode | None = None  # the product an RxNorm release says the code is
    class_slugs: tuple[str, ...] = ()  # the classes a class-level ATC code names
    method: MatchMethod = MatchMethod.CODE_RXNORM
    label: str = ""  # "RxNorm 4603", "NDC 68071-4819-1", "ATC C03AA"
    code: str = ""
    remarks: tuple[str, ...] = ()  # why the codes that were sent could not be used
    # The line's later codes that name a medicine too: checked against this one, since
    # two codes of one line may disagree (a mapping error in the sender's system).
    also: tuple["CodeReading", ...] = ()

    @property
    def names_a_medicine(self) -> bool:
        return self.target is not None or self.product is not None


def echo(value: object) -> str:
    """Input echoed into a reason: no control characters, bounded length."""
    return "" if value is None else _CONTROL.sub("", str(value)).strip()[:_MAX_ECHO]


def system_label(system: object) -> str | None:
    return _SYSTEMS.get(str(system).strip().rstrip("/").lower())


def ndc_candidates(code: str) -> tuple[str, ...]:
    """The 11-digit NDCs a written NDC can be. Hyphenated 10-digit and 11-digit NDCs are
    one; ten digits without hyphens could be any of the three configurations."""
    code = code.strip()
    hyphenated = _NDC_HYPHENATED.match(code)
    if hyphenated:
        parts = hyphenated.groups()
        shape = tuple(len(part) for part in parts)
        if shape not in _NDC_SHAPES:
            return ()
        return ("".join(part.zfill(width) for part, width in zip(parts, (5, 4, 2), strict=True)),)
    digits = code.replace("-", "")
    if not digits.isdigit():
        return ()
    if len(digits) == 11:
        return (digits,)
    if len(digits) == 10 and "-" not in code:
        return tuple(
            "".join(
                digits[start : start + width].zfill(full)
                for start, width, full in zip(
                    (0, shape[0], shape[0] + shape[1]), shape, (5, 4, 2), strict=True
                )
            )
            for shape in _NDC_SHAPES[:3]
        )
    return ()


def read_codes(
    index: KnowledgeIndex, coding: Iterable[Coding], terminology: Terminology = NO_TERMINOLOGY
) -> CodeReading:
    """The first coding that names a medicine wins (the others that do come with it, in
    `also`); a class-level ATC code is a fallback."""
    remarks: list[str] = []
    class_reading: CodeReading | None = None
    found: list[CodeReading] = []
    for item in coding or ():
        system = getattr(item, "system", "")
        code = echo(getattr(item, "code", ""))
        label = system_label(system)
        if label is None:
            remarks.append(
                f"the code's system '{echo(system) or '(no system)'}' is not a known coding system"
            )
            continue
        if label == "RxNorm":
            reading = _rxnorm(index, terminology, code, remarks)
        elif label == "NDC":
            reading = _ndc(terminology, code, remarks)
        else:
            code = code.upper().replace(" ", "")
            reading = _atc(index, code, remarks)
            if reading is not None and reading.class_slugs:
                class_reading = class_reading or reading
                continue
        if reading is not None:
            found.append(reading)
    if found:
        return replace(found[0], also=tuple(found[1:]))
    if class_reading is not None:
        return class_reading
    return CodeReading(remarks=tuple(dict.fromkeys(remarks)))


def _rxnorm(
    index: KnowledgeIndex, terminology: Terminology, code: str, remarks: list[str]
) -> CodeReading | None:
    label = f"RxNorm {code}"
    target = index.rxnorm.get(code)
    if target is not None:
        return CodeReading(target=target, method=MatchMethod.CODE_RXNORM, label=label, code=code)
    product = terminology.rxnorm.get(code)
    if product is not None:
        return CodeReading(product=product, method=MatchMethod.CODE_RXNORM, label=label, code=code)
    if terminology.release is None:
        remarks.append(f"{label} is not in the knowledge base; {NEEDS_RELEASE}")
    else:
        remarks.append(f"{label} is not in the knowledge base or RxNorm {terminology.release}")
    return None


def _ndc(terminology: Terminology, code: str, remarks: list[str]) -> CodeReading | None:
    label = f"NDC {code}"
    candidates = ndc_candidates(code)
    if not candidates:
        remarks.append(
            f"'{code}' is not an NDC (10 digits as 4-4-2, 5-3-2 or 5-4-1 with hyphens, or 11 digits)"
        )
        return None
    products = {
        found.rxcui: found for found in (terminology.ndc.get(c) for c in candidates) if found
    }
    if len(products) == 1:
        return CodeReading(
            product=next(iter(products.values())),
            method=MatchMethod.CODE_NDC,
            label=label,
            code=code,
        )
    if len(products) > 1:
        remarks.append(
            f"{label} without hyphens could be {len(products)} different products; "
            "send it with its hyphens or as 11 digits"
        )
    elif terminology.release is None:
        remarks.append(f"{label}: NDCs need an RxNorm release: see README")
    else:
        remarks.append(f"{label} is not in RxNorm {terminology.release}")
    return None


def _atc(index: KnowledgeIndex, code: str, remarks: list[str]) -> CodeReading | None:
    target = index.atc.get(code)
    if target is not None:
        return CodeReading(
            target=target, method=MatchMethod.CODE_ATC, label=f"ATC {code}", code=code
        )
    slugs = _atc_classes(index, code)
    if slugs:
        return CodeReading(
            class_slugs=slugs, method=MatchMethod.CODE_ATC_CLASS, label=f"ATC {code}", code=code
        )
    remarks.append(f"ATC {code} is not in the knowledge base")
    return None


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
