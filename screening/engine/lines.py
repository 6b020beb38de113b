"""Reading one line of a medication or supplement list.

Every line comes back, as one of:
- `matched`: a known name (or a full code) says exactly what it is;
- `probable`: read from a misspelling that is clearly one known name, or from a
  class-level ATC code; it counts in the screen but the pharmacist must confirm it;
- `unrecognized`: no known name, or no single reading that is safe (including a
  misspelling between look-alike names); it is listed as not screened.
The rules are described in screening/engine/README.md.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from screening.engine.codes import CodeReading, echo, read_codes
from screening.engine.entries import EXTERNAL, SUPPLEMENT, Target
from screening.engine.external import canonical_ingredient
from screening.engine.fuzzy import MAX_SUGGESTIONS, MIN_FUZZY_LENGTH, FuzzyReading, max_edits
from screening.engine.index import KnowledgeIndex
from screening.engine.inputs import NO_TERMINOLOGY, Coding, LineInput, ProductCode, Terminology
from screening.engine.names import NameHit, scan_names
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE, Line, LineSource, Match, Suggestion
from screening.engine.result import Coding as CodingResult
from screening.engine.terms import LineStatus, ListKind, MatchMethod, Route
from screening.engine.tokens import Token, compact_key, readable_text, tokenise
from screening.engine.vocabulary import ROUTE_WORDS

MATCHED = LineStatus.MATCHED
PROBABLE = LineStatus.PROBABLE
UNRECOGNIZED = LineStatus.UNRECOGNIZED
MEDICATIONS = ListKind.MEDICATIONS
SUPPLEMENTS = ListKind.SUPPLEMENTS

NO_NAME_FOUND = "no medicine name found"
# Words in a matched line this short are not worth a remark (e.g. "od", "xyz").
_REMARKABLE_LENGTH = 4
# At most this many unexplained words of a line are tried as misspellings (and up to
# three adjacent words together, for names written with a space: "hydro chlorthiazide").
_MAX_FUZZY_WORDS = 12
_MAX_FUZZY_SPAN = 3
_MAX_LISTED_WORDS = 5

# Most local first: a line that says "eye" is an eye drop whatever else it says.
_ROUTE_PRIORITY = tuple(Route(name) for name in ROUTE_WORDS)
_ROUTE_OF_WORD = {
    word: Route(route) for route, words in reversed(ROUTE_WORDS.items()) for word in words.split()
}
# A strength as labels write it: "40 mg", "12.5mg", "100/25", "20-12.5 mg", "0.5%",
# "10 mg/mL", "90 mcg/actuation".
_UNIT = r"(?:mg|mcg|µg|ug|g|gm|ml|mL|mmol|meq|mEq|iu|IU|units?|%)"
_NUMBER = r"\d+(?:[.,]\d+)?"
_STRENGTH = re.compile(
    rf"(?<![\w.]){_NUMBER}\s*{_UNIT}?(?:\s*[/-]\s*{_NUMBER}\s*{_UNIT}?)*"
    rf"(?:\s*/\s*(?:ml|mL|actuation|dose|spray|puff|hr|24\s*hr?))?(?![\w])",
    re.IGNORECASE,
)
# How far after a name a strength may start and still be that name's ("metoprolol
# succinate 50 mg" carries a salt in between).
_STRENGTH_REACH = 24


@dataclass(frozen=True, slots=True)
class _Reading:
    """A line while it is being read; it becomes a `Line` once, at the end."""

    status: LineStatus
    ingredients: tuple[str, ...] = ()
    product: str | None = None
    drug_classes: tuple[str, ...] = ()
    supplements: tuple[str, ...] = ()  # slugs named on the line, in order
    match: Match | None = None
    suggestions: tuple[Suggestion, ...] = ()
    reason: str | None = None
    span: tuple[int, int] | None = None  # characters of `read_from` that name it
    read_from: str = ""  # the readable text the reading was made from (line, display, name)
    route: Route | None = None
    route_stated: bool = False


# Lines kept per index (read_line); cleared whole when full, as traffic repeats quickly.
LINE_MEMO_SIZE = 8192


def resolve_line(
    index: KnowledgeIndex,
    text: str,
    coding: Iterable[Coding] = (),
    list_kind: str = MEDICATIONS,
    terminology: Terminology = NO_TERMINOLOGY,
) -> Line:
    """Read one line of a list (text plus optional codes) into ingredients, classes, supplements.

    Implements the line-reading rules of screening/engine/README.md: known names found
    anywhere in the line (longest first, salts and sig text ignored), combinations split,
    codes preferred over text, misspellings read only when clearly one name and never
    across a look-alike/sound-alike pair (ISMP confused drug names).
    """
    return read_line(
        index, LineInput(text=text, coding=tuple(coding)), list_kind, terminology=terminology
    )


def read_line(
    index: KnowledgeIndex,
    line: LineInput,
    list_kind: str = MEDICATIONS,
    position: int | None = None,
    terminology: Terminology = NO_TERMINOLOGY,
) -> Line:
    """`resolve_line` for one `LineInput`, numbered `position` in its list; product codes
    and NDCs are read through `terminology` (an RxNorm release's entries for this request)."""
    text = line.text
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if line.coding or line.source is not None or line.note:
        return _read_line(index, line, text, list_kind, position, terminology)
    # Text alone: the reading depends only on the index and the text, so it is kept.
    key = (list_kind, text)
    read = index.line_memo.get(key)
    if read is None:
        read = _read_line(index, line, text, list_kind, None, terminology)
        read.stored()  # its JSON is kept too, and every copy below carries it
        if len(index.line_memo) >= LINE_MEMO_SIZE:
            index.line_memo.clear()
        index.line_memo[key] = read
    return read if position is None else read.model_copy(update={"index": position})


def _read_line(
    index: KnowledgeIndex,
    line: LineInput,
    text: str,
    list_kind: str,
    position: int | None,
    terminology: Terminology,
) -> Line:
    from_text = _read_written(index, text)
    reading = _read_codes_and_text(
        index, read_codes(index, line.coding, terminology), from_text, line.coding
    )
    if list_kind == SUPPLEMENTS and reading.ingredients:
        reading = replace(
            reading,
            reason=_join(
                reading.reason,
                f"this is a medicine ({', '.join(reading.ingredients)}), not a supplement: "
                "list it with the medicines to screen it",
            ),
        )
    if line.note:
        reading = replace(reading, reason=_join(reading.reason, echo(line.note)))
    return _as_line(index, reading, text, line, position)


def _read_written(index: KnowledgeIndex, text: str) -> _Reading:
    readable = readable_text(text)
    return replace(_read_text(index, readable), read_from=readable)


def _as_line(
    index: KnowledgeIndex,
    reading: _Reading,
    text: str,
    line: LineInput,
    position: int | None,
) -> Line:
    readable = reading.read_from
    strength = _strength(readable, reading.span)
    return Line(
        index=position,
        input=text,
        status=reading.status,
        ingredients=reading.ingredients,
        product=reading.product,
        drug_classes=reading.drug_classes,
        supplement=reading.supplements[0] if reading.supplements else None,
        supplements=reading.supplements,
        match=reading.match,
        suggestions=reading.suggestions,
        reason=reading.reason,
        known_as=_known_as(readable, reading, strength),
        strength=strength[0] if strength else None,
        route=reading.route,
        route_stated=reading.route_stated,
        ingredient_names=_ingredient_names(index, reading.ingredients),
        coding=tuple(
            CodingResult(system=echo(c.system), code=echo(c.code), display=echo(c.display))
            for c in line.coding
        ),
        source=LineSource(**line.source) if line.source else None,
    )


def _ingredient_names(index: KnowledgeIndex, ingredients: Sequence[str]) -> dict:
    names: dict[str, tuple[str, ...]] = {}
    for language in index.languages:
        if language == KNOWLEDGE_BASE_LANGUAGE:
            continue
        translated = tuple(
            index.ingredients[name].names.get(language, name) if name in index.ingredients else name
            for name in ingredients
        )
        if translated != tuple(ingredients):
            names[language] = translated
    return names


def _strength(readable: str, span: tuple[int, int] | None) -> tuple[str, int] | None:
    """The strength written just after the name, and where it ends."""
    if span is None:
        return None
    found = _STRENGTH.search(readable, span[1])
    if found is None or found.start() - span[1] > _STRENGTH_REACH:
        return None
    value = found.group().strip()
    # A bare number is a count ("Lasix 1 po qam"), not a strength, unless it ends the line.
    if value.isdigit() and readable[found.end() :].strip():
        return None
    return value, found.end()


def _known_as(readable: str, reading: _Reading, strength: tuple[str, int] | None) -> str:
    """The name and strength as the patient knows them: 'Lasix 40 mg', without directions."""
    if reading.span is None:
        return ""
    end = strength[1] if strength else reading.span[1]
    return " ".join(readable[reading.span[0] : end].split())


def _line_route(tokens: Sequence[Token], named: set[int]) -> Route | None:
    routes = {
        _ROUTE_OF_WORD[token.word]
        for position, token in enumerate(tokens)
        if position not in named and token.word in _ROUTE_OF_WORD
    }
    return next((route for route in _ROUTE_PRIORITY if route in routes), None)


def _route_of(
    index: KnowledgeIndex, tokens: Sequence[Token], named: set[int], targets: Sequence[Target]
) -> tuple[Route | None, bool]:
    """The line's route and whether it was stated: on the line, by the product, or by an
    ingredient that has only one route (salmeterol is always inhaled)."""
    written = _line_route(tokens, named)
    if written is not None:
        return written, True
    for target in targets:
        if target.route is not None:
            return target.route, True
    routes = {
        index.ingredients[name].route
        for target in targets
        for name in target.ingredients
        if name in index.ingredients
    }
    if len(routes) == 1 and None not in routes:
        return routes.pop(), True
    return None, False


def _read_text(index: KnowledgeIndex, readable: str) -> _Reading:
    if not readable.strip():
        return _Reading(status=UNRECOGNIZED, reason="empty line")
    tokens = tokenise(readable)
    scan = scan_names(index, tokens)
    doubtful = _external_near_curated(index, tokens, scan.hits)
    if doubtful:
        return _unresolved_external(index, readable, tokens, scan.hits, doubtful)
    ambiguous = [
        index.ambiguous_names[key]
        for position in scan.unknown
        if (key := compact_key(tokens[position].word)) in index.ambiguous_names
    ]
    if ambiguous:
        return _with_ambiguous_brands(index, readable, tokens, scan.hits, ambiguous)
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
        parts = [
            (span, reading)
            for span, reading in readings
            if (reading.clear or reading.look_alikes)
            and not _slip_in_a_found_name(index, tokens, scan.hits, span)
        ]
        if parts:
            return _with_misspelt_parts(index, readable, tokens, scan.hits, readings, parts)
        # Words only loosely like a name ("diabetes", "doctor"): the line reads as its
        # names, and says what else it holds.
        listed = ", ".join(f"'{tokens[p].word}'" for p in remarkable[:_MAX_LISTED_WORDS])
        more = len(remarkable) - _MAX_LISTED_WORDS
        return replace(
            found,
            suggestions=_suggestions(readings),
            reason=f"also contains words that are not known names: {listed}"
            + (f" and {more} more" if more > 0 else ""),
        )
    if not scan.unknown:
        return _Reading(status=UNRECOGNIZED, reason=NO_NAME_FOUND)
    return _from_misspellings(
        index, readable, tokens, _read_misspellings(index, tokens, scan.unknown)
    )


def _from_targets(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    parts: Sequence[tuple[int, int, Target]],
    status: LineStatus,
    method: MatchMethod | None = None,
    score: float = 1.0,
) -> _Reading:
    targets = [target for _, _, target in parts]
    ingredients = tuple(sorted({name for target in targets for name in target.ingredients}))
    if method is None:
        readings = {(target.ingredients, target.supplement) for target in targets}
        if all(target.kind == SUPPLEMENT for target in targets):
            method = MatchMethod.SUPPLEMENT
        elif len(readings) == 1:
            method = targets[0].method
        else:
            method = MatchMethod.COMBINATION
    named = {position for first, last, _ in parts for position in range(first, last + 1)}
    route, route_stated = _route_of(index, tokens, named, targets)
    first_token, last_token = tokens[parts[0][0]], tokens[parts[-1][1]]
    return _Reading(
        status=status,
        ingredients=ingredients,
        product=next((target.product for target in targets if target.product), None),
        drug_classes=_classes(index, ingredients),
        supplements=_component_supplements(
            index,
            [
                slug
                for target in targets
                for slug in ((target.supplement,) if target.supplement else target.supplements)
            ],
        ),
        match=Match(
            method=method,
            matched_text=" + ".join(
                readable[tokens[first].start : tokens[last].end] for first, last, _ in parts
            ),
            score=score,
        ),
        span=(first_token.start, last_token.end),
        route=route,
        route_stated=route_stated,
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
    """The best reading of each stretch of unexplained words, best stretches first."""
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
    tried.sort(key=lambda item: (item[1].rank, -len(item[0]), item[0]))
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
) -> _Reading:
    clear = [(span, reading) for span, reading in readings if reading.clear]
    unclear = [(span, reading) for span, reading in readings if not reading.clear]
    remarks = [_unclear_remark(reading) for _, reading in unclear]
    suggestions = _suggestions(readings)
    if not clear:
        return _Reading(
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
        method=MatchMethod.FUZZY,
        score=min(reading.score for _, reading in clear),
    )
    read_as = "; ".join(
        f"read '{reading.query}' as {reading.best.name}, the closest known name "
        f"({reading.describe()})"
        for _, reading in clear
    )
    return replace(
        found,
        suggestions=suggestions,
        reason=_join(
            read_as + "; confirm it with the patient or the pack", "; ".join(remarks) or None
        ),
    )


def _with_misspelt_parts(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    hits: Sequence[NameHit],
    readings: list[tuple[tuple[int, ...], FuzzyReading]],
    parts: list[tuple[tuple[int, ...], FuzzyReading]],
) -> _Reading:
    """Known names beside a word that is clearly a misspelt name, or close to a
    look-alike/sound-alike pair: one part of a combination misspelt ("triamterine/HCTZ").
    The line is not read as its known part alone, which would leave out the misspelt
    medicine and every caution it raises: a clear misspelling counts with the known names,
    and either way the line is probable, for the pharmacist to confirm, as a misspelt name
    alone is."""
    clear = [(span, reading) for span, reading in parts if reading.clear]
    found = _from_targets(
        index,
        readable,
        tokens,
        sorted(
            [(hit.first, hit.last, hit.target) for hit in hits]
            + [(span[0], span[-1], reading.best) for span, reading in clear],
            key=lambda part: part[0],
        ),
        PROBABLE,
        method=MatchMethod.FUZZY if clear else None,
        score=min((reading.score for _, reading in clear), default=1.0),
    )
    read_as = [
        f"read '{reading.query}' as {reading.best.name}, the closest known name "
        f"({reading.describe()})"
        for _, reading in clear
    ]
    remarks = [_unclear_remark(reading) for _, reading in parts if not reading.clear]
    return replace(
        found,
        suggestions=_suggestions(readings),
        reason="; ".join([*read_as, *remarks]) + "; confirm it with the patient or the pack",
    )


def _external_near_curated(
    index: KnowledgeIndex, tokens: Sequence[Token], hits: Sequence[NameHit]
) -> list[tuple[NameHit, FuzzyReading]]:
    """Names from the open vocabulary within a slip of a curated name of another medicine:
    "danizol" is a brand of metronidazole there, and one letter from danazol. The open
    list holds every brand of every market, so which one was meant cannot be told."""
    doubtful: list[tuple[NameHit, FuzzyReading]] = []
    for hit in hits:
        if hit.target.kind != EXTERNAL:
            continue
        reading = index.fuzzy.read("".join(tokens[p].word for p in range(hit.first, hit.last + 1)))
        if (
            reading.best is not None
            and reading.edits <= max_edits(len(reading.query))
            and set(reading.best.ingredients) != set(hit.target.ingredients)
        ):
            doubtful.append((hit, reading))
    return doubtful


def _unresolved_external(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    hits: Sequence[NameHit],
    doubtful: list[tuple[NameHit, FuzzyReading]],
) -> _Reading:
    """Neither reading of a doubtful open-vocabulary name is guessed: both are offered, and
    the line counts only for the names it holds besides (probable, to be confirmed)."""
    reasons = [
        f"'{reading.query}' is {hit.target.name} ({', '.join(hit.target.ingredients)}) in an "
        f"open list of drug names, and close to {reading.best.name}; not resolved: confirm "
        "which one is meant"
        for hit, reading in doubtful
        if reading.best is not None
    ]
    offered = [
        suggestion
        for hit, reading in doubtful
        for suggestion in (
            Suggestion(name=hit.target.name, ingredients=hit.target.ingredients, score=1.0),
            *_suggestions([((hit.first,), reading)]),
        )
    ]
    return _held_back(
        index,
        readable,
        tokens,
        [hit for hit in hits if all(hit is not other for other, _ in doubtful)],
        "; ".join(reasons),
        tuple({s.name: s for s in offered}.values())[:MAX_SUGGESTIONS],
    )


def _with_ambiguous_brands(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    hits: Sequence[NameHit],
    ambiguous: list[tuple[str, str]],
) -> _Reading:
    """A brand that means different medicines in different markets is never read as one
    of them, nor offered as a near name: the reason says what it can mean."""
    reason = "; ".join(
        f"'{name}' means different medicines in different markets ({why.rstrip('.')}): "
        "check which one by hand"
        for name, why in dict.fromkeys(ambiguous)
    )
    return _held_back(index, readable, tokens, hits, reason)


def _held_back(
    index: KnowledgeIndex,
    readable: str,
    tokens: Sequence[Token],
    kept: Sequence[NameHit],
    reason: str,
    suggestions: tuple[Suggestion, ...] = (),
) -> _Reading:
    """A line with a name that must not be read: it counts only for its other names, for
    the pharmacist to confirm, or is unrecognized when it has none."""
    if not kept:
        return _Reading(status=UNRECOGNIZED, suggestions=suggestions, reason=reason)
    found = _from_targets(
        index, readable, tokens, [(hit.first, hit.last, hit.target) for hit in kept], PROBABLE
    )
    return replace(found, suggestions=suggestions, reason=reason)


def _slip_in_a_found_name(
    index: KnowledgeIndex, tokens: Sequence[Token], hits: Sequence[NameHit], span: tuple[int, ...]
) -> bool:
    """The misspelt words are part of a longer name found without them ("insuliin glargine"
    found as glargine): read together with it, they are that name, not another medicine."""
    for hit in hits:
        if hit.last + 1 == span[0] or span[-1] + 1 == hit.first:
            words = sorted({*span, *range(hit.first, hit.last + 1)})
            if index.fuzzy.read("".join(tokens[p].word for p in words)).best == hit.target:
                return True
    return False


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
    best: dict[Target, tuple[int, float]] = {}
    for _, reading in readings:
        for candidate in reading.candidates:
            ranked = (candidate.rank, candidate.score)
            if candidate.target not in best or ranked < best[candidate.target]:
                best[candidate.target] = ranked
    # Look-alike members are never cut from the suggestions: the pharmacist must see both.
    look_alikes = {target for _, reading in readings for target in reading.look_alikes}
    ranked = sorted(
        best.items(), key=lambda pair: (pair[0] not in look_alikes, pair[1][0], pair[0].name)
    )[:MAX_SUGGESTIONS]
    return tuple(
        Suggestion(name=target.name, ingredients=target.ingredients, score=score)
        for target, (_, score) in ranked
    )


def _join(first: str | None, second: str | None) -> str | None:
    return "; ".join(part for part in (first, second) if part) or None


def _describe(reading: _Reading) -> str:
    return ", ".join(reading.ingredients or reading.supplements) or "nothing known"


def _read_codes_and_text(
    index: KnowledgeIndex, codes: CodeReading, text: _Reading, coding: Sequence[Coding]
) -> _Reading:
    """A code names the medicine when it can; a coding's display, then the line's text, is
    read when it cannot; a code contradicted by another of the line's codes, its own
    display or the text is flagged for the pharmacist rather than silently preferred
    (screening/engine/README.md)."""
    displays = [_read_written(index, item.display) for item in coding if _has_display(item)]
    if codes.names_a_medicine:
        coded = _from_code(index, codes)
        for other in codes.also:
            if _contradicts(coded, other_reading := _from_code(index, other)):
                return _contradiction(coded, codes.label, other_reading, other.label)
        return _check_against_words(coded, codes.label, text, displays)
    if codes.class_slugs:
        written = text if text.status != UNRECOGNIZED else _first_read(displays) or text
        return _from_class_code(index, codes, written)
    remarks = "; ".join(codes.remarks) or None
    written, where = text, "text"
    if text.status == UNRECOGNIZED and _first_read(displays) is not None:
        written, where = _first_read(displays), "display"
    if written is not text and written.status == MATCHED and written.match is not None:
        written = replace(
            written, match=written.match.model_copy(update={"method": MatchMethod.CODING_DISPLAY})
        )
    if written.status == UNRECOGNIZED:
        return _unread(written, remarks, displays, has_codes=bool(coding))
    conflicting = [d for d in displays if d is not written and _contradicts(written, d)]
    if conflicting:
        return _contradiction(written, f"the {where}", conflicting[0], "the coding's display")
    if remarks is None and where == "text":
        return written
    used = "read from the coding's display" if where == "display" else "read from the text"
    return replace(written, reason=_join(written.reason, _join(remarks, used)))


def _unread(
    text: _Reading, remarks: str | None, displays: Sequence[_Reading], *, has_codes: bool
) -> _Reading:
    """Nothing on the line could be read: every reason, and any suggestion, is kept."""
    reasons = [remarks]
    reasons += [f"the coding's display '{echo(d.read_from)}' is not a known name" for d in displays]
    if text.read_from.strip() or not has_codes:
        reasons.append(text.reason)
    suggestions = text.suggestions or next((d.suggestions for d in displays if d.suggestions), ())
    return replace(
        text,
        reason="; ".join(r for r in reasons if r) or NO_NAME_FOUND,
        suggestions=suggestions,
    )


def _has_display(coding: Coding) -> bool:
    display = getattr(coding, "display", "")
    return isinstance(display, str) and bool(display.strip())


def _first_read(readings: Sequence[_Reading]) -> _Reading | None:
    return next((r for r in readings if r.status != UNRECOGNIZED), None)


def _names(reading: _Reading) -> set[str]:
    return set(reading.ingredients) | set(reading.supplements)


def _contradicts(reading: _Reading, other: _Reading) -> bool:
    """The other reading names a medicine the first does not have. Naming fewer (the
    display of a combination that gives one of its parts) is no contradiction."""
    return other.status == MATCHED and bool(_names(other) - _names(reading))


def _check_against_words(
    coded: _Reading, label: str, text: _Reading, displays: Sequence[_Reading]
) -> _Reading:
    for other, where in [(text, "the text"), *((d, "the coding's display") for d in displays)]:
        if _contradicts(coded, other):
            return _contradiction(coded, label, other, where)
    # The patient's own words, else the display, name the medicine on the handout.
    agreeing = next(
        (r for r in (text, *displays) if r.status == MATCHED and _names(r) and r.span), None
    )
    if agreeing is None:
        return coded
    return replace(
        coded,
        product=coded.product or agreeing.product,
        span=agreeing.span,
        read_from=agreeing.read_from,
        route=agreeing.route if agreeing.route_stated else coded.route,
        route_stated=agreeing.route_stated or coded.route_stated,
    )


def _contradiction(reading: _Reading, first: str, other: _Reading, second: str) -> _Reading:
    """Two sources on one line name different medicines: counted as the first reads, to be
    confirmed, with both offered."""
    offered = (
        Suggestion(name=_choice(reading), ingredients=reading.ingredients, score=1.0),
        Suggestion(name=_choice(other), ingredients=other.ingredients, score=1.0),
    )
    return replace(
        reading,
        status=PROBABLE,
        suggestions=offered,
        reason=_join(
            reading.reason,
            f"{first} reads as {_describe(reading)} but {second} reads as {_describe(other)}; "
            "confirm which is right",
        ),
    )


def _choice(reading: _Reading) -> str:
    return reading.product or " + ".join(reading.ingredients or reading.supplements)


def _from_code(index: KnowledgeIndex, codes: CodeReading) -> _Reading:
    match = Match(method=codes.method, matched_text=codes.code, score=1.0)
    if codes.product is not None:
        return _from_product(index, codes.product, match)
    target = codes.target
    assert target is not None
    ingredients = tuple(sorted(target.ingredients))
    return _Reading(
        status=MATCHED,
        ingredients=ingredients,
        product=target.product,
        drug_classes=_classes(index, ingredients),
        supplements=_component_supplements(index, target.supplements),
        match=match,
        route=target.route,
        route_stated=target.route is not None,
    )


_BRAND = re.compile(r"\[([^\]]+)\]\s*$")


def _from_product(index: KnowledgeIndex, product: ProductCode, match: Match) -> _Reading:
    """A product an RxNorm release describes: its ingredients by RxNorm's relationships,
    each named as the knowledge base names it; its route and strength from RxNorm's name."""
    ingredients: list[str] = []
    supplements: list[str] = []
    for rxcui, name in product.ingredients:
        target = index.rxnorm.get(rxcui) or _named(index, name)
        if target is not None and target.kind == SUPPLEMENT and target.supplement:
            supplements.append(target.supplement)
        elif target is not None and target.ingredients:
            ingredients.extend(target.ingredients)
        else:
            ingredients.append(canonical_ingredient(name) or name.lower())
    named = _read_written(index, product.name)
    brand = _BRAND.search(product.name)
    unique = tuple(sorted(set(ingredients)))
    return _Reading(
        status=MATCHED,
        ingredients=unique,
        product=brand.group(1).strip() if brand else None,
        drug_classes=_classes(index, unique),
        supplements=_component_supplements(index, supplements),
        match=match,
        span=named.span,
        read_from=named.read_from,
        route=named.route,
        route_stated=named.route_stated,
        reason=None
        if ingredients or supplements
        else f"RxNorm lists no ingredients for {product.name}",
    )


def _named(index: KnowledgeIndex, name: str) -> Target | None:
    for key in (compact_key(name), compact_key(canonical_ingredient(name))):
        target = index.curated_names.get(key) or index.external_target(key)
        if target is not None:
            return target
    return None


def _from_class_code(index: KnowledgeIndex, codes: CodeReading, text: _Reading) -> _Reading:
    class_names = ", ".join(
        index.drug_classes[slug].name if slug in index.drug_classes else slug
        for slug in codes.class_slugs
    )
    if text.status == MATCHED and set(text.drug_classes) & set(codes.class_slugs):
        return text  # the text names a medicine of the coded class: the text is more precise
    return _Reading(
        status=PROBABLE,
        drug_classes=codes.class_slugs,
        match=Match(method=codes.method, matched_text=codes.code, score=1.0),
        suggestions=text.suggestions,
        reason=_join(
            f"{codes.label} names a drug class ({class_names}), not one medicine; "
            "confirm which medicine it is",
            f"the text reads as {_describe(text)}, which is not in that class"
            if text.status != UNRECOGNIZED
            else None,
        ),
        route=text.route,
        route_stated=text.route_stated,
    )
