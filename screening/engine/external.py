"""Naming ingredients that come from outside the curated files.

Open vocabularies and code systems write an ingredient with its salt, release form or a
qualifier in parentheses ("ATORVASTATIN CALCIUM", "propranolol (cardiovascular)",
"metoprolol succinate extended release"). A result always names an ingredient by its
US generic name without any of those, so the same medicine reads the same whatever the
source, and a curated ingredient found this way gets its curated classes.
"""

import re

from screening.engine.vocabulary import DOSE_FORMS, GENERAL_SALTS, RELEASE_WORDS, ROUTES, UNITS

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD_SEPARATORS = re.compile(r"[\s,;]+")
# Words that may trail a generic name without being part of it.
_TRAILING = GENERAL_SALTS | RELEASE_WORDS | DOSE_FORMS | ROUTES | UNITS


def canonical_ingredient(name: str) -> str:
    """'ATORVASTATIN CALCIUM' -> 'atorvastatin'; 'propranolol (cardiovascular)' -> 'propranolol'."""
    words = [w for w in _WORD_SEPARATORS.split(_BRACKETED.sub(" ", name.lower())) if w]
    while len(words) > 1 and (words[-1] in _TRAILING or words[-1].replace(".", "").isdigit()):
        words.pop()
    return " ".join(words)
