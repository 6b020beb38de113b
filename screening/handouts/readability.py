"""How hard a handout is to read, as a school grade (textstat 0.7.8: it works offline).

English uses Flesch–Kincaid, the grade the handouts are held to (6 or lower). Spanish
uses Crawford's formula, a grade level made for Spanish text. Other languages have no
calibrated grade formula in textstat, so they get none rather than a misleading number.
"""

import threading

import textstat

_GRADE_FORMULAS = {"en": "flesch_kincaid_grade", "es": "crawford"}
# textstat keeps its language in module state; one scoring at a time per process.
_lock = threading.Lock()


def readability_grade(text: str, *, language: str) -> float | None:
    base_language = language.split("-")[0]
    formula = _GRADE_FORMULAS.get(base_language)
    if formula is None or not text.strip():
        return None
    with _lock:
        textstat.set_lang(base_language)
        try:
            return round(float(getattr(textstat, formula)(text)), 1)
        finally:
            textstat.set_lang("en")
