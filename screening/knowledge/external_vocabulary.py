"""The long tail of medicine names, from the open `drug-named-entity-recognition` data.

Why: a pharmacy list holds many medicines with no cramp link; the screen must say
"recognised, no cramp link" for them rather than "unrecognised". The curated files cover
the few hundred most-prescribed drugs; this vocabulary (MIT licence, Fast Data Science;
built from DrugBank open data, MeSH and MedlinePlus) covers the rest, by exact name only.

Cost: importing the package takes ~1.6 s and ~356 MB per process, so it is never
imported: its dictionary file is read once here, at load time, and only the names are
stored in the database. Web workers and Celery workers never touch it.
"""

import bz2
import importlib.util
import pickle  # noqa: S403 - the file ships inside a pinned, installed package
import re
from pathlib import Path

from screening.engine.external import canonical_ingredient
from screening.engine.tokens import compact_key, name_words
from screening.knowledge.files import KnowledgeBaseFileError

PACKAGE = "drug_named_entity_recognition"
DICTIONARY_FILE = "drug_ner_dictionary.pkl.bz2"
SOURCE = "drug-named-entity-recognition"

# Words in that dictionary that are also everyday or prescription-sig words.
_NOT_MEDICINE_NAMES = {
    "air",
    "alcohol",
    "blood",
    "caffeine",
    "carbon",
    "coffee",
    "cream",
    "daily",
    "food",
    "gel",
    "glucose",
    "honey",
    "ice",
    "milk",
    "night",
    "oil",
    "oral",
    "oxygen",
    "plasma",
    "release",
    "salt",
    "saline",
    "soap",
    "sodium",
    "sugar",
    "tablet",
    "tablets",
    "tea",
    "water",
    "wax",
    "extended",
    "delayed",
    "capsule",
    "capsules",
    "solution",
    "injection",
    "cap",
    "tab",
    "tabs",
    "caps",
    "patch",
    "spray",
    "drops",
    "syrup",
    "powder",
    "ointment",
    "lotion",
    "magnesium",
    "potassium",
    "calcium",
    "iron",
    "zinc",
    "vitamin",
    "vitamins",
}
_SPLIT_COMBINATION = re.compile(r"\s*(?:/|,\s*and\s+|\s+and\s+|,|\s\+\s)\s*")


def _dictionary_path() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / DICTIONARY_FILE
    return path if path.exists() else None


def _curated_names(files: dict[str, list[dict]]) -> tuple[dict[str, str], set[str]]:
    """name key -> curated ingredient name, and every curated name key (any kind).

    Keys are the engine's own (`compact_key`), so "taken" here means exactly what the index
    would read as a curated name."""
    ingredient_by_key: dict[str, str] = {}
    taken: set[str] = set()
    for ingredient in files["ingredients"]:
        for name in [ingredient["name"], *(ingredient.get("synonyms") or [])]:
            ingredient_by_key[compact_key(name)] = ingredient["name"]
            taken.add(compact_key(name))
    for product in files["products"]:
        taken.add(compact_key(product["name"]))
    supplement_keys: set[str] = set()
    for supplement in files["supplements"]:
        for name in [
            supplement["name"],
            supplement["slug"],
            *(supplement.get("synonyms") or []),
            *(supplement.get("forms") or []),
            *(supplement.get("products") or []),
        ]:
            supplement_keys.add(compact_key(name))
    return ingredient_by_key, taken | supplement_keys


def _spaced_words(name: str) -> str:
    """A name as its words between spaces, so a supplement name is found only as whole words."""
    return f" {' '.join(name_words(name))} "


def _supplement_words(files: dict[str, list[dict]]) -> set[str]:
    """The curated supplements' names, synonyms and forms, as whole words to look for.

    Short ones ("mag", "D3") are left out: as substrings they would hit unrelated names."""
    words = set()
    for supplement in files["supplements"]:
        for name in [
            supplement["name"],
            *(supplement.get("synonyms") or []),
            *(supplement.get("forms") or []),
        ]:
            if len(compact_key(name)) >= 5:
                words.add(_spaced_words(name))
    return words


def external_drug_names(files: dict[str, list[dict]]) -> list[tuple[str, list[str]]]:
    """(name, ingredients) pairs for names the curated files don't already define."""
    path = _dictionary_path()
    if path is None:
        raise KnowledgeBaseFileError(
            f"the open drug vocabulary ({SOURCE}) is not installed: install requirements.txt, "
            "or load with --no-external"
        )
    with bz2.open(path, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - trusted data from an installed package
    variant_to_canonical: dict[str, list[str]] = data["drug_variant_to_canonical"]
    canonical_data: dict[str, dict] = data["drug_canonical_to_data"]

    ingredient_by_key, taken = _curated_names(files)
    # Names meaning different medicines in different markets are never guessed at.
    taken |= {compact_key(entry["name"]) for entry in files.get("ambiguous_names") or []}
    supplement_words = _supplement_words(files)
    contains_supplement: dict[str, bool] = {}
    result: dict[str, tuple[str, list[str]]] = {}  # compact key -> (name as written, ingredients)
    for variant, canonicals in variant_to_canonical.items():
        if len(canonicals) != 1:
            continue
        canonical = canonicals[0]
        info = canonical_data.get(canonical) or {}
        # Only real medicines: the dictionary also holds proteins, genes and organisms.
        if not (info.get("drugbank_id") or info.get("medline_plus_id")):
            continue
        key = compact_key(variant)
        if len(key) < 4 or len(key) > 60 or key in taken or key in _NOT_MEDICINE_NAMES:
            continue
        if key in result:
            continue
        if not any(ch.isalpha() for ch in key):
            continue
        parts = [part for part in _SPLIT_COMBINATION.split(canonical.lower()) if part]
        # Anything containing a supplement is left to the curated supplement names: a
        # wrong "no cramp link" for a potassium product would hide a caution.
        if canonical not in contains_supplement:
            folded = _spaced_words(canonical)
            contains_supplement[canonical] = any(word in folded for word in supplement_words)
        if contains_supplement[canonical]:
            continue
        plain = (canonical_ingredient(part) for part in parts)
        ingredients = sorted({ingredient_by_key.get(compact_key(p), p) for p in plain})
        result[key] = (" ".join(variant.split()), ingredients)
    return sorted(result.values())
