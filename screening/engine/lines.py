"""Reading one line of a medication or supplement list.

Every line comes back, as one of:
- `matched`: a known name (or a full code) says exactly what it is;
- `probable`: read from a misspelling that is clearly one known name, or from a
  class-level ATC code; it counts in the screen but the pharmacist must confirm it;
- `unrecognized`: no known name, or no single reading that is safe (including a
  misspelling between look-alike names); it is listed as not screened.
The rules are described in screening/engine/README.md.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from screening.engine.codes import CodeReading, read_codes
from screening.engine.entries import SUPPLEMENT, Target
from screening.engine.fuzzy import MAX_SUGGESTIONS, MIN_FUZZY_LENGTH, FuzzyReading
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import Coding
from screening.engine.names import scan_names
from screening.engine.tokens import Token, readable_text, tokenise

MATCHED = "matched"
PROBABLE = "probable"
UNRECOGNIZED = "unrecognized"
MEDICATIONS = "medications"
SUPPLEMENTS = "supplements"

NO_NAME_FOUND = "no medicine name found"
# Words in a matched line this short are not worth a remark (e.g. "od", "xyz").
_REMARKABLE_LENGTH = 4
# At most this many unexplained words of a line are tried as misspellings (and up to
# three adjacent words together, for names written with a space: "hydro chlorthiazide").
_MAX_FUZZY_WORDS = 12
_MAX_FUZZY_SPAN = 3
_MAX_LISTED_WORDS = 5


@dataclass(frozen=True, slots=True)
class Match:
    method: str
    matched_text: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "matched_text": self.matched_text, "score": self.score}


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    ingredients: tuple[str, ...]
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ingredients": list(self.ingredients), "score": self.score}


@dataclass(frozen=True, slots=True)
class LineResolution:
    input: str
    status: str
    ingredients: tuple[str, ...] = ()
    product: str | None = None
    drug_classes: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()  # slugs named on the line, in order
    match: Match | None = None
    suggestions: tuple[Suggestion, ...] = ()
    reason: str | None = None

    @property
    def supplement(self) -> str | None:
        return self.supplements[0] if self.supplements else None

    @property
    def is_screened(self) -> bool:
        return self.status != UNRECOGNIZED

    @property
    def is_confirmed(self) -> bool:
        return self.status == MATCHED

    def as_dict(self, index: int | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {} if index is None else {"index": index}
        result.update(
            {
                "input": self.input,
                "status": self.status,
                "ingredients": list(self.ingredients),
                "product": self.product,
                "drug_classes": list(self.drug_classes),
                "supplement": self.supplement,
                "supplements": list(self.supplements),
                "match": self.match.as_dict() if self.match else None,
                "suggestions": [suggestion.as_dict() for suggestion in self.suggestions],
                "reason": self.reason,
            }
        )
        return result


def resolve_line(
    index: KnowledgeIndex,
    text: str,
    coding: Iterable[Coding] = (),
    list_kind: str = MEDICATIONS,
) -> LineResolution:
    """Read one line of a list (text plus optional codes) into ingredients, classes, supplements.

    Implements the line-reading rules of screening/engine/README.md: known names found
    anywhere in the line (longest first, salts and sig text ignored), combinations split,
    codes preferred over text, misspellings read only when clearly one name and never
    across a look-alike/sound-alike pair (ISMP confused drug names).
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    readable = readable_text(text)
    resolution = _read_codes_and_text(index, read_codes(index, coding), _read_text(index, readable))
    if list_kind == SUPPLEMENTS and resolution.ingredients:
        resolution = replace(
            resolution,
            reason=_join(
                resolution.reason,
                f"this is a medicine ({', '.join(resolution.ingredients)}), not a supplement: "
                "list it with the medicines to screen it",
            ),
        )
    return replace(resolution, input=text)


