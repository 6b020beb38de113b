"""Reading a misspelt name, and refusing to guess between look-alike names.

Why plain `fuzz.ratio` over length bands: the score is the normalised Indel similarity,
2 * common / (len(a) + len(b)), so a name can only reach a cutoff when its length is
within a fixed band of the query's length. Bucketing the curated names by length and
scoring only the bands a query can reach is therefore *lossless* (it never misses a
candidate the cutoff would keep), unlike bucketing by first letter, which loses every
typo in the first letter. `WRatio` was not used: it is ~10x slower and its partial and
token-set scoring rates a short name inside a long one as a near-perfect match.
Only curated names are candidates; the large external vocabulary is matched exactly.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from rapidfuzz import fuzz, process

from screening.engine.entries import Target

# Shown as a suggestion from this score (0-100) up.
SUGGESTION_CUTOFF = 70.0
# A misspelling is read as a name only when it is clearly that name ...
PROBABLE_SCORE = 88.0
# ... and beats the next different medicine by this much.
PROBABLE_MARGIN = 5.0
# Shorter words (abbreviations, "bid", "hct") never fuzzy-match.
MIN_FUZZY_LENGTH = 5
# Another member of a look-alike group is a plausible reading when the input scores at
# least the members' similarity to each other minus this slack, capped at the ceiling:
# a typo that is about as close to the other name as the two names are to each other.
LOOK_ALIKE_SLACK = 5.0
LOOK_ALIKE_CEILING = 70.0
MAX_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class LookAlike:
    other: Target
    other_key: str
    pair_score: float


@dataclass(frozen=True, slots=True)
class FuzzyReading:
    query: str
    best: Target | None
    score: float
    clear: bool
    look_alikes: tuple[Target, ...]  # the members it could not choose between, best first
    candidates: tuple[tuple[Target, float], ...]  # distinct targets, best first


@dataclass(frozen=True, eq=False)
class FuzzyNames:
    # query length -> (candidate keys, their targets), the lengths that can reach the cutoff
    bands: Mapping[int, tuple[tuple[str, ...], tuple[Target, ...]]]
    look_alikes: Mapping[Target, tuple[LookAlike, ...]]

    def read(self, query: str) -> FuzzyReading:
        """The clearly-best known name for `query`, or why there is none."""
        candidates = self._candidates(query)
        if not candidates:
            return FuzzyReading(
                query=query, best=None, score=0.0, clear=False, look_alikes=(), candidates=()
            )
        best, score = candidates[0]
        runner_up = candidates[1][1] if len(candidates) > 1 else 0.0
        confusable = [
            (look_alike.other, other_score)
            for look_alike in self.look_alikes.get(best, ())
            if (other_score := fuzz.ratio(query, look_alike.other_key))
            >= min(LOOK_ALIKE_CEILING, look_alike.pair_score - LOOK_ALIKE_SLACK)
        ]
        look_alikes = (best, *(target for target, _ in confusable)) if confusable else ()
        if confusable:
            # Every member it could be is suggested first, even one below the cutoff.
            scores = dict(candidates)
            for target, other_score in confusable:
                scores[target] = max(other_score, scores.get(target, 0.0))
            candidates = _best_first(scores, first=look_alikes)
        clear = not confusable and score >= PROBABLE_SCORE and score - runner_up >= PROBABLE_MARGIN
        return FuzzyReading(
            query=query,
            best=best,
            score=score,
            clear=clear,
            look_alikes=look_alikes,
            candidates=candidates[:MAX_SUGGESTIONS],
        )

    def _candidates(self, query: str) -> tuple[tuple[Target, float], ...]:
        if len(query) < MIN_FUZZY_LENGTH or len(query) not in self.bands:
            return ()
        keys, targets = self.bands[len(query)]
        found = process.extract(
            query,
            keys,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=MAX_SUGGESTIONS * 4,
        )
        best_by_target: dict[Target, float] = {}
        for _key, score, position in found:
            target = targets[position]
            best_by_target[target] = max(score, best_by_target.get(target, 0.0))
        return _best_first(best_by_target)


def _best_first(
    scores: Mapping[Target, float], first: tuple[Target, ...] = ()
) -> tuple[tuple[Target, float], ...]:
    """Highest score first; targets in `first` ahead of all others."""
    return tuple(
        sorted(scores.items(), key=lambda pair: (pair[0] not in first, -pair[1], pair[0].name))
    )


def _reachable_lengths(length: int) -> range:
    """Name lengths whose ratio with a query of `length` can reach the suggestion cutoff."""
    cutoff = SUGGESTION_CUTOFF / 100
    shortest = math.floor(length * cutoff / (2 - cutoff))
    longest = math.ceil(length * (2 - cutoff) / cutoff)
    return range(max(shortest, 1), longest + 1)


def build_fuzzy_names(
    names: Mapping[str, Target], look_alike_groups: list[tuple[tuple[str, Target], ...]]
) -> FuzzyNames:
    """Length bands over the curated names, and each look-alike member's partners."""
    by_length: dict[int, list[tuple[str, Target]]] = {}
    for key, target in names.items():
        if len(key) >= MIN_FUZZY_LENGTH:
            by_length.setdefault(len(key), []).append((key, target))
    bands: dict[int, tuple[tuple[str, ...], tuple[Target, ...]]] = {}
    if by_length:
        longest_query = max(_reachable_lengths(max(by_length)))
        for length in range(MIN_FUZZY_LENGTH, longest_query + 1):
            pairs = [pair for n in _reachable_lengths(length) for pair in by_length.get(n, ())]
            if pairs:
                bands[length] = (
                    tuple(key for key, _ in pairs),
                    tuple(target for _, target in pairs),
                )

    partners: dict[Target, list[LookAlike]] = {}
    for group in look_alike_groups:
        for key, member in group:
            for other_key, other in group:
                if other == member or any(
                    existing.other == other for existing in partners.get(member, ())
                ):
                    continue
                partners.setdefault(member, []).append(
                    LookAlike(
                        other=other, other_key=other_key, pair_score=fuzz.ratio(key, other_key)
                    )
                )
    return FuzzyNames(
        bands=MappingProxyType(bands),
        look_alikes=MappingProxyType({member: tuple(found) for member, found in partners.items()}),
    )
