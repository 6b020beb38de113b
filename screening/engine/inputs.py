"""What a screen is asked about: the lines of a list, their codes, and the patient."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Coding:
    system: str  # e.g. "http://www.nlm.nih.gov/research/umls/rxnorm"
    code: str
    display: str = ""  # read when the code itself is not known


@dataclass(frozen=True, slots=True)
class LineInput:
    text: str
    coding: tuple[Coding, ...] = ()
    # Where the line came from when a system sent a FHIR resource: resource_type, id,
    # reference, status (see result.LineSource). Echoed on the line, never interpreted.
    source: Mapping[str, str] | None = None
    # What the sender could not resolve while building the line (a FHIR reference to a
    # Medication that was not sent): added to the line's reason.
    note: str = ""


@dataclass(frozen=True, slots=True)
class ProductCode:
    """What an RxNorm release says a product-level code (or an NDC) is."""

    rxcui: str
    name: str  # RxNorm's name: "hydrochlorothiazide 25 MG Oral Tablet"
    tty: str  # RxNorm term type: SCD, SBD, GPCK, BPCK, MIN, PIN, ...
    ingredients: tuple[tuple[str, str], ...]  # (ingredient RxCUI, ingredient name)


@dataclass(frozen=True, slots=True)
class Terminology:
    """The part of an RxNorm release a screen needs, looked up by the caller for the codes
    of this request: the engine holds no terminology of its own beyond the knowledge base's
    ingredient codes. `release` is None when no release has been imported."""

    release: str | None = None
    rxnorm: Mapping[str, ProductCode] = field(default_factory=lambda: MappingProxyType({}))
    ndc: Mapping[str, ProductCode] = field(default_factory=lambda: MappingProxyType({}))


NO_TERMINOLOGY = Terminology()


@dataclass(frozen=True, slots=True)
class PatientFactors:
    egfr: float | None = None
    symptoms: tuple[str, ...] = ()
    # The patient's language: carried into the result, where the handout's default
    # language is read from.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ScreeningRequest:
    medications: tuple[LineInput, ...]
    supplements: tuple[LineInput, ...] = ()
    patient: PatientFactors | None = None
    terminology: Terminology = NO_TERMINOLOGY
    # Resources that were sent but not screened (resource_type, id, reference, status,
    # reason): echoed in the result so nothing sent goes unmentioned.
    not_screened_resources: tuple[Mapping[str, str], ...] = ()
