"""Screening results for the handout tests, made by the engine from the curated knowledge
base files: never hand-built, so a fixture can't drift from what the engine writes.

Each result is the typed `ScreeningResult` every reader uses; `.stored()` is the JSON a
Screening row keeps.
"""

from functools import cache
from pathlib import Path

from screening.engine import LineInput, PatientFactors, ScreeningRequest, build_index, screen
from screening.engine.result import ScreeningResult
from screening.knowledge.files import read_knowledge_base

KB_VERSION = "2026.11-test"
KNOWLEDGE_BASE = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base"


@cache
def curated_index():
    return build_index(read_knowledge_base(KNOWLEDGE_BASE).engine_snapshot(), version=KB_VERSION)


def screened(
    medications: list[str],
    supplements: list[str] = (),
    *,
    egfr: float | None = None,
    symptoms: tuple[str, ...] = (),
    language: str | None = None,
) -> ScreeningResult:
    return screen(
        curated_index(),
        ScreeningRequest(
            medications=tuple(LineInput(text) for text in medications),
            supplements=tuple(LineInput(text) for text in supplements),
            patient=PatientFactors(egfr=egfr, symptoms=symptoms, language=language),
        ),
    )


# About five medicines, two findings, supplement cautions, one line unread.
TYPICAL = screened(
    [
        "metformin 500 mg bid",
        "hydrochlorothiazide 25 mg 1 po qam",
        "Lipitor 40 mg at night",
        "lisinopril 10 mg daily",
        "Zumo de ñame",
    ],
    ["Slow-Mag", "Klor-Con 10 mEq"],
)

NO_FINDINGS = screened(["metformin 500 mg bid"])

UNRECOGNISED_ONLY = screened(
    ["the little white pill", "<b>asdfgh</b>"],
    ["herbal tea"],
)

# Every section: findings of several grades, an interaction, cautions, red flags, a
# probable line.
MANY_FINDINGS = screened(
    [
        "Lasix 40 mg",
        "losartan/HCTZ 100/25",
        "simvastatin 40 mg",
        "Ventolin inhaler 2 puffs prn",
        "Serevent Diskus 1 puff bid",
        "spironolactone 25 mg",
        "clarithromycin 500 mg bid",
        "atenelol 50 mg",
    ],
    ["magnesium oxide 400 mg", "potassium chloride 20 mEq"],
    egfr=40,
    symptoms=("dark_urine", "palpitations"),
)

# The audit's patient: 74, eGFR 25, furosemide, Zestoretic, omeprazole, levothyroxine,
# taking magnesium oxide and quinine.
KIDNEYS_AND_QUININE = screened(
    ["furosemide 40 mg daily", "Zestoretic 20/12.5", "omeprazole 20 mg", "levothyroxine 75 mcg"],
    ["magnesium oxide 400 mg", "quinine 300 mg at night"],
    egfr=25,
    language="es",
)

ALL_PATHS = {
    "typical": TYPICAL,
    "no findings": NO_FINDINGS,
    "unrecognised only": UNRECOGNISED_ONLY,
    "many findings": MANY_FINDINGS,
    "kidneys and quinine": KIDNEYS_AND_QUININE,
}
