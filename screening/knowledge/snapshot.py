"""The knowledge base as the engine sees it, read from the database. Only reads.

The shape is the file format of docs/knowledge_base.md (one list of entries per kind,
built from the kind descriptions in `kinds.py`), plus `translations` on each entry and the
open vocabulary's `external_names`, so the engine can be fed from the curated files
(tests, benchmark) or from the database (admin edits included). A fixed number of queries
whatever the size: one per kind, one per link table, one for translations, one for the
open vocabulary, one for the RxNorm release (`rxnorm_release`, imported separately).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType

from screening.knowledge.kinds import STORED_KINDS, Kind
from screening.models import ExternalDrugName, RxNormRelease, Translation


def _set_at(entry: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        entry = entry.setdefault(part, {})
    entry[last] = value


def _optional(kind: Kind, path: str, value: Any) -> Any:
    """ "" in a text column is None in the file shape when the shape's field is optional."""
    if value != "" or "." in path:
        return value
    shape_field = kind.shape.model_fields.get(path)
    return None if shape_field is not None and shape_field.default is None else value


def _link_maps(kind: Kind, key_by_pk: Mapping[str, Mapping[int, str]]) -> dict[str, dict]:
    """link path -> owner pk -> target keys, one query per many-to-many table."""
    model = kind.model
    assert model is not None
    maps: dict[str, dict[int, list[str]]] = {}
    for link in kind.links:
        if not link.m2m:
            continue
        m2m_field = model._meta.get_field(link.m2m)
        through = getattr(model, link.m2m).through
        owner_column, target_column = m2m_field.m2m_column_name(), m2m_field.m2m_reverse_name()
        by_owner: dict[int, list[str]] = {}
        for owner, target in through.objects.values_list(owner_column, target_column):
            by_owner.setdefault(owner, []).append(key_by_pk[link.target][target])
        maps[link.path] = by_owner
    return maps


def _entries(
    kind: Kind,
    rows: list[dict[str, Any]],
    key_by_pk: Mapping[str, Mapping[int, str]],
    translations: Mapping[tuple[type, int], dict[str, dict[str, str]]],
) -> list[dict[str, Any]]:
    links = _link_maps(kind, key_by_pk)
    entries = []
    for row in rows:
        entry: dict[str, Any] = {kind.key: row[kind.key]} if not kind.make_key else {}
        for name, path in kind.columns.items():
            _set_at(entry, path, _optional(kind, path, row[name]))
        for link in kind.links:
            if link.m2m:
                _set_at(entry, link.path, sorted(links[link.path].get(row["pk"], [])))
            elif link.fk:
                target = row[f"{link.fk}_id"]
                _set_at(entry, link.path, key_by_pk[link.target][target] if target else None)
        if kind.translated:
            entry["translations"] = translations.get((kind.model, row["pk"]), {})
        entries.append(entry)
    return entries


def _translations() -> dict[tuple[type, int], dict[str, dict[str, str]]]:
    model_of = {ct_id: ct.model_class() for ct_id, ct in _content_types().items()}
    found: dict[tuple[type, int], dict[str, dict[str, str]]] = {}
    for ct, pk, field, language, text in Translation.objects.values_list(
        "content_type_id", "object_id", "field", "language", "text"
    ):
        found.setdefault((model_of.get(ct), pk), {}).setdefault(language, {})[field] = text
    return found


def _content_types() -> dict[int, ContentType]:
    by_model = ContentType.objects.get_for_models(*(kind.model for kind in STORED_KINDS))
    return {content_type.pk: content_type for content_type in by_model.values()}


def _rows(kind: Kind) -> list[dict[str, Any]]:
    model = kind.model
    assert model is not None
    columns = ["pk", kind.key, *kind.columns]
    columns += [f"{link.fk}_id" for link in kind.links if link.fk]
    ordering = ["position", kind.key] if kind.ordered else [kind.key]
    return list(model.objects.order_by(*ordering).values(*columns))


def snapshot_from_database() -> dict[str, list[dict]]:
    """Build the engine snapshot from the database."""
    rows = {kind.name: _rows(kind) for kind in STORED_KINDS}
    key_by_pk = {
        kind.name: {row["pk"]: row[kind.key] for row in rows[kind.name]} for kind in STORED_KINDS
    }
    translations = _translations()
    snapshot = {
        kind.name: _entries(kind, rows[kind.name], key_by_pk, translations) for kind in STORED_KINDS
    }
    snapshot["external_names"] = [
        {"name": name, "ingredients": list(ingredients)}
        for name, ingredients in ExternalDrugName.objects.order_by("name").values_list(
            "name", "ingredients"
        )
    ]
    # The RxNorm release product codes and NDCs are read through (at most one).
    snapshot["rxnorm_release"] = [
        {"version": version, "released_on": released_on.isoformat()}
        for version, released_on in RxNormRelease.objects.order_by(
            "-imported_at", "-id"
        ).values_list("version", "released_on")[:1]
    ]
    return snapshot


def snapshot_hash(snapshot: Mapping[str, Any]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
