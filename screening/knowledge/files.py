"""Reading the curated knowledge-base files into one snapshot dict.

The snapshot has the shape documented in docs/knowledge_base.md: one list per kind of
entry. Every entry remembers which file it came from, so validation errors can name it.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# kind -> file name (or folder of files) under the knowledge-base directory
SINGLE_FILES = {
    "references": "references.yaml",
    "drug_classes": "drug_classes.yaml",
    "supplements": "supplements.yaml",
    "supplement_cautions": "supplement_cautions.yaml",
    "interactions": "interactions.yaml",
    "symptoms": "symptoms.yaml",
    "red_flags": "red_flags.yaml",
    "look_alike_names": "look_alike_names.yaml",
    "ambiguous_names": "ambiguous_names.yaml",
}
FOLDERS = {"ingredients": "ingredients", "products": "products"}
KINDS = tuple(SINGLE_FILES) + tuple(FOLDERS)


class KnowledgeBaseFileError(Exception):
    """A file that cannot be read as a YAML list of mappings."""


@dataclass
class SourcedSnapshot:
    entries: dict[str, list[dict]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    # (kind, position) -> "relative/file.yaml"
    origins: dict[tuple[str, int], str] = field(default_factory=dict)
    content_hash: str = ""

    def origin(self, kind: str, position: int) -> str:
        return self.origins.get((kind, position), kind)


def _files_for(directory: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for kind, name in SINGLE_FILES.items():
        files.append((kind, directory / name))
    for kind, folder in FOLDERS.items():
        for path in sorted((directory / folder).glob("*.yaml")):
            files.append((kind, path))
    return files


def read_knowledge_base(directory: Path) -> SourcedSnapshot:
    snapshot = SourcedSnapshot()
    digest = hashlib.sha256()
    for kind, path in _files_for(directory):
        relative = str(path.relative_to(directory))
        if not path.exists():
            raise KnowledgeBaseFileError(f"{relative}: file is missing")
        raw = path.read_bytes()
        digest.update(relative.encode() + b"\0" + raw + b"\0")
        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise KnowledgeBaseFileError(f"{relative}: not valid YAML ({exc})") from exc
        if data is None:
            data = []
        if not isinstance(data, list):
            raise KnowledgeBaseFileError(f"{relative}: must be a YAML list of entries")
        for number, entry in enumerate(data, start=1):
            if not isinstance(entry, dict):
                raise KnowledgeBaseFileError(f"{relative}: entry #{number} is not a mapping")
            snapshot.origins[(kind, len(snapshot.entries[kind]))] = f"{relative} entry #{number}"
            snapshot.entries[kind].append(entry)
    snapshot.content_hash = digest.hexdigest()
    return snapshot
