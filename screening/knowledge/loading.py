"""Upserting the validated knowledge base into the database, in one transaction.

Driven by the kind descriptions (`kinds.py`): for every stored kind, rows are created or
updated from the entries' columns, foreign keys and many-to-many links are set, then rows
no longer in the files are removed (dependants before what they point at), and each
language's wording is written as Translation rows. Only rows that differ from the files
are written, so a second load of the same files changes nothing (no history rows, no new
version). A load records a KnowledgeBaseVersion when the content changed.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from screening.knowledge.external_vocabulary import external_drug_names
from screening.knowledge.files import read_knowledge_base
from screening.knowledge.kinds import STORED_KINDS, Kind
from screening.knowledge.validation import ValidatedKnowledgeBase, validate_knowledge_base
from screening.models import ExternalDrugName, KnowledgeBaseVersion, Translation
from screening.services.knowledge import knowledge_base_version_record

HISTORY_REASON = "knowledge base load"
BATCH_SIZE = 500


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    version: KnowledgeBaseVersion | None = None
    version_is_new: bool = False
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())
        )

    def count(self, label: str, *, created: int = 0, updated: int = 0, deleted: int = 0) -> None:
        self.created[label] = self.created.get(label, 0) + created
        self.updated[label] = self.updated.get(label, 0) + updated
        self.deleted[label] = self.deleted.get(label, 0) + deleted


def load_knowledge_base(
    directory: Path, *, include_external: bool = True, only_if_files_changed: bool = False
) -> LoadReport:
    """Validate the files under ``directory`` and upsert them. Raises on invalid files.

    ``only_if_files_changed`` skips files already loaded once, so ``make run`` does not
    undo pharmacists' admin edits at every start; a new release of the files still loads.
    """
    sourced = read_knowledge_base(directory)
    checked = validate_knowledge_base(sourced)
    # What is stored of the files counts too: a release that stores one more kind (the
    # ambiguous names, migration 0010) loads the same files again.
    stored = hashlib.sha256(
        (sourced.content_hash + " ".join(kind.name for kind in STORED_KINDS)).encode()
    ).hexdigest()
    files_source = f"files {stored[:12]}"
    if only_if_files_changed and KnowledgeBaseVersion.objects.filter(source=files_source).exists():
        latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
        return LoadReport(version=latest, skipped=True)
    external = external_drug_names(checked.entries) if include_external else []
    report = LoadReport(warnings=list(checked.warnings))
    with transaction.atomic():
        ids: dict[str, dict[str, int]] = {}
        for kind in STORED_KINDS:
            ids[kind.name] = _sync_kind(kind, checked.entries[kind.name], ids, report)
        for kind in reversed(STORED_KINDS):
            _delete_stale(kind, checked.entries[kind.name], report)
        _sync_translations(checked, ids, report)
        if include_external:
            _sync_external_names(external, report)
        report.version, report.version_is_new = knowledge_base_version_record(source=files_source)
    return report


# --- Rows ---------------------------------------------------------------------------------


def _value_at(entry: Mapping[str, Any], path: str) -> Any:
    value: Any = entry
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _column_value(model: type[models.Model], name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if value is None and isinstance(model_field, models.CharField | models.TextField):
        return ""
    if isinstance(value, dict):
        # An interaction's side: keep what is said, not every default.
        return {key: item for key, item in value.items() if item}
    return value


def _row_values(kind: Kind, entry: Mapping[str, Any], ids: Mapping[str, Mapping[str, int]]) -> dict:
    assert kind.model is not None
    values = {
        name: _column_value(kind.model, name, _value_at(entry, path))
        for name, path in kind.columns.items()
    }
    for link in kind.links:
        if link.fk:
            target = _value_at(entry, link.path)
            values[f"{link.fk}_id"] = ids[link.target][target] if target else None
    return values


def _sync_kind(
    kind: Kind, entries: list[dict], ids: Mapping[str, Mapping[str, int]], report: LoadReport
) -> dict[str, int]:
    """Create and update the kind's rows and links; return natural key -> primary key."""
    model = kind.model
    assert model is not None
    label = str(model._meta.verbose_name_plural)
    wanted = {kind.key_of(entry): _row_values(kind, entry, ids) for entry in entries}
    if kind.ordered:
        for position, key in enumerate(wanted):
            wanted[key]["position"] = position
    existing = {getattr(row, kind.key): row for row in model.objects.all()}
    to_create, to_update, changed_fields = [], [], set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(model(**{kind.key: key}, **values))
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        for name in changed:
            setattr(row, name, values[name])
        changed_fields.update(changed)
        if changed:
            to_update.append(row)
    if to_create:
        bulk_create_with_history(
            to_create, model, batch_size=BATCH_SIZE, default_change_reason=HISTORY_REASON
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            model,
            sorted(changed_fields),
            batch_size=BATCH_SIZE,
            default_change_reason=HISTORY_REASON,
        )
    report.count(label, created=len(to_create), updated=len(to_update))
    key_ids = dict(model.objects.values_list(kind.key, "pk"))
    for link in kind.links:
        if link.m2m:
            wanted_links = {kind.key_of(e): _value_at(e, link.path) or [] for e in entries}
            _sync_m2m(model, link.m2m, key_ids, ids[link.target], wanted_links, report)
    return key_ids