def _read_text(index: KnowledgeIndex, readable: str) -> LineResolution:
    if not readable.strip():
        return LineResolution(input=readable, status=UNRECOGNIZED, reason="empty line")
    tokens = tokenise(readable)
    scan = scan_names(index, tokens)
    if scan.hits:
        found = _from_targets(
            index,
            readable,
            tokens,
            [(hit.first, hit.last, hit.target) for hit in scan.hits],
            MATCHED,
        )
        remarkable = [p for p in scan.unknown if len(tokens[p].word) >= _REMARKABLE_LENGTH]
        if not remarkable:
            return found
        readings = _read_misspellings(index, tokens, remarkable)
        listed = ", ".join(f"'{tokens[p].word}'" for p in remarkable[:_MAX_LISTED_WORDS])
        more = len(remarkable) - _MAX_LISTED_WORDS
        return replace(
            found,
            suggestions=_suggestions(readings),
            reason=f"also contains words that are not known names: {listed}"
            + (f" and {more} more" if more > 0 else ""),
        )
    if not scan.unknown:
        return LineResolution(input=readable, status=UNRECOGNIZED, reason=NO_NAME_FOUND)
    return _from_misspellings(
        index, readable, tokens, _read_misspellings(index, tokens, scan.unknown)
    )


def _from_targets(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    parts: Sequence[tuple[int, int, Target]],
    status: str,
    method: str | None = None,
    score: float = 1.0,
) -> LineResolution:
    targets = [target for _, _, target in parts]
    ingredients = tuple(sorted({name for target in targets for name in target.ingredients}))
    if method is None:
        readings = {(target.ingredients, target.supplement) for target in targets}
        if all(target.kind == SUPPLEMENT for target in targets):
            method = "supplement"
        elif len(readings) == 1:
            method = targets[0].method
        else:
            method = "combination"
    return LineResolution(
        input=readable,
        status=status,
        ingredients=ingredients,
        product=next((target.product for target in targets if target.product), None),
        drug_classes=_classes(index, ingredients),
        supplements=_component_supplements(
            index, [target.supplement for target in targets if target.supplement]
        ),
        match=Match(
            method=method,
            matched_text=" + ".join(
                readable[tokens[first].start : tokens[last].end] for first, last, _ in parts
            ),
            score=score,
        ),
    )


def _component_supplements(index: KnowledgeIndex, slugs: Iterable[str]) -> tuple[str, ...]:
    """A combination product (calcium with vitamin D) is reported as what it contains, so
    `supplement` is always one of the single-supplement slugs the cautions are written for."""
    components: list[str] = []
    for slug in slugs:
        supplement = index.supplements.get(slug)
        components.extend(supplement.also if supplement and supplement.also else (slug,))
    return tuple(dict.fromkeys(components))


def _classes(index: KnowledgeIndex, ingredients: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({slug for name in ingredients for slug in index.classes_of(name)}))


def _read_misspellings(
    index: KnowledgeIndex, tokens: Sequence[Token], positions: Sequence[int]
) -> list[tuple[tuple[int, ...], FuzzyReading]]:
    """The best reading of each stretch of unexplained words, best-scoring stretches first."""
    positions = positions[:_MAX_FUZZY_WORDS]
    runs: list[list[int]] = []
    for position in positions:
        if runs and runs[-1][-1] == position - 1:
            runs[-1].append(position)
        else:
            runs.append([position])
    tried: list[tuple[tuple[int, ...], FuzzyReading]] = []
    for run in runs:
        for size in range(1, _MAX_FUZZY_SPAN + 1):
            for start in range(len(run) - size + 1):
                span = tuple(run[start : start + size])
                query = "".join(tokens[p].word for p in span)
                if len(query) < MIN_FUZZY_LENGTH:
                    continue
                reading = index.fuzzy.read(query)
                if reading.best is not None:
                    tried.append((span, reading))
    tried.sort(key=lambda item: (-item[1].score, -len(item[0]), item[0]))
    accepted: list[tuple[tuple[int, ...], FuzzyReading]] = []
    used: set[int] = set()
    for span, reading in tried:
        if used.isdisjoint(span):
            accepted.append((span, reading))
            used.update(span)
    return sorted(accepted)


