"""The knowledge base as the engine sees it: plain lists of dicts, read from the database.

The shape is the file format of docs/knowledge_base.md, so the engine can be fed from
the curated files (tests, benchmark) or from the database (admin edits included).
"""

import hashlib
import json

from django.utils import timezone

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


def _keys(queryset_values) -> list[str]:
    return sorted(queryset_values)


def snapshot_from_database() -> dict[str, list[dict]]:
    """Build the engine snapshot; a fixed number of queries whatever the size."""
    class_refs: dict[int, list[str]] = {}
    class_evidence_refs: dict[int, list[str]] = {}
    for row in DrugClass.references.through.objects.values("drugclass_id", "reference__key"):
        class_refs.setdefault(row["drugclass_id"], []).append(row["reference__key"])
    for row in DrugClass.evidence_references.through.objects.values(
        "drugclass_id", "reference__key"
    ):
        class_evidence_refs.setdefault(row["drugclass_id"], []).append(row["reference__key"])

    drug_classes = [
        {
            "slug": c.slug,
            "name": c.name,
            "atc_codes": list(c.atc_codes),
            "cramp_linked": c.cramp_linked,
            "evidence": {
                "strength": c.evidence_strength,
                "summary": c.evidence_summary,
                "references": _keys(class_evidence_refs.get(c.pk, [])),
            },
            "mechanism": c.mechanism,
            "patient_text": c.patient_text,
            "references": _keys(class_refs.get(c.pk, [])),
        }
        for c in DrugClass.objects.order_by("slug")
    ]

    ingredient_classes: dict[int, list[str]] = {}
    for row in Ingredient.classes.through.objects.values("ingredient_id", "drugclass__slug"):
        ingredient_classes.setdefault(row["ingredient_id"], []).append(row["drugclass__slug"])
    ingredients = [
        {
            "name": i.name,
            "synonyms": list(i.synonyms),
            "salts": list(i.salts),
            "rxcui": i.rxcui or None,
            "atc": list(i.atc),
            "classes": sorted(ingredient_classes.get(i.pk, [])),
        }
        for i in Ingredient.objects.order_by("name")
    ]

    product_ingredients: dict[int, list[str]] = {}
    for row in Product.ingredients.through.objects.values("product_id", "ingredient__name"):
        product_ingredients.setdefault(row["product_id"], []).append(row["ingredient__name"])
    products = [
        {
            "name": p.name,
            "ingredients": sorted(product_ingredients.get(p.pk, [])),
            "kind": p.kind,
            "markets": list(p.markets),
            "release": p.release or None,
            "rxcui": p.rxcui or None,
        }
        for p in Product.objects.order_by("name")
    ]

    def refs_by(model, owner_field: str) -> dict[int, list[str]]:
        result: dict[int, list[str]] = {}
        for row in model.references.through.objects.values(owner_field, "reference__key"):
            result.setdefault(row[owner_field], []).append(row["reference__key"])
        return result

    supplement_refs = refs_by(Supplement, "supplement_id")
    supplements = [
        {
            "slug": s.slug,
            "name": s.name,
            "synonyms": list(s.synonyms),
            "forms": list(s.forms),
            "products": list(s.products),
            "also": list(s.also),
            "dose_notes": s.dose_notes,
            "cramp_evidence": s.cramp_evidence,
            "references": _keys(supplement_refs.get(s.pk, [])),
        }
        for s in Supplement.objects.order_by("slug")
    ]

    caution_refs = refs_by(SupplementCaution, "supplementcaution_id")
    supplement_cautions = []
    for c in SupplementCaution.objects.select_related(
        "supplement", "drug_class", "ingredient"
    ).order_by("key"):
        entry = {
            "key": c.key,
            "supplement": c.supplement.slug,
            "severity": c.severity,
            "mechanism": c.mechanism,
            "message": c.message,
            "action": c.action,
            "patient_text": c.patient_text,
            "references": _keys(caution_refs.get(c.pk, [])),
        }
        if c.drug_class_id:
            entry["drug_class"] = c.drug_class.slug
        elif c.ingredient_id:
            entry["ingredient"] = c.ingredient.name
        else:
            entry["condition"] = c.condition
        supplement_cautions.append(entry)

    interaction_refs = refs_by(Interaction, "interaction_id")
    interactions = [
        {
            "key": i.key,
            "left": i.left,
            "right": i.right,
            "severity": i.severity,
            "mechanism": i.mechanism,
            "message": i.message,
            "action": i.action,
            "patient_text": i.patient_text,
            "references": _keys(interaction_refs.get(i.pk, [])),
        }
        for i in Interaction.objects.order_by("key")
    ]

    red_flag_refs = refs_by(RedFlag, "redflag_id")
    red_flag_classes: dict[int, list[str]] = {}
    for row in RedFlag.related_classes.through.objects.values("redflag_id", "drugclass__slug"):
        red_flag_classes.setdefault(row["redflag_id"], []).append(row["drugclass__slug"])
    red_flags = [
        {
            "code": r.code,
            "name": r.name,
            "symptoms": list(r.symptoms),
            "urgency": r.urgency,
            "urgency_with_related_class": r.urgency_with_related_class or None,
            "related_classes": sorted(red_flag_classes.get(r.pk, [])),
            "message": r.message,
            "patient_text": r.patient_text,
            "references": _keys(red_flag_refs.get(r.pk, [])),
        }
        for r in RedFlag.objects.order_by("code")
    ]

    return {
        "references": [
            {
                "key": r.key,
                "citation": r.citation,
                "url": r.url,
                "kind": r.kind,
                "evidence_level": r.evidence_level,
            }
            for r in Reference.objects.order_by("key")
        ],
        "drug_classes": drug_classes,
        "ingredients": ingredients,
        "products": products,
        "supplements": supplements,
        "supplement_cautions": supplement_cautions,
        "interactions": interactions,
        "symptoms": [
            {"code": s.code, "label": s.label, "patient_label": s.patient_label}
            for s in Symptom.objects.order_by("code")
        ],
        "red_flags": red_flags,
        "look_alike_names": [
            {"names": list(g.names), "reference": g.reference.key if g.reference_id else None}
            for g in LookAlikeGroup.objects.select_related("reference").order_by("id")
        ],
        "external_names": [
            {"name": name, "ingredients": list(ingredients)}
            for name, ingredients in ExternalDrugName.objects.order_by("name").values_list(
                "name", "ingredients"
            )
        ],
    }


def snapshot_hash(snapshot: dict) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def knowledge_base_version_record(*, source: str) -> tuple[KnowledgeBaseVersion, bool]:
    """The version of the database's current content: the latest one if the content is
    unchanged, else a new one (content hash and date). Returns (version, is_new)."""
    snapshot = snapshot_from_database()
    content_hash = snapshot_hash(snapshot)
    latest = KnowledgeBaseVersion.objects.order_by("-created", "-id").first()
    if latest is not None and latest.content_hash == content_hash:
        return latest, False
    version = KnowledgeBaseVersion.objects.create(
        version=f"{timezone.now().date().isoformat()}.{content_hash[:10]}",
        content_hash=content_hash,
        source=source[:200],
        counts={kind: len(entries) for kind, entries in snapshot.items()},
    )
    return version, True