def _sync_m2m(
    model: type[models.Model],
    relation: str,
    owner_ids: Mapping[str, int],
    target_ids: Mapping[str, int],
    wanted: Mapping[str, list[str]],
    report: LoadReport,
) -> None:
    through = getattr(model, relation).through
    m2m_field = model._meta.get_field(relation)
    owner_column, target_column = m2m_field.m2m_column_name(), m2m_field.m2m_reverse_name()
    current = set(through.objects.values_list(owner_column, target_column))
    desired = {
        (owner_ids[owner], target_ids[target])
        for owner, targets in wanted.items()
        for target in targets
    }
    for owner_id, target_id in current - desired:
        through.objects.filter(**{owner_column: owner_id, target_column: target_id}).delete()
    through.objects.bulk_create(
        [through(**{owner_column: o, target_column: t}) for o, t in desired - current]
    )
    changes = len(current ^ desired)
    if changes:
        report.count(f"{model._meta.verbose_name} {relation.replace('_', ' ')}", updated=changes)


def _delete_stale(kind: Kind, entries: list[dict], report: LoadReport) -> None:
    model = kind.model
    assert model is not None
    wanted = {kind.key_of(entry) for entry in entries}
    stale = [pk for key, pk in model.objects.values_list(kind.key, "pk") if key not in wanted]
    for start in range(0, len(stale), BATCH_SIZE):
        model.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    report.count(str(model._meta.verbose_name_plural), deleted=len(stale))


# --- Translations -------------------------------------------------------------------------


def _sync_translations(
    checked: ValidatedKnowledgeBase, ids: Mapping[str, Mapping[str, int]], report: LoadReport
) -> None:
    """Each language's wording of the patient-facing fields, one row per entry, field and
    language; written, changed and removed like every other row (with history)."""
    content_types = ContentType.objects.get_for_models(*(k.model for k in STORED_KINDS))
    wanted: dict[tuple[int, int, str, str], str] = {}
    for language, by_kind in checked.translations.items():
        for kind in STORED_KINDS:
            content_type = content_types[kind.model]
            for key, texts in (by_kind.get(kind.name) or {}).items():
                for name, text in texts.items():
                    pk = ids[kind.name][str(key)]
                    wanted[(content_type.pk, pk, name, language)] = str(text).strip()
    existing = {
        (row.content_type_id, row.object_id, row.field, row.language): row
        for row in Translation.objects.all()
    }
    to_create = [
        Translation(content_type_id=ct, object_id=pk, field=name, language=lang, text=text)
        for (ct, pk, name, lang), text in wanted.items()
        if (ct, pk, name, lang) not in existing
    ]
    to_update = []
    for identity, row in existing.items():
        if identity in wanted and row.text != wanted[identity]:
            row.text = wanted[identity]
            to_update.append(row)
    stale = [row.pk for identity, row in existing.items() if identity not in wanted]
    Translation.objects.filter(pk__in=stale).delete()
    if to_create:
        bulk_create_with_history(
            to_create, Translation, batch_size=BATCH_SIZE, default_change_reason=HISTORY_REASON
        )
    if to_update:
        bulk_update_with_history(
            to_update, Translation, ["text"], default_change_reason=HISTORY_REASON
        )
    report.count("translations", created=len(to_create), updated=len(to_update), deleted=len(stale))


# --- The open vocabulary ----------------------------------------------------------------


def _sync_external_names(external: list[tuple[str, list[str]]], report: LoadReport) -> None:
    """The open vocabulary is bulk data: written without history, in batches."""
    existing = dict(ExternalDrugName.objects.values_list("name", "ingredients"))
    wanted = dict(external)
    stale = [name for name in existing if name not in wanted]
    changed = [name for name, ingr in wanted.items() if name in existing and existing[name] != ingr]
    new = [name for name in wanted if name not in existing]
    for start in range(0, len(stale), 900):
        ExternalDrugName.objects.filter(name__in=stale[start : start + 900]).delete()
    for name in changed:
        ExternalDrugName.objects.filter(name=name).update(ingredients=wanted[name])
    ExternalDrugName.objects.bulk_create(
        [
            ExternalDrugName(
                name=name, ingredients=wanted[name], source="drug-named-entity-recognition"
            )
            for name in new
        ],
        batch_size=2000,
    )
    report.count("external drug names", created=len(new), updated=len(changed), deleted=len(stale))
