"""How far a misspelling is from a name, counted the way people mistype.

One slip costs 1: a missing letter, an extra (or doubled) letter, two neighbouring letters
swapped, or a letter replaced by one that is easy to hit or hear instead — a neighbouring
key on a QWERTY keyboard, another vowel ("atenelol" for atenolol), or a letter that sounds
the same (c/k/q, c/s/z, i/y). Any other replaced letter costs 2, as much as deleting one
letter and typing another: "alert" is not a slip of "Axert", nor "Lasik" of "Lasix".

This is the optimal-string-alignment distance (rapidfuzz `OSA`) with those substitution
weights. Every weighted operation costs at least as much as OSA counts it, so OSA is a
lower bound: the fuzzy step filters candidates with rapidfuzz first (fast, lossless) and
only prices the few that are left here.
"""

from functools import lru_cache

_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# How far each row starts to the right of the top row, in keys (a QWERTY layout).
_ROW_STAGGER = (0.0, 0.25, 0.75)
_VOWELS = frozenset("aeiouy")
_SOUND_ALIKE = ({"c", "k", "q"}, {"c", "s", "z"}, {"i", "y"})
# A replaced letter that is not an easy slip costs as much as a deletion plus an insertion.
_OTHER_SUBSTITUTION = 2


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    position = {
        letter: (row, column + _ROW_STAGGER[row])
        for row, letters in enumerate(_KEYBOARD_ROWS)
        for column, letter in enumerate(letters)
    }
    neighbours: dict[str, set[str]] = {letter: set() for letter in position}
    for letter, (row, x) in position.items():
        for other, (other_row, other_x) in position.items():
            # The keys touching a key: one apart in its row, the nearest two above and below.
            if other != letter and abs(other_row - row) <= 1 and abs(other_x - x) <= 1:
                neighbours[letter].add(other)
    return {letter: frozenset(found) for letter, found in neighbours.items()}


_NEIGHBOURS = _keyboard_neighbours()


@lru_cache(maxsize=1024)
def is_slip(a: str, b: str) -> bool:
    """Whether typing `b` for `a` (or `a` for `b`) is an easy slip of the hand or the ear."""
    if a == b:
        return True
    if a in _VOWELS and b in _VOWELS:
        return True
    if b in _NEIGHBOURS.get(a, ()):
        return True
    return any(a in group and b in group for group in _SOUND_ALIKE)


def typo_cost(query: str, name: str) -> int:
    """The cheapest way to mistype `name` as `query` (see the module docstring)."""
    rows, cols = len(query) + 1, len(name) + 1
    previous_previous: list[int] = []
    previous = list(range(cols))
    for i in range(1, rows):
        current = [i] + [0] * (cols - 1)
        for j in range(1, cols):
            a, b = query[i - 1], name[j - 1]
            if a == b:
                substitution = previous[j - 1]
            else:
                substitution = previous[j - 1] + (1 if is_slip(a, b) else _OTHER_SUBSTITUTION)
            best = min(previous[j] + 1, current[j - 1] + 1, substitution)
            if i > 1 and j > 1 and a == name[j - 2] and query[i - 2] == b:
                best = min(best, previous_previous[j - 2] + 1)
            current[j] = best
        previous_previous, previous = previous, current
    return previous[-1]
