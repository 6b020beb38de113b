"""Validation of the whole knowledge base before anything is written.

Every problem is reported with the file and the entry it comes from, so a curator can
fix it; loading refuses to start while any problem remains. The shape of each entry is
pydantic's business (`shapes.py`); cross-references come from the links declared in
`kinds.py`. What is written by hand here is only what neither can say: one name, one
medicine; translations complete in every handout language; the counselling every screen
must carry.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from pydantic import ValidationError

from screening.engine.counselling import COUNSELLING, REQUIRED_COUNSELLING
from screening.engine.result import KNOWLEDGE_BASE_LANGUAGE
from screening.engine.tokens import compact_key
from screening.knowledge.files import SourcedSnapshot
from screening.knowledge.kinds import KINDS, KINDS_BY_NAME, TRANSLATIONS_FOLDER, Kind


class KnowledgeBaseInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ValidatedKnowledgeBase:
    """The entries as their shapes read them (defaults filled in), by kind, in file order."""

    entries: dict[str, list[dict[str, Any]]]
    translations: dict[str, dict[str, dict[str, dict[str, str]]]]
    warnings: list[str] = field(default_factory=list)


def handout_languages() -> list[str]:
    """Every language a handout can be printed in, other than the knowledge base's own."""
    return [code for code, _ in settings.LANGUAGES if code != KNOWLEDGE_BASE_LANGUAGE]


class _Problems:
    def __init__(self, snapshot: SourcedSnapshot):
        self.snapshot = snapshot
        self.found: list[str] = []
        self.warnings: list[str] = []

    def where(self, kind: str, position: int) -> str:
        return self.snapshot.origin(kind, position)

    def add(self, kind: str, position: int, label: str, message: str) -> None:
        self.found.append(f"{self.where(kind, position)} ({label}): {message}")

    def raise_if_any(self) -> None:
        if self.found:
            raise KnowledgeBaseInvalid(self.found)


def validate_knowledge_base(snapshot: SourcedSnapshot) -> ValidatedKnowledgeBase:
    """Raise KnowledgeBaseInvalid listing every problem found, or return the checked entries."""
    problems = _Problems(snapshot)
    entries = {kind.name: _shaped(kind, snapshot, problems) for kind in KINDS}
    problems.raise_if_any()
    keys = {kind.name: _unique_keys(kind, entries[kind.name], problems) for kind in KINDS}
    for kind in KINDS:
        _check_links(kind, entries[kind.name], keys, problems)
    owners = _check_names(entries, problems)
    _check_look_alikes_and_ambiguous(entries, owners, problems)
    _check_required_counselling(entries, problems)
    _check_translations(snapshot.translations, entries, keys, problems)
    if not entries["drug_classes"]:
        problems.found.append("drug_classes.yaml: no drug classes")
    problems.raise_if_any()
    return ValidatedKnowledgeBase(
        entries=entries, translations=snapshot.translations, warnings=problems.warnings
    )


def _shaped(kind: Kind, snapshot: SourcedSnapshot, problems: _Problems) -> list[dict]:
    shaped = []
    for position, raw in enumerate(snapshot.entries[kind.name]):
        try:
            shaped.append(kind.shape.model_validate(raw).model_dump(mode="json"))
        except ValidationError as exc:
            for error in exc.errors():
                location = ".".join(str(part) for part in error["loc"]) or "entry"
                problems.add(kind.name, position, kind.key_of(raw), f"{location}: {error['msg']}")
    return shaped


def _unique_keys(kind: Kind, entries: list[dict], problems: _Problems) -> set[str]:
    seen: set[str] = set()
    for position, entry in enumerate(entries):
        key = kind.key_of(entry)
        if key in seen:
            problems.add(kind.name, position, key, f"duplicate {kind.key} {key!r}")
        seen.add(key)
    return seen


def _values_at(entry: Mapping[str, Any], path: str) -> list[str]:
    value: Any = entry
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


def _check_links(
    kind: Kind, entries: list[dict], keys: Mapping[str, set[str]], problems: _Problems
) -> None:
    for position, entry in enumerate(entries):
        for link in kind.links:
            for value in _values_at(entry, link.path):
                if value not in keys[link.target]:
                    target = KINDS_BY_NAME[link.target]
                    problems.add(
                        kind.name,
                        position,
                        kind.key_of(entry),
                        f"{link.path}: unknown {target.name.replace('_', ' ')} entry {value!r}",
                    )
        if kind.name == "supplements" and entry["slug"] in entry["also"]:
            problems.add(kind.name, position, entry["slug"], "also names the supplement itself")


