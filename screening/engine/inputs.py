"""What a screen is asked about: the lines of a list, their codes, and the patient."""

from collections.abc import Mapping
from dataclasses import dataclass


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
