"""Turning a line (or a knowledge-base name) into comparable words.

Case, accents, spaces, hyphens and slashes never matter: "Toprol-XL", "toprol xl" and
"TOPROLXL" all have the compact key "toprolxl", and "co-amilofruse", "co amilofruse" and
"coamilofruse" all have "coamilofruse". Letters and digits are separate words, so
"40mg" reads as "40" + "mg" and "Klor-Con M20" as "klor" + "con" + "m" + "20".
"""

import re
import unicodedata
from dataclasses import dataclass

from screening.engine.vocabulary import SEPARATOR_CHARACTERS

# A run of letters (any script) or a run of decimal digits.
_WORD = re.compile(r"[^\W\d_]+|\d+")
# str.translate table deleting every ASCII character but a-z and 0-9 (faster than re.sub,
# which matters when indexing ~100,000 external names).
_DROP_NOT_ALNUM = {
    code: None for code in range(128) if not chr(code).isalnum() or chr(code).isupper()
}

# Lines longer than this are read only this far: a medicine name is never that long,
# and it bounds the work a hostile 1 MB "line" can cause. The input is echoed in full.
MAX_LINE_CHARACTERS = 1000


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # folded: lower-case ASCII letters or digits only
    start: int  # offsets into the line as read (NFC-normalised)
    end: int
    after_separator: bool  # a comma, slash, plus, ... stands between this word and the last

    @property
    def is_number(self) -> bool:
        return self.word.isdigit()


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only; accents dropped ("Furosémide" -> "furosemide")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower().translate(_DROP_NOT_ALNUM)


def compact_key(name: str) -> str:
    """The key two names are compared by: every letter and digit, folded, nothing else."""
    return fold(name)


def readable_text(text: str) -> str:
    """The part of a line that is read, in the form token offsets refer to."""
    return unicodedata.normalize("NFC", text[:MAX_LINE_CHARACTERS])


def tokenise(text: str) -> tuple[Token, ...]:
    """Words of a line with their offsets, dropping what folds to nothing (e.g. emoji, CJK)."""
    tokens: list[Token] = []
    previous_end = 0
    for found in _WORD.finditer(text):
        word = fold(found.group())
        if not word:
            continue
        gap = text[previous_end : found.start()]
        tokens.append(
            Token(
                word=word,
                start=found.start(),
                end=found.end(),
                after_separator=bool(tokens) and any(ch in SEPARATOR_CHARACTERS for ch in gap),
            )
        )
        previous_end = found.end()
    return tuple(tokens)


def name_words(name: str) -> tuple[str, ...]:
    """The folded words of a knowledge-base name, split exactly as a line is split."""
    return tuple(token.word for token in tokenise(unicodedata.normalize("NFC", name)))
