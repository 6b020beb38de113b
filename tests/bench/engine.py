"""The engine alone: time per line beside a dict-lookup floor and the peer package, the
effect of 100,000 extra aliases, and what building the index costs."""

import gc
import resource
import statistics
import time
import tracemalloc
from pathlib import Path

from screening.engine import LineInput, ScreeningRequest, build_index, resolve_line, screen
from screening.engine.tokens import compact_key
from screening.knowledge.external_vocabulary import external_drug_names
from screening.knowledge.files import read_knowledge_base
from tests.bench.lines import EXACT, MIXED

ROOT = Path(__file__).resolve().parents[2]


def per_call_seconds(function, *, repeat: int, number: int = 1) -> list[float]:
    """Seconds per call of `function`, `repeat` samples each of `number` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def snapshot(extra_aliases: int = 0) -> dict:
    files = read_knowledge_base(ROOT / "fixtures" / "knowledge_base").entries
    external = [{"name": n, "ingredients": i} for n, i in external_drug_names(files)]
    if extra_aliases:
        # Synthetic names no line will ever write, spread over the real ingredients, so the
        # index grows as a bigger terminology would make it grow.
        ingredients = [i["name"] for i in files["ingredients"]]
        external += [
            {"name": f"zq{n:06d}x brand", "ingredients": [ingredients[n % len(ingredients)]]}
            for n in range(extra_aliases)
        ]
    return {**files, "external_names": external}


def reads_right(ingredients: set[str], expected: set[str]) -> bool:
    return ingredients == expected


def engine_section(*, smoke: bool) -> dict:
    repeat = 3 if smoke else 25
    base = snapshot()
    index = build_index(base, version="bench")
    lines = [text for text, _ in MIXED]
    exact = [text for text, _ in EXACT]

    # the floor: normalise a name and look it up in a dict
    table = {compact_key(text): {text} for text, _ in EXACT}

    def floor():
        for text in exact:
            table.get(compact_key(text))

    def reading(texts, *, cold: bool):
        def run():
            if cold:  # as if each line were seen for the first time
                index.line_memo.clear()
            for text in texts:
                resolve_line(index, text)

        return run

    def us_per_line(texts, *, cold: bool, number: int = 1) -> float:
        run = reading(texts, cold=cold)
        run()
        return median(per_call_seconds(run, repeat=repeat, number=number)) / len(texts) * 1e6

    floor_us = median(per_call_seconds(floor, repeat=repeat, number=20)) / len(exact) * 1e6
    exact_us = us_per_line(exact, cold=False, number=20)
    mixed_us = us_per_line(lines, cold=False, number=5)
    exact_cold_us = us_per_line(exact, cold=True)
    mixed_cold_us = us_per_line(lines, cold=True)
    ours_right = sum(
        reads_right(set(resolve_line(index, text).ingredients), expected)
        for text, expected in MIXED
    )

    peer = peer_section(lines[:6] if smoke else lines, repeat=max(1, repeat // 5))
    scale = scale_section(index, lines, smoke=smoke, repeat=repeat)
    result = screen(index, ScreeningRequest(medications=tuple(LineInput(t) for t in lines)))
    return {
        "lines": len(lines),
        "floor_us_per_line": floor_us,
        "exact_us_per_line": exact_us,
        "mixed_us_per_line": mixed_us,
        "exact_over_floor": exact_us / floor_us,
        "exact_cold_us_per_line": exact_cold_us,
        "mixed_cold_us_per_line": mixed_cold_us,
        "accuracy": ours_right / len(MIXED),
        "screen_statuses": sorted({line.status for line in result.medications}),
        "peer": peer,
        "scale": scale,
    }


def peer_section(lines: list[str], *, repeat: int) -> dict:
    """drug-named-entity-recognition's find_drugs on the same lines, exact and fuzzy."""
    from drug_named_entity_recognition import find_drugs

    def names(text: str, fuzzy: bool) -> set[str]:
        try:
            found = find_drugs(text.split(), is_ignore_case=True, is_fuzzy_match=fuzzy)
        except Exception:  # noqa: BLE001 - its fuzzy mode raises on some lines (PITFALLS.md)
            return set()
        words = set()
        for drug, _start, _end in found:
            words.add(drug.get("name", "").lower())
            words.update(s.lower() for s in drug.get("synonyms", []))
        return words

    out = {}
    for mode, fuzzy in (("exact", False), ("fuzzy", True)):
        samples = per_call_seconds(lambda f=fuzzy: [names(t, f) for t in lines], repeat=repeat)
        right = 0
        for text, expected in MIXED[: len(lines)]:
            found = names(text, fuzzy)
            right += bool(expected) and expected <= found or (not expected and not found)
        out[mode] = {
            "us_per_line": median(samples) / len(lines) * 1e6,
            "accuracy": right / len(lines),
        }
    return out


def scale_section(index, lines: list[str], *, smoke: bool, repeat: int) -> dict:
    extra = 2_000 if smoke else 100_000
    big_snapshot = snapshot(extra)
    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    big = build_index(big_snapshot, version="bench-big")
    build_big = time.perf_counter() - started
    _, peak_big = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    small_snapshot = snapshot()
    started = time.perf_counter()
    build_index(small_snapshot, version="bench-small")
    build_small = time.perf_counter() - started

    def run(idx):  # cold: the index's size matters when a line is read, not when kept
        def read_all():
            idx.line_memo.clear()
            return [resolve_line(idx, t) for t in lines]

        return read_all

    small_us = median(per_call_seconds(run(index), repeat=repeat)) / len(lines) * 1e6
    big_us = median(per_call_seconds(run(big), repeat=repeat)) / len(lines) * 1e6
    return {
        "extra_aliases": extra,
        "us_per_line_shipped": small_us,
        "us_per_line_with_extra": big_us,
        "extra_over_shipped": big_us / small_us,
        "build_seconds_shipped": build_small,
        "build_seconds_with_extra": build_big,
        "build_peak_mb_with_extra": peak_big / 2**20,
        "process_max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
