"""Finding known names anywhere in a line, longest first.

A line is scanned word by word. At each word the longest curated name that starts
there wins ("Toprol XL" before "Toprol", "potassium chloride" before "potassium"); only
where no curated name starts may an external-vocabulary name match, and never one
that would swallow a curated name further on. Right after an ingredient, salt words
("calcium" in "atorvastatin calcium", "potassium" in "losartan potassium") belong to
it, unless a longer curated name starts there ("... potassium chloride"); the same
holds after a word that is clearly a misspelt medicine ("atorvastatn calcium").
"""

from collections.abc import Mapping
from dataclasses import dataclass

from screening.engine.entries import EXTERNAL, INGREDIENT, SUPPLEMENT, Target
from screening.engine.index import KnowledgeIndex
from screening.engine.tokens import Token
from screening.engine.vocabulary import GENERAL_SALTS, NOISE

# An external name must not start with a word shorter than this (e.g. "k", "ca").
_MIN_EXTERNAL_KEY = 3


@dataclass(frozen=True, slots=True)
class NameHit:
    target: Target
    first: int  # token positions, inclusive; a trailing salt is part of the hit
    last: int


@dataclass(frozen=True, slots=True)
class NameScan:
    hits: tuple[NameHit, ...]
    unknown: tuple[int, ...]  # positions of words that are neither a name nor noise


def _is_noise(word: str) -> bool:
    return word.isdigit() or len(word) == 1 or word in NOISE or word in GENERAL_SALTS


def _longest(
    names: Mapping[str, Target], words: list[str], start: int, max_words: int
) -> tuple[int, Target | None]:
    for size in range(min(max_words, len(words) - start), 0, -1):
        target = names.get("".join(words[start : start + size]))
        if target is not None:
            return size, target
    return 0, None


def _is_salt_of(index: KnowledgeIndex, target: Target, word: str) -> bool:
    """Whether `word`, right after the name of `target`, is that ingredient's salt."""
    if target.kind not in (INGREDIENT, EXTERNAL) or len(target.ingredients) != 1:
        return False
    ingredient = index.ingredients.get(target.ingredients[0])
    return word in GENERAL_SALTS or (ingredient is not None and word in ingredient.salts)


def scan_names(index: KnowledgeIndex, tokens: tuple[Token, ...]) -> NameScan:
    """Every known name in the line, in order, and the words left unexplained."""
    words = [token.word for token in tokens]
    curated = [
        _longest(index.curated_names, words, i, index.curated_max_words) for i in range(len(words))
    ]
    hits: list[NameHit] = []
    unknown: list[int] = []
    position = 0
    while position < len(words):
        word = words[position]
        size, target = curated[position]
        previous = hits[-1] if hits else None
        if (
            previous is not None
            and previous.last == position - 1
            and not tokens[position].after_separator
            and size < 2
            and _is_salt_of(index, previous.target, word)
        ):
            hits[-1] = NameHit(previous.target, previous.first, position)
            position += 1
            continue
        if size == 1 and _salt_of_misspelt_medicine(index, tokens, position, unknown):
            position += 1  # "atorvastatn calcium": calcium is the salt, not a supplement
            continue
        if target is None and not _is_noise(word):
            size, target = _external(index, words, curated, position)
        if target is not None:
            hits.append(NameHit(target, position, position + size - 1))
            position += size
            continue
        if not _is_noise(word):
            unknown.append(position)
        position += 1
    # A name that is also a sig word ("INH", isoniazid, vs "inh" for inhaled) counts only
    # when the line names nothing else: "INH 300 mg" is isoniazid, "salbutamol inh" is not.
    strong = [hit for hit in hits if not _is_sig_word(words, hit)]
    return NameScan(hits=tuple(strong or hits), unknown=tuple(unknown))


def _is_sig_word(words: list[str], hit: NameHit) -> bool:
    return hit.first == hit.last and words[hit.first] in NOISE


def _salt_of_misspelt_medicine(
    index: KnowledgeIndex, tokens: tuple[Token, ...], position: int, unknown: list[int]
) -> bool:
    """A salt word right after an unknown word that is clearly a misspelt medicine."""
    if tokens[position].word not in GENERAL_SALTS or tokens[position].after_separator:
        return False
    if not unknown or unknown[-1] != position - 1:
        return False
    reading = index.fuzzy.read(tokens[position - 1].word)
    return reading.clear and reading.best is not None and reading.best.kind != SUPPLEMENT


def _external(
    index: KnowledgeIndex, words: list[str], curated: list[tuple[int, Target | None]], start: int
) -> tuple[int, Target | None]:
    longest = min(index.external_max_words, len(words) - start)
    # Never swallow a curated name that starts inside the external one.
    for offset in range(1, longest):
        if curated[start + offset][1] is not None:
            longest = offset
            break
    for size in range(longest, 0, -1):
        key = "".join(words[start : start + size])
        if len(key) >= _MIN_EXTERNAL_KEY and (target := index.external_target(key)) is not None:
            return size, target
    return 0, None
