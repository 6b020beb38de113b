"""The knowledge index: immutable, quick to build, tolerant of a knowledge base in progress."""

import dataclasses
import random
import string
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from screening.engine import build_index, resolve_line

PROJECT = Path(__file__).resolve().parents[2]


def test_the_index_cannot_be_changed_after_it_is_built(index):
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.version = "tampered"
    with pytest.raises(TypeError):
        index.curated_names["lasix"] = None
    with pytest.raises(TypeError):
        index.drug_classes["statin"] = None
    with pytest.raises(AttributeError):
        index.interactions.append(None)


def test_records_in_the_index_cannot_be_changed(index):
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.drug_classes["statin"].cramp_linked = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.curated_names["lasix"].ingredients = ("bumetanide",)


def test_a_line_resolution_cannot_be_changed(read):
    resolution = read("Lasix")

    with pytest.raises(pydantic.ValidationError, match="frozen"):
        resolution.status = "unrecognized"


def test_building_does_not_change_the_snapshot(snapshot):
    before = repr(snapshot)

    build_index(snapshot, version="again")

    assert repr(snapshot) == before


def test_an_empty_or_partial_snapshot_builds_and_reads_nothing():
    # The knowledge base may be half-written: missing kinds, unknown references.
    index = build_index(
        {
            "drug_classes": [
                {"slug": "statin", "cramp_linked": True, "evidence": {}, "references": ["nowhere"]}
            ]
        },
        version="partial",
    )

    assert resolve_line(index, "atorvastatin").status == "unrecognized"
    assert index.drug_classes["statin"].references[0].key == "nowhere"


def test_malformed_external_rows_are_skipped():
    index = build_index(
        {
            "external_names": [
                None,
                {"name": 5},
                {"name": "ok", "ingredients": None},
                {"name": "abcdrug", "ingredients": ["x"]},
            ]
        },
        version="external",
    )

    assert list(index.external_names) == ["abcdrug"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_lowercase, k=rng.randint(6, 14)))


def test_a_large_vocabulary_does_not_change_how_lines_are_read(snapshot, read):
    # given ~5,000 curated names and 100,000 external names (the benchmark times this)
    rng = random.Random(7)
    ingredients = [
        {"name": _word(rng), "synonyms": [_word(rng)], "classes": ["statin"], "rxcui": str(n)}
        for n in range(1500)
    ]
    products = [
        {"name": _word(rng).title(), "ingredients": [rng.choice(ingredients)["name"]]}
        for _ in range(2000)
    ]
    pool = [_word(rng) for _ in range(15000)]
    large = {
        **snapshot,
        "ingredients": snapshot["ingredients"] + ingredients,
        "products": snapshot["products"] + products,
        "external_names": [
            {
                "name": f"{_word(rng)} {_word(rng)}",
                "ingredients": rng.sample(pool, rng.choice([1, 1, 2])),
            }
            for _ in range(100_000)
        ],
    }

    # when it is built
    index = build_index(large, version="large")

    # then it holds them all, and the lines a pharmacist types read as they did before
    assert len(index.curated_names) > 5000
    assert len(index.external_names) > 99_000
    for line in ["Lasix 40 mg 1 po qam", "losartan/HCTZ 100/25", "furosimide", "asdfgh"]:
        big, small = resolve_line(index, line), read(line)
        assert (big.status, big.ingredients) == (small.status, small.ingredients)


def test_the_engine_imports_nothing_from_django():
    code = (
        "import sys, screening.engine; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('django', 'rest_framework', 'celery')]; "
        "sys.exit(', '.join(bad) or None)"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True
    )

    assert completed.returncode == 0, completed.stderr
