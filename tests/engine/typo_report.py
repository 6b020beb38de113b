"""How the misspelling set reads: share read as the right drug, share unrecognized, and
the number read as another drug, by kind of typo (the table in docs/misspellings.md).

    python -m tests.engine.typo_report            # the curated knowledge base files
"""

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.engine.typo_set import KINDS, Typo, typo_set

KNOWLEDGE_BASE = Path(__file__).resolve().parents[2] / "fixtures" / "knowledge_base"
RIGHT, UNRECOGNIZED, WRONG = "right", "unrecognized", "wrong"


@dataclass
class Outcomes:
    counts: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    wrong: list[tuple[Typo, tuple[str, ...]]] = field(default_factory=list)
    excluded: int = 0

    def add(self, typo: Typo, outcome: str, read_as: tuple[str, ...] = ()) -> None:
        self.counts[typo.kind][outcome] += 1
        if outcome == WRONG:
            self.wrong.append((typo, read_as))

    def total(self) -> Counter:
        return sum(self.counts.values(), Counter())

    def share(self, outcome: str, counter: Counter | None = None) -> float:
        counter = counter or self.total()
        return counter[outcome] / max(1, sum(counter.values()))


def read_typos(
    typos: Iterable[Typo],
    read: Callable[[str], tuple[str, tuple[str, ...]]],
    is_known_name: Callable[[str], bool],
) -> Outcomes:
    """`read(text)` -> (status, ingredients); `is_known_name(text)` -> an exact known name."""
    outcomes = Outcomes()
    for typo in typos:
        if is_known_name(typo.written):
            outcomes.excluded += 1
            continue
        status, ingredients = read(typo.written)
        if status == "unrecognized":
            outcomes.add(typo, UNRECOGNIZED)
        elif tuple(ingredients) == (typo.intended,):
            outcomes.add(typo, RIGHT)
        else:
            outcomes.add(typo, WRONG, tuple(ingredients))
    return outcomes


def curated_typo_outcomes() -> Outcomes:
    from screening.engine import build_index, resolve_line
    from screening.engine.tokens import compact_key
    from screening.knowledge.files import read_knowledge_base

    snapshot = read_knowledge_base(KNOWLEDGE_BASE).engine_snapshot()
    index = build_index(snapshot, version="typos")
    cramp_linked = sorted(
        entry["name"]
        for entry in snapshot["ingredients"]
        if any(index.drug_classes[c].cramp_linked for c in entry.get("classes") or ())
    )

    def read(text: str) -> tuple[str, tuple[str, ...]]:
        line = resolve_line(index, text)
        return line.status.value, line.ingredients

    def is_known_name(text: str) -> bool:
        key = compact_key(text)
        return key in index.curated_names or key in index.external_names

    return read_typos(typo_set(cramp_linked), read, is_known_name)


def table(outcomes: Outcomes) -> str:
    rows = [
        "| kind of typo | typos | read as the right drug | unrecognized | read as another drug |"
    ]
    rows.append("|---|---:|---:|---:|---:|")
    for kind in (*KINDS, None):
        counter = outcomes.counts[kind] if kind else outcomes.total()
        rows.append(
            f"| {kind or '**all**'} | {sum(counter.values())} "
            f"| {outcomes.share(RIGHT, counter):.1%} | {outcomes.share(UNRECOGNIZED, counter):.1%} "
            f"| {counter[WRONG]} |"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    found = curated_typo_outcomes()
    print(table(found))
    print(f"\n{found.excluded} typos were another known name exactly and are not counted.")
    for typo, read_as in found.wrong:
        print(f"WRONG: {typo.written!r} ({typo.kind} of {typo.intended}) read as {read_as}")
    sys.exit(0)