def _from_misspellings(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    readings: list[tuple[tuple[int, ...], FuzzyReading]],
) -> LineResolution:
    clear = [(span, reading) for span, reading in readings if reading.clear]
    unclear = [(span, reading) for span, reading in readings if not reading.clear]
    remarks = [_unclear_remark(reading) for _, reading in unclear]
    suggestions = _suggestions(readings)
    if not clear:
        return LineResolution(
            input=readable,
            status=UNRECOGNIZED,
            suggestions=suggestions,
            reason="; ".join(remarks) if remarks else NO_NAME_FOUND,
        )
    found = _from_targets(
        index,
        readable,
        tokens,
        [(span[0], span[-1], reading.best) for span, reading in clear],
        PROBABLE,
        method="fuzzy",
        score=_score(min(reading.score for _, reading in clear)),
    )
    read_as = "; ".join(
        f"read '{reading.query}' as {reading.best.name}, the closest known name (score {_score(reading.score)})"
        for _, reading in clear
    )
    return replace(
        found,
        suggestions=suggestions,
        reason=_join(
            read_as + "; confirm it with the patient or the pack", "; ".join(remarks) or None
        ),
    )


def _unclear_remark(reading: FuzzyReading) -> str:
    if reading.look_alikes:
        *others, last = [target.name for target in reading.look_alikes]
        names = f"{', '.join(others)} and {last}"
        return (
            f"'{reading.query}' is close to look-alike/sound-alike names ({names}); "
            "not resolved: confirm which one is meant"
        )
    return f"'{reading.query}' is not clearly any one known name; check the suggestions"


def _suggestions(readings: list[tuple[tuple[int, ...], FuzzyReading]]) -> tuple[Suggestion, ...]:
    best: dict[Target, float] = {}
    for _, reading in readings:
        for target, score in reading.candidates:
            best[target] = max(score, best.get(target, 0.0))
    # Look-alike members are never cut from the suggestions: the pharmacist must see both.
    look_alikes = {target for _, reading in readings for target in reading.look_alikes}
    ranked = sorted(
        best.items(), key=lambda pair: (pair[0] not in look_alikes, -pair[1], pair[0].name)
    )
    ranked = ranked[:MAX_SUGGESTIONS]
    return tuple(
        Suggestion(target.name, target.ingredients, _score(score)) for target, score in ranked
    )


def _score(score: float) -> float:
    return round(score / 100, 2)


def _join(first: str | None, second: str | None) -> str | None:
    return "; ".join(part for part in (first, second) if part) or None


def _describe(resolution: LineResolution) -> str:
    return ", ".join(resolution.ingredients or resolution.supplements) or "nothing known"


def _read_codes_and_text(
    index: KnowledgeIndex, codes: CodeReading, text: LineResolution
) -> LineResolution:
    """A code names the medicine when it can; the text is the fallback (see README)."""
    if codes.target is not None:
        target = codes.target
        ingredients = tuple(sorted(target.ingredients))
        same_medicine = set(text.ingredients) == set(ingredients) and not text.supplements
        disagrees = text.status != UNRECOGNIZED and not same_medicine
        return LineResolution(
            input=text.input,
            status=MATCHED,
            ingredients=ingredients,
            product=target.product or (text.product if same_medicine else None),
            drug_classes=_classes(index, ingredients),
            match=Match(method=codes.method, matched_text=codes.code, score=1.0),
            reason=(
                f"the text reads as {_describe(text)} but {codes.label} is {target.name}; the code was used"
                if disagrees
                else None
            ),
        )
    if codes.class_slugs:
        class_names = ", ".join(
            index.drug_classes[slug].name if slug in index.drug_classes else slug
            for slug in codes.class_slugs
        )
        if text.status == MATCHED and set(text.drug_classes) & set(codes.class_slugs):
            return text  # the text names a medicine of the coded class: the text is more precise
        return LineResolution(
            input=text.input,
            status=PROBABLE,
            drug_classes=codes.class_slugs,
            match=Match(method=codes.method, matched_text=codes.code, score=1.0),
            suggestions=text.suggestions,
            reason=_join(
                f"{codes.label} names a drug class ({class_names}), not one medicine; confirm which medicine it is",
                f"the text reads as {_describe(text)}, which is not in that class"
                if text.status != UNRECOGNIZED
                else None,
            ),
        )
    ignored = [f"{label} is not in the knowledge base" for label in codes.unknown_codes] + [
        f"the code's system '{system}' is not a known coding system"
        for system in codes.unknown_systems
    ]
    if not ignored:
        return text
    if text.status == UNRECOGNIZED:
        return replace(text, reason=_join("; ".join(ignored), text.reason))
    return replace(
        text, reason=_join(text.reason, "; ".join(ignored) + "; read from the text instead")
    )
