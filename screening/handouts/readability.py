"""How hard a handout is to read, with a formula made for each language.

- English: Flesch–Kincaid grade (textstat 0.7.8, which works offline). The handouts are
  held to grade 6 or lower.
- Spanish: the Szigriszt-Pazos perspicuity index, 206.835 − 62.3·syllables/words −
  words/sentences, read on the INFLESZ scale validated for patient information (Barrio-
  Cantalejo 2008: under 40 very difficult, 40–55 somewhat difficult, 55–65 normal, 65–80
  fairly easy, over 80 very easy); with Crawford's Spanish grade level beside it. textstat
  counts Spanish syllables only after set_lang("es").
- Vietnamese: Nguyen & Henkin (1982, Journal of Reading 26(3)), RL = 2·WL + 0.2·SL − 6, a
  school grade, where WL is letters per word and SL words per sentence. Vietnamese writes
  each syllable as its own space-separated word, and the formula counts those; a letter is
  a base letter, its tone and vowel marks not counted (the authors' own count is not
  published; counting marks as letters adds about one to two grades).
A language without a formula here gets no score rather than a misleading one.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import textstat

# textstat keeps its language in module state: one scoring at a time per process.
_lock = threading.Lock()
_SENTENCE_END = re.compile(r"[.!?:]+(?:\s|$)|\n+")


@dataclass(frozen=True)
class Readability:
    formula: str  # the formula the score is on
    score: float
    grade: float | None  # a school grade, where the language has a grade formula


def _textstat(language: str, formula: str, text: str) -> float:
    with _lock:
        textstat.set_lang(language)
        try:
            return round(float(getattr(textstat, formula)(text)), 1)
        finally:
            textstat.set_lang("en")


def _english(text: str) -> Readability:
    grade = _textstat("en", "flesch_kincaid_grade", text)
    return Readability("flesch_kincaid_grade", grade, grade)


def _spanish(text: str) -> Readability:
    return Readability(
        "szigriszt_pazos_inflesz",
        _textstat("es", "szigriszt_pazos", text),
        _textstat("es", "crawford", text),
    )


def _base_letters(word: str) -> int:
    decomposed = unicodedata.normalize("NFD", word)
    return sum(1 for char in decomposed if char.isalpha())


def _vietnamese(text: str) -> Readability:
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    words = [w for s in sentences for w in s.split() if _base_letters(w)]
    if not sentences or not words:
        return Readability("nguyen_henkin_1982", 0.0, 0.0)
    letters_per_word = sum(_base_letters(w) for w in words) / len(words)
    words_per_sentence = len(words) / len(sentences)
    grade = round(2 * letters_per_word + 0.2 * words_per_sentence - 6, 1)
    return Readability("nguyen_henkin_1982", grade, grade)


_FORMULAS = {"en": _english, "es": _spanish, "vi": _vietnamese}


def readability(text: str, *, language: str) -> Readability | None:
    formula = _FORMULAS.get(language.split("-")[0])
    if formula is None or not text.strip():
        return None
    return formula(text)


def readability_grade(text: str, *, language: str) -> float | None:
    """The school grade of the text, where the language has a grade formula."""
    found = readability(text, language=language)
    return found.grade if found else None
