"""Upserting the validated knowledge base into the database, in one transaction.

Only rows that differ from the files are written, so a second load of the same files
changes nothing (no history rows, no new version). Rows no longer in the files are
removed. A load records a KnowledgeBaseVersion when the content changed.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from screening.knowledge.external_vocabulary import external_drug_names
from screening.knowledge.files import read_knowledge_base
from screening.knowledge.snapshot import knowledge_base_version_record
from screening.knowledge.validation import validate_knowledge_base
from screening.models import (
    DrugClass,
    ExternalDrugName,
    Ingredient,
    Interaction,
    KnowledgeBaseVersion,
    LookAlikeGroup,
    Product,
    RedFlag,
    Reference,
    Supplement,
    SupplementCaution,
    Symptom,
)

HISTORY_REASON = "knowledge base load"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    version: KnowledgeBaseVersion | None = None
    version_is_new: bool = False
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return (
            any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())
        )


def _sync_rows(
    model, key_field: str, wanted: dict[str, dict], report: LoadReport
) -> dict[str, models.Model]:
    """Make the rows of ``model`` equal ``wanted`` (natural key -> field values)."""
    label = model._meta.verbose_name_plural
    existing = {getattr(row, key_field): row for row in model.objects.all()}
    to_create, to_update, update_fields = [], [], set()
    for key, values in wanted.items():
        row = existing.get(key)
        if row is None:
            to_create.append(model(**{key_field: key}, **values))
            continue
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, values[name])
            update_fields.update(changed)
            to_update.append(row)
    stale = [row.pk for key, row in existing.items() if key not in wanted]
    if stale:
        model.objects.filter(pk__in=stale).delete()
    if to_create:
        for row in to_create:
            row._change_reason = HISTORY_REASON
        bulk_create_with_history(
            to_create, model, batch_size=500, default_change_reason=HISTORY_REASON
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            model,
            sorted(update_fields),
            batch_size=500,
            default_change_reason=HISTORY_REASON,
        )
    report.created[label] = len(to_create)
    report.updated[label] = len(to_update)
    report.deleted[label] = len(stale)
    return {getattr(row, key_field): row for row in model.objects.all()}


def _sync_m2m(
    relation,
    owner_ids: dict[str, int],
    target_ids: dict[str, int],
    wanted: dict[str, list[str]],
    report: LoadReport,
    label: str,
) -> None:
    through = relation.through
    owner_column = relation.field.m2m_column_name()
    target_column = relation.field.m2m_reverse_name()
    current = set(through.objects.values_list(owner_column, target_column))
    desired = {
        (owner_ids[owner], target_ids[target])
        for owner, targets in wanted.items()
        for target in targets
    }
    extra = current - desired
    missing = desired - current
    for owner_id, target_id in extra:
        through.objects.filter(**{owner_column: owner_id, target_column: target_id}).delete()
    through.objects.bulk_create(
        [
            through(**{owner_column: owner_id, target_column: target_id})
            for owner_id, target_id in missing
        ]
    )
    if extra or missing:
        report.updated[label] = report.updated.get(label, 0) + len(extra) + len(missing)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def load_knowledge_base(
    directory: Path, *, include_external: bool = True, only_if_files_changed: bool = False
) -> LoadReport:
    """Validate the files under ``directory`` and upsert them. Raises on invalid files.

    ``only_if_files_changed`` skips files already loaded once, so ``make run`` does not
    undo pharmacists' admin edits at every start; a new release of the files still loads.
    """
    sourced = read_knowledge_base(directory)
    validate_knowledge_base(sourced)
    files_source = f"files {sourced.content_hash[:12]}"
    if only_if_files_changed and KnowledgeBaseVersion.objects.filter(source=files_source).exists():
        return LoadReport(
            version=KnowledgeBaseVersion.objects.order_by("-created", "-id").first(), skipped=True
        )
    files = sourced.entries
    external = external_drug_names(files) if include_external else []
    report = LoadReport()

    with transaction.atomic():
        # Delete dependants of rows that may go away first, so PROTECT never blocks a load.
        SupplementCaution.objects.exclude(
            key__in=[c["key"] for c in files["supplement_cautions"]]
        ).delete()
        _delete_stale_look_alike_groups(files["look_alike_names"], report)

        references = _sync_rows(
            Reference,
            "key",
            {
                r["key"]: {
                    "citation": _text(r["citation"]),
                    "url": _text(r.get("url")),
                    "kind": r["kind"],
                    "evidence_level": _text(r.get("evidence_level")),
                }
                for r in files["references"]
            },
            report,
        )
        reference_ids = {key: row.pk for key, row in references.items()}

        classes = _sync_rows(
            DrugClass,
            "slug",
            {
                c["slug"]: {
                    "name": _text(c["name"]),
                    "atc_codes": list(c.get("atc_codes") or []),
                    "cramp_linked": bool(c["cramp_linked"]),
                    "evidence_strength": c["evidence"]["strength"],
                    "evidence_summary": _text(c["evidence"].get("summary")),
                    "mechanism": _text(c.get("mechanism")),
                    "patient_text": _text(c.get("patient_text")),
                }
                for c in files["drug_classes"]
            },
            report,
        )
        class_ids = {slug: row.pk for slug, row in classes.items()}
        class_owner_ids = class_ids
        _sync_m2m(
            DrugClass.references,
            class_owner_ids,
            reference_ids,
            {c["slug"]: c.get("references") or [] for c in files["drug_classes"]},
            report,
            "drug class references",
        )
        _sync_m2m(
            DrugClass.evidence_references,
            class_owner_ids,
            reference_ids,
            {c["slug"]: c["evidence"].get("references") or [] for c in files["drug_classes"]},
            report,
            "drug class evidence references",
        )

        ingredients = _sync_rows(
            Ingredient,
            "name",
            {
                i["name"]: {
                    "synonyms": list(i.get("synonyms") or []),
                    "salts": list(i.get("salts") or []),
                    "rxcui": _text(i.get("rxcui")),
                    "atc": list(i.get("atc") or []),
                }
                for i in files["ingredients"]
            },
            report,
        )
        ingredient_ids = {name: row.pk for name, row in ingredients.items()}
        _sync_m2m(
            Ingredient.classes,
            ingredient_ids,
            class_ids,
            {i["name"]: i.get("classes") or [] for i in files["ingredients"]},
            report,
            "ingredient classes",
        )

        products = _sync_rows(
            Product,
            "name",
            {
                p["name"]: {
                    "kind": p.get("kind") or "brand",
                    "markets": list(p.get("markets") or []),
                    "release": _text(p.get("release")),
                    "rxcui": _text(p.get("rxcui")),
                }
                for p in files["products"]
            },
            report,
        )
        _sync_m2m(
            Product.ingredients,
            {n: r.pk for n, r in products.items()},
            ingredient_ids,
            {p["name"]: p["ingredients"] for p in files["products"]},
            report,
            "product ingredients",
        )

        supplements = _sync_rows(
            Supplement,
            "slug",
            {
                s["slug"]: {
                    "name": _text(s["name"]),
                    "synonyms": list(s.get("synonyms") or []),
                    "forms": list(s.get("forms") or []),
                    "products": list(s.get("products") or []),
                    "also": list(s.get("also") or []),
                    "dose_notes": _text(s.get("dose_notes")),
                    "cramp_evidence": _text(s.get("cramp_evidence")),
                }
                for s in files["supplements"]
            },
            report,
        )
        supplement_ids = {slug: row.pk for slug, row in supplements.items()}
        _sync_m2m(
            Supplement.references,
            supplement_ids,
            reference_ids,
            {s["slug"]: s.get("references") or [] for s in files["supplements"]},
            report,
            "supplement references",
        )

        cautions = _sync_rows(
            SupplementCaution,
            "key",
            {
                c["key"]: {
                    "supplement_id": supplement_ids[c["supplement"]],
                    "drug_class_id": class_ids.get(c.get("drug_class"))
                    if c.get("drug_class")
                    else None,
                    "ingredient_id": ingredient_ids.get(c.get("ingredient"))
                    if c.get("ingredient")
                    else None,
                    "condition": _text(c.get("condition")),
                    "severity": c["severity"],
                    "mechanism": _text(c["mechanism"]),
                    "message": _text(c["message"]),
                    "action": _text(c["action"]),
                    "patient_text": _text(c["patient_text"]),
                }
                for c in files["supplement_cautions"]
            },
            report,
        )
        _sync_m2m(
            SupplementCaution.references,
            {k: r.pk for k, r in cautions.items()},
            reference_ids,
            {c["key"]: c["references"] for c in files["supplement_cautions"]},
            report,
            "caution references",
        )

        interactions = _sync_rows(
            Interaction,
            "key",
            {
                i["key"]: {
                    "left": {k: list(v) for k, v in sorted(i["left"].items()) if v},
                    "right": {k: list(v) for k, v in sorted(i["right"].items()) if v},
                    "severity": i["severity"],
                    "mechanism": _text(i["mechanism"]),
                    "message": _text(i["message"]),
                    "action": _text(i["action"]),
                    "patient_text": _text(i["patient_text"]),
                }
                for i in files["interactions"]
            },
            report,
        )
        _sync_m2m(
            Interaction.references,
            {k: r.pk for k, r in interactions.items()},
            reference_ids,
            {i["key"]: i["references"] for i in files["interactions"]},
            report,
            "interaction references",
        )

        _sync_rows(
            Symptom,
            "code",
            {
                s["code"]: {"label": _text(s["label"]), "patient_label": _text(s["patient_label"])}
                for s in files["symptoms"]
            },
            report,
        )

        red_flags = _sync_rows(
            RedFlag,
            "code",
            {
                r["code"]: {
                    "name": _text(r["name"]),
                    "symptoms": list(r["symptoms"]),
                    "urgency": r["urgency"],
                    "urgency_with_related_class": _text(r.get("urgency_with_related_class")),
                    "message": _text(r["message"]),
                    "patient_text": _text(r["patient_text"]),
                }
                for r in files["red_flags"]
            },
            report,
        )
        red_flag_ids = {code: row.pk for code, row in red_flags.items()}
        _sync_m2m(
            RedFlag.related_classes,
            red_flag_ids,
            class_ids,
            {r["code"]: r.get("related_classes") or [] for r in files["red_flags"]},
            report,
            "red flag classes",
        )
        _sync_m2m(
            RedFlag.references,
            red_flag_ids,
            reference_ids,
            {r["code"]: r.get("references") or [] for r in files["red_flags"]},
            report,
            "red flag references",
        )

        _sync_look_alike_groups(files["look_alike_names"], reference_ids, report)
        if include_external:
            _sync_external_names(external, report)

        report.version, report.version_is_new = knowledge_base_version_record(source=files_source)
    return report


def _delete_stale_look_alike_groups(groups: list[dict], report: LoadReport) -> None:
    """Before references are synced: a group protects the reference it cites.

    Groups have no natural key; their sorted names and reference stand in for one."""
    wanted = {(tuple(sorted(g["names"])), g.get("reference")) for g in groups}
    stale = [
        group.pk
        for group in LookAlikeGroup.objects.select_related("reference")
        if (tuple(sorted(group.names)), group.reference.key if group.reference else None)
        not in wanted
    ]
    LookAlikeGroup.objects.filter(pk__in=stale).delete()
    report.deleted["look-alike groups"] = len(stale)


def _sync_look_alike_groups(
    groups: list[dict], reference_ids: dict[str, int], report: LoadReport
) -> None:
    """Create the missing groups (stale ones are already gone) and keep the names' order."""
    wanted = {
        tuple(sorted(g["names"])): (list(g["names"]), reference_ids.get(g.get("reference")))
        for g in groups
    }
    existing = {tuple(sorted(g.names)): g for g in LookAlikeGroup.objects.all()}
    created = updated = 0
    for key, (names, reference_id) in wanted.items():
        group = existing.get(key)
        if group is None:
            LookAlikeGroup.objects.create(names=names, reference_id=reference_id)
            created += 1
        elif group.names != names or group.reference_id != reference_id:
            group.names, group.reference_id = names, reference_id
            group.save()
            updated += 1
    report.created["look-alike groups"] = created
    report.updated["look-alike groups"] = updated


def _sync_external_names(external: list[tuple[str, list[str]]], report: LoadReport) -> None:
    """The open vocabulary is bulk data: written without history, in batches."""
    existing = dict(ExternalDrugName.objects.values_list("name", "ingredients"))
    wanted = dict(external)
    stale = [name for name in existing if name not in wanted]
    changed = [
        name
        for name, ingredients in wanted.items()
        if name in existing and existing[name] != ingredients
    ]
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
    report.created["external drug names"] = len(new)
    report.updated["external drug names"] = len(changed)
    report.deleted["external drug names"] = len(stale)
