"""Names and screening text are shown on paper as plain text, never as markup."""

import re
import unicodedata

# Bidirectional overrides can make printed text read backwards; they carry no meaning here.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_MARKUP = frozenset("<>")
_WHITESPACE = re.compile(r"\s+")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Cs"} or char in _BIDI_CONTROLS


def is_plain_name(value: str) -> bool:
    """A person's name as we accept it: no markup characters and no control characters."""
    return not any(char in _MARKUP or _is_control(char) for char in value)


def printable(value: object) -> str:
    """Text safe to lay out: control characters dropped, runs of whitespace made one space."""
    text = "" if value is None else str(value)
    text = "".join(" " if _is_control(char) else char for char in text)
    return _WHITESPACE.sub(" ", text).strip()
