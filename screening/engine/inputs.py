"""What a screen is asked about: the lines of a list, their codes, and the patient."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Coding:
    system: str  # e.g. "http://www.nlm.nih.gov/research/umls/rxnorm"
    code: str


@dataclass(frozen=True, slots=True)
class LineInput:
    text: str
    coding: tuple[Coding, ...] = ()


@dataclass(frozen=True, slots=True)
class PatientFactors:
    age: int | None = None
    egfr: float | None = None
    symptoms: tuple[str, ...] = ()
    # Passed through for the presentation layer; the engine's texts are English.
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ScreeningRequest:
    medications: tuple[LineInput, ...]
    supplements: tuple[LineInput, ...] = ()
    patient: PatientFactors | None = None
