"""Reading the curated knowledge-base files: one list of entries per kind, plus the
translation files, each entry remembering which file it came from so validation can name it.

Translations live in `translations/<language>.yaml`, one file per handout language:

    drug_classes:
      thiazide_diuretic:
        patient_text: "..."
    ingredients:
      furosemide:
        name: furosemida

Adding a language to the knowledge base is adding its file (see README, "Add a language").
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from screening.knowledge.kinds import KINDS, TRANSLATIONS_FOLDER, Kind


class KnowledgeBaseFileError(Exception):
    """A file that cannot be read as the knowledge base's YAML."""


@dataclass
class SourcedSnapshot:
    entries: dict[str, list[dict]] = field(default_factory=lambda: {k.name: [] for k in KINDS})
    # (kind, position) -> "relative/file.yaml entry #n"
    origins: dict[tuple[str, int], str] = field(default_factory=dict)
    # language -> kind -> natural key -> field -> text
    translations: dict[str, dict[str, dict[str, dict[str, str]]]] = field(default_factory=dict)
    content_hash: str = ""

    def origin(self, kind: str, position: int) -> str:
        return self.origins.get((kind, position), kind)

    def engine_snapshot(self) -> dict[str, list[dict]]:
        """The entries as the engine reads them, each with its `translations` (the shape
        `snapshot.snapshot_from_database` gives): for tests and the benchmark, no database."""
        snapshot: dict[str, list[dict]] = {}
        for kind in KINDS:
            snapshot[kind.name] = []
            for entry in self.entries[kind.name]:
                texts = {
                    language: (by_kind.get(kind.name) or {}).get(kind.key_of(entry)) or {}
                    for language, by_kind in self.translations.items()
                }
                translations = {language: t for language, t in texts.items() if t}
                snapshot[kind.name].append({**entry, "translations": translations})
        return snapshot


def _files_for(directory: Path, kind: Kind) -> list[Path]:
    if kind.is_folder:
        return sorted((directory / kind.source).glob("*.yaml"))
    return [directory / kind.source]


def _load_yaml(path: Path, relative: str, digest: Any) -> Any:
    if not path.exists():
        raise KnowledgeBaseFileError(f"{relative}: file is missing")
    raw = path.read_bytes()
    digest.update(relative.encode() + b"\0" + raw + b"\0")
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise KnowledgeBaseFileError(f"{relative}: not valid YAML ({exc})") from exc


def read_knowledge_base(directory: Path) -> SourcedSnapshot:
    snapshot = SourcedSnapshot()
    digest = hashlib.sha256()
    for kind in KINDS:
        for path in _files_for(directory, kind):
            relative = str(path.relative_to(directory))
            data = _load_yaml(path, relative, digest) or []
            if not isinstance(data, list):
                raise KnowledgeBaseFileError(f"{relative}: must be a YAML list of entries")
            for number, entry in enumerate(data, start=1):
                if not isinstance(entry, dict):
                    raise KnowledgeBaseFileError(f"{relative}: entry #{number} is not a mapping")
                position = len(snapshot.entries[kind.name])
                snapshot.origins[(kind.name, position)] = f"{relative} entry #{number}"
                snapshot.entries[kind.name].append(entry)
    for path in sorted((directory / TRANSLATIONS_FOLDER).glob("*.yaml")):
        relative = str(path.relative_to(directory))
        data = _load_yaml(path, relative, digest) or {}
        if not isinstance(data, dict):
            raise KnowledgeBaseFileError(f"{relative}: must map kinds to their entries' texts")
        snapshot.translations[path.stem] = data
    snapshot.content_hash = digest.hexdigest()
    return snapshot