def _names_of(entries: Mapping[str, list[dict]]) -> Iterable[tuple[str, int, str, str, tuple]]:
    """(kind, position, label, name, medicine) for every name a line can be read by."""
    for position, entry in enumerate(entries["ingredients"]):
        for name in [entry["name"], *entry["synonyms"]]:
            yield "ingredients", position, entry["name"], name, ((entry["name"],), None)
    for position, entry in enumerate(entries["products"]):
        medicine = (tuple(sorted(entry["ingredients"])), None)
        yield "products", position, entry["name"], entry["name"], medicine
    for position, entry in enumerate(entries["supplements"]):
        names = [entry["name"], *entry["synonyms"], *entry["forms"], *entry["products"]]
        for name in names:
            yield "supplements", position, entry["slug"], name, ((), entry["slug"])


def _check_names(entries: Mapping[str, list[dict]], problems: _Problems) -> dict[str, tuple]:
    """One name, one medicine: names are compared by the engine's own key (case, spaces,
    hyphens and accents ignored), so what passes here is exactly what the index reads."""
    owners: dict[str, tuple[str, int, str, tuple]] = {}
    for kind, position, label, name, medicine in _names_of(entries):
        key = compact_key(name)
        if not key:
            problems.add(kind, position, label, f"name {name!r} has no letters or digits")
            continue
        previous = owners.get(key)
        if previous is None:
            owners[key] = (kind, position, label, medicine)
        elif previous[3] != medicine:
            problems.add(
                kind,
                position,
                label,
                f"name {name!r} is read the same as {previous[2]!r} "
                f"({problems.where(previous[0], previous[1])}), a different medicine",
            )
        elif (previous[0], previous[1]) != (kind, position) and kind != "ingredients":
            problems.warnings.append(
                f"{problems.where(kind, position)} ({label}): name {name!r} repeats "
                f"{previous[2]!r} ({problems.where(previous[0], previous[1])}); merge them"
            )
    return owners


def _check_look_alikes_and_ambiguous(
    entries: Mapping[str, list[dict]], owners: Mapping[str, tuple], problems: _Problems
) -> None:
    for position, entry in enumerate(entries["look_alike_names"]):
        for name in entry["names"]:
            if compact_key(name) not in owners:
                problems.add(
                    "look_alike_names", position, entry["names"][0], f"{name!r} is not a known name"
                )
    for position, entry in enumerate(entries["ambiguous_names"]):
        owner = owners.get(compact_key(entry["name"]))
        if owner is not None:
            problems.add(
                "ambiguous_names",
                position,
                entry["name"],
                f"{entry['name']!r} is listed as ambiguous but also defined by {owner[2]!r} "
                f"({problems.where(owner[0], owner[1])})",
            )


def _check_required_counselling(entries: Mapping[str, list[dict]], problems: _Problems) -> None:
    always = {
        entry["key"]
        for entry in entries["advice"]
        if entry["section"] == COUNSELLING and entry["when"] == "always"
    }
    for key in REQUIRED_COUNSELLING:
        if key not in always:
            problems.found.append(
                f"advice.yaml: counselling {key!r} must be given always (every screen says it)"
            )


def _check_translations(
    translations: Mapping[str, Any],
    entries: Mapping[str, list[dict]],
    keys: Mapping[str, set[str]],
    problems: _Problems,
) -> None:
    languages = handout_languages()
    for language, by_kind in translations.items():
        where = f"{TRANSLATIONS_FOLDER}/{language}.yaml"
        if language not in languages:
            problems.found.append(
                f"{where}: {language!r} is not a handout language (settings.LANGUAGES)"
            )
            continue
        problems.found.extend(_translation_shape_problems(where, by_kind, keys))
    for language in languages:
        by_kind = translations.get(language) or {}
        for kind in KINDS:
            for position, entry in enumerate(entries[kind.name]):
                texts = (by_kind.get(kind.name) or {}).get(kind.key_of(entry)) or {}
                for name in kind.required_translations:
                    if entry.get(name) and not str(texts.get(name) or "").strip():
                        problems.add(
                            kind.name,
                            position,
                            kind.key_of(entry),
                            f"{name} has no {language!r} wording "
                            f"({TRANSLATIONS_FOLDER}/{language}.yaml)",
                        )


def _translation_shape_problems(
    where: str, by_kind: Mapping[str, Any], keys: Mapping[str, set[str]]
) -> list[str]:
    found = []
    for kind_name, by_key in by_kind.items():
        kind = KINDS_BY_NAME.get(kind_name)
        if kind is None or not kind.translated:
            found.append(f"{where}: {kind_name!r} has no translated fields")
            continue
        if not isinstance(by_key, Mapping):
            found.append(f"{where}: {kind_name} must map entries to their texts")
            continue
        for key, texts in by_key.items():
            if str(key) not in keys[kind_name]:
                found.append(f"{where}: {kind_name} {key!r} is not in the knowledge base")
            elif not isinstance(texts, Mapping):
                found.append(f"{where}: {kind_name} {key!r} must map fields to texts")
            else:
                for name, text in texts.items():
                    if name not in kind.translated:
                        found.append(f"{where}: {kind_name} {key!r}: {name!r} is not translated")
                    elif not isinstance(text, str) or not text.strip():
                        found.append(f"{where}: {kind_name} {key!r}: {name} is empty")
    return found
