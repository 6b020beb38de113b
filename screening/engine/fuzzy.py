"""Reading a misspelt name, and refusing to guess between look-alike names.

The measure is the number of slips, counted the way people mistype (`typos.typo_cost`): a
missing, extra or doubled letter, two neighbouring letters swapped, or a letter replaced by
a neighbouring key, another vowel or a letter that sounds the same, is one slip; any other
replaced letter is two. `fuzz.ratio`, used before, counts every replaced letter as two
edits, so "atenelol" scored below its cut-off and was not read at all; plain edit distance
would count "alert" as one slip from "Axert", and read an English word as a medicine.
Sound-alike spellings (ph/f, th/t, -ine/-ene, doubled letters) are compared on a sound key
as well (`sound_key`), and a candidate's distance is the smaller of the two, so
"sulphasalazine" is as close to "sulfasalazine" as a one-letter slip.

Why the search stays exact and fast: rapidfuzz's optimal-string-alignment distance (`OSA`)
never exceeds the slip cost, and is never less than the difference in length. So the
curated names are bucketed by length, rapidfuzz scores only the bands a query can reach,
keeps those within reach by OSA, and only those few are priced slip by slip: no candidate
the rules would accept is ever missed.

The thresholds, and why:
- how many slips a query may have and still be read (`max_edits`): one up to eight
  letters, two up to fifteen, three beyond. A one-slip typo in a short name is common and
  unambiguous once the next medicine is two slips away; two in an eight-letter word is a
  quarter of it wrong.
- "clearly one medicine": the next *different* medicine must be at least one slip further
  than the best for a one-slip typo, and at least two further for anything longer (two
  versus three slips is "about as close").
- suggestions go one slip beyond what may be read, never further, so an unrelated name
  ("cefuroxime" for "furosimide") is not offered.
- look-alike / sound-alike groups: another member is a plausible reading when it is within
  reach of the query and no further from it than the margin that lets a reading stand
  (one slip more caution than between any two names); the line is then refused, and
  every member suggested. A typo far from the other member ("furosimide": one slip from
  furosemide, four from torsemide) is read; one that could be either ("Zebetia": Zebeta
  or Zetia) is not.
Only curated names are candidates; the large external vocabulary is matched exactly.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz import process
from rapidfuzz.distance import OSA

from screening.engine.entries import Target
from screening.engine.typos import typo_cost

# Shorter words (abbreviations, "bid", "hct") never fuzzy-match.
MIN_FUZZY_LENGTH = 5
MAX_SUGGESTIONS = 5
# Suggestions may be this many slips beyond what would be read.
SUGGESTION_SLACK = 1
# Another member of a look-alike group blocks a reading this many slips beyond reach.
LOOK_ALIKE_SLACK = 1
# Candidates looked at per band before grouping them by medicine.
_CANDIDATE_LIMIT = MAX_SUGGESTIONS * 6

_SOUND_RULES = (
    (re.compile(r"ph"), "f"),
    (re.compile(r"th"), "t"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(?:ae|oe)"), "e"),
    (re.compile(r"(\w)\1+"), r"\1"),
    (re.compile(r"(?:ine|ene|in)$"), "in"),
    (re.compile(r"e$"), ""),
)


def sound_key(word: str) -> str:
    """Spelling variants that sound alike, folded together: 'sulphasalazine' and
    'sulfasalazine', 'amlodipene' and 'amlodipine', 'rosuvastatine' and 'rosuvastatin'."""
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def max_edits(length: int) -> int:
    """How many edits a misspelling of this many letters may have and still be read."""
    if length <= 8:
        return 1
    return 2 if length <= 15 else 3


def _margin(best_edits: int) -> int:
    return 1 if best_edits <= 1 else 2


def _similarity(edits: int, query: str, key: str) -> float:
    """Shown to the pharmacist: 1.0 is an exact name, each edit costs its share of letters."""
    return round(max(0.0, 1 - edits / max(len(query), len(key), 1)), 2)


@dataclass(frozen=True, slots=True)
class Candidate:
    target: Target
    key: str  # the known name that came closest
    edits: int  # on the spelling or on the sound key, whichever is fewer
    score: float
    spelling_edits: int = 0

    @property
    def rank(self) -> int:
        return self.edits


@dataclass(frozen=True, slots=True)
class LookAlike:
    """One other member of a look-alike group, seen from a member (`key`)."""

    other: Target
    key: str
    other_key: str

    def is_plausible(self, query: str, best_slips: int) -> bool:
        """Whether a typo read as this member could as well be a slip of the other one: the
        other is within reach of the query, and no further than the margin that would let
        a reading stand (`_margin`) — one slip more caution than between any two names."""
        slips = _distance(query, self.other_key)
        reach = max_edits(len(query)) + LOOK_ALIKE_SLACK
        return slips <= reach and slips - best_slips <= _margin(best_slips)


@dataclass(frozen=True, slots=True)
class FuzzyReading:
    query: str
    best: Target | None
    edits: int
    score: float
    clear: bool
    spelling_edits: int
    look_alikes: tuple[Target, ...]  # the members it could not choose between, best first
    candidates: tuple[Candidate, ...]  # distinct targets, best first

    @property
    def rank(self) -> float:
        """Better readings first when several stretches of a line compete."""
        return -self.score

    def describe(self) -> str:
        edits = "1 letter" if self.spelling_edits == 1 else f"{self.spelling_edits} letters"
        alike = ", sounds alike" if self.edits < self.spelling_edits else ""
        return f"{edits} off{alike}, score {self.score}"


_NOTHING = FuzzyReading(
    query="",
    best=None,
    edits=0,
    score=0.0,
    clear=False,
    spelling_edits=0,
    look_alikes=(),
    candidates=(),
)


@dataclass(frozen=True)
class _Band:
    keys: tuple[str, ...]  # what the query is compared with: spellings, or their sound keys
    names: tuple[str, ...]  # the spelling each key stands for
    targets: tuple[Target, ...]


@dataclass(frozen=True, eq=False)
class FuzzyNames:
    # key length -> the curated keys of that length (spelling) and of that sound-key length
    spelling: Mapping[int, _Band]
    sound: Mapping[int, _Band]
    look_alikes: Mapping[Target, tuple[LookAlike, ...]]

    def read(self, query: str) -> FuzzyReading:
        """The clearly-best known name for `query`, or why there is none."""
        if len(query) < MIN_FUZZY_LENGTH:
            return _NOTHING
        candidates = self._candidates(query)
        if not candidates:
            return FuzzyReading(query, None, 0, 0.0, False, 0, (), ())
        best = candidates[0]
        # Names of the same medicine (a brand and its generic) do not compete.
        runner_up = next(
            (c.edits for c in candidates[1:] if _medicine(c.target) != _medicine(best.target)),
            None,
        )
        confusable = [
            (look_alike, _distance(query, look_alike.other_key))
            for look_alike in self.look_alikes.get(best.target, ())
            if look_alike.is_plausible(query, best.edits)
        ]
        look_alike_targets = (
            (best.target, *(look_alike.other for look_alike, _ in confusable)) if confusable else ()
        )
        if confusable:
            candidates = _with_look_alikes(query, candidates, confusable)
        clear = (
            not confusable
            and best.edits <= max_edits(len(query))
            and (runner_up is None or runner_up - best.edits >= _margin(best.edits))
        )
        return FuzzyReading(
            query=query,
            best=best.target,
            edits=best.edits,
            score=best.score,
            clear=clear,
            spelling_edits=best.spelling_edits,
            look_alikes=look_alike_targets,
            candidates=candidates[:MAX_SUGGESTIONS],
        )

    def _candidates(self, query: str) -> tuple[Candidate, ...]:
        """Every medicine within reach of the query, nearest first, one entry per medicine."""
        reach = max_edits(len(query)) + SUGGESTION_SLACK
        found: dict[Target, Candidate] = {}
        for bands, probe in ((self.spelling, query), (self.sound, sound_key(query))):
            band = bands.get(len(probe))
            if band is None:
                continue
            for key, _lower_bound, position in process.extract(
                probe,
                band.keys,
                scorer=OSA.distance,
                processor=None,
                score_cutoff=reach,
                limit=_CANDIDATE_LIMIT,
            ):
                edits = typo_cost(probe, key)
                if edits > reach:
                    continue
                target, name = band.targets[position], band.names[position]
                # The score shown is the spelling's: a misspelling never shows as exact.
                spelling_edits = max(typo_cost(query, name), 1)
                candidate = Candidate(
                    target,
                    name,
                    int(edits),
                    _similarity(spelling_edits, query, name),
                    spelling_edits,
                )
                known = found.get(target)
                if known is None or (candidate.edits, -candidate.score) < (
                    known.edits,
                    -known.score,
                ):
                    found[target] = candidate
        return tuple(sorted(found.values(), key=lambda c: (c.edits, -c.score, c.target.name)))


def _distance(query: str, key: str) -> int:
    return min(typo_cost(query, key), typo_cost(sound_key(query), sound_key(key)))


def _medicine(target: Target) -> tuple:
    return (target.ingredients, target.supplement)


def _with_look_alikes(
    query: str, candidates: tuple[Candidate, ...], confusable: list[tuple[LookAlike, int]]
) -> tuple[Candidate, ...]:
    """Every member it could be is suggested first, even one beyond the suggestion reach."""
    members = [candidates[0]] + [
        Candidate(
            look_alike.other,
            look_alike.other_key,
            edits,
            _similarity(max(edits, 1), query, look_alike.other_key),
            typo_cost(query, look_alike.other_key),
        )
        for look_alike, edits in confusable
    ]
    member_targets = {member.target for member in members}
    return tuple(members) + tuple(c for c in candidates if c.target not in member_targets)


def _bands(keyed: list[tuple[str, str, Target]]) -> Mapping[int, _Band]:
    """Length bands: each query length sees every key it could be within reach of."""
    by_length: dict[int, list[tuple[str, str, Target]]] = {}
    for key, name, target in keyed:
        by_length.setdefault(len(key), []).append((key, name, target))
    if not by_length:
        return MappingProxyType({})
    bands: dict[int, _Band] = {}
    for length in range(MIN_FUZZY_LENGTH - 1, max(by_length) + 5):
        reach = max_edits(length) + SUGGESTION_SLACK
        pairs = [
            pair for n in range(length - reach, length + reach + 1) for pair in by_length.get(n, ())
        ]
        if pairs:
            bands[length] = _Band(
                tuple(k for k, _, _ in pairs),
                tuple(n for _, n, _ in pairs),
                tuple(t for _, _, t in pairs),
            )
    return MappingProxyType(bands)


def build_fuzzy_names(
    names: Mapping[str, Target], look_alike_groups: list[tuple[tuple[str, Target], ...]]
) -> FuzzyNames:
    """Length bands over the curated names (spelling and sound key), and look-alike partners."""
    keyed = [(key, target) for key, target in names.items() if len(key) >= MIN_FUZZY_LENGTH]
    partners: dict[Target, list[LookAlike]] = {}
    for group in look_alike_groups:
        for key, member in group:
            for other_key, other in group:
                if other == member or any(
                    existing.other == other for existing in partners.get(member, ())
                ):
                    continue
                partners.setdefault(member, []).append(
                    LookAlike(other=other, key=key, other_key=other_key)
                )
    return FuzzyNames(
        spelling=_bands([(key, key, target) for key, target in keyed]),
        sound=_bands([(sound_key(key), key, target) for key, target in keyed]),
        look_alikes=MappingProxyType({member: tuple(found) for member, found in partners.items()}),
    )
