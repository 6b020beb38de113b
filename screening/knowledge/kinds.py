"""Every kind of knowledge-base entry, described once.

A `Kind` says where its entries are written (a file, or a folder of files), the pydantic
shape of one entry, its natural key, the model it is stored in and which model field holds
which entry field, the entry fields that name entries of another kind (`links`), and the
patient-facing fields that need a wording in every handout language. Validation, loading
and the engine snapshot all read these descriptions; none of them lists fields of its own.

Kinds are listed so that a kind comes after every kind it links to (load order).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from screening.knowledge import shapes


def look_alike_key(names: list[str]) -> str:
    """A look-alike group's natural key: its names, sorted (the model computes the same)."""
    return " / ".join(sorted(str(name) for name in names))


@dataclass(frozen=True)
class Link:
    """An entry field naming entries of another kind, and where the model keeps it."""

    path: str  # "references", "evidence.references", "left.ingredients", "supplement"
    target: str  # the kind it names
    m2m: str | None = None  # stored as this many-to-many field
    fk: str | None = None  # stored as this foreign key
    # Otherwise the names stay inside a JSON column (an interaction's sides).


@dataclass(frozen=True)
class Kind:
    name: str
    source: str  # "references.yaml", or "ingredients/" for a folder of files
    shape: type[shapes.Entry]
    key: str  # the entry field that is the natural key (and the model field holding it)
    # "app.Model" label; None: validated and used at load time, not stored. A label rather
    # than the class keeps the file reader importable without Django (the engine's tests).
    model_label: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)  # model field -> entry path
    links: tuple[Link, ...] = ()
    # Patient-facing fields with a wording per handout language, and which of them every
    # language must have (names may fall back to the English INN; sentences may not).
    translated: tuple[str, ...] = ()
    required_translations: tuple[str, ...] = ()
    # The entries' order in the files matters (advice is printed in that order).
    ordered: bool = False
    make_key: Callable[[Mapping[str, Any]], str] | None = None

    @property
    def is_folder(self) -> bool:
        return self.source.endswith("/")

    @property
    def model(self) -> type[models.Model]:
        assert self.model_label is not None, f"{self.name} is not stored"
        return apps.get_model(self.model_label)

    def key_of(self, entry: Mapping[str, Any]) -> str:
        return self.make_key(entry) if self.make_key else str(entry.get(self.key, "?"))


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


KINDS: tuple[Kind, ...] = (
    Kind(
        "references",
        "references.yaml",
        shapes.ReferenceEntry,
        "key",
        "screening.Reference",
        _same("citation", "url", "kind", "evidence_level"),
    ),
    Kind(
        "drug_classes",
        "drug_classes.yaml",
        shapes.DrugClassEntry,
        "slug",
        "screening.DrugClass",
        {
            **_same("name", "atc_codes", "cramp_linked", "mechanism", "patient_text", "routes"),
            "evidence_strength": "evidence.strength",
            "evidence_summary": "evidence.summary",
        },
        links=(
            Link("references", "references", m2m="references"),
            Link("evidence.references", "references", m2m="evidence_references"),
        ),
        translated=("patient_text",),
        required_translations=("patient_text",),
    ),
    Kind(
        "ingredients",
        "ingredients/",
        shapes.IngredientEntry,
        "name",
        "screening.Ingredient",
        _same("synonyms", "salts", "rxcui", "atc", "routes"),
        links=(Link("classes", "drug_classes", m2m="classes"),),
        translated=("name",),
    ),
    Kind(
        "products",
        "products/",
        shapes.ProductEntry,
        "name",
        "screening.Product",
        _same("kind", "markets", "release", "rxcui", "route", "supplements"),
        links=(
            Link("ingredients", "ingredients", m2m="ingredients"),
            Link("supplements", "supplements"),
        ),
    ),
    Kind(
        "supplements",
        "supplements.yaml",
        shapes.SupplementEntry,
        "slug",
        "screening.Supplement",
        _same("name", "synonyms", "forms", "products", "also", "dose_notes", "cramp_evidence"),
        links=(
            Link("also", "supplements"),
            Link("references", "references", m2m="references"),
        ),
        translated=("name",),
    ),
    Kind(
        "symptoms",
        "symptoms.yaml",
        shapes.SymptomEntry,
        "code",
        "screening.Symptom",
        _same("label", "patient_label"),
        translated=("patient_label",),
        required_translations=("patient_label",),
    ),
    Kind(
        "supplement_cautions",
        "supplement_cautions.yaml",
        shapes.SupplementCautionEntry,
        "key",
        "screening.SupplementCaution",
        _same("condition", "severity", "mechanism", "message", "action", "patient_text", "routes"),
        links=(
            Link("supplement", "supplements", fk="supplement"),
            Link("drug_class", "drug_classes", fk="drug_class"),
            Link("ingredient", "ingredients", fk="ingredient"),
            Link("references", "references", m2m="references"),
        ),
        translated=("patient_text",),
        required_translations=("patient_text",),
    ),
    Kind(
        "interactions",
        "interactions.yaml",
        shapes.InteractionEntry,
        "key",
        "screening.Interaction",
        _same("left", "right", "severity", "mechanism", "message", "action", "patient_text"),
        links=(
            Link("left.ingredients", "ingredients"),
            Link("left.drug_classes", "drug_classes"),
            Link("right.ingredients", "ingredients"),
            Link("right.drug_classes", "drug_classes"),
            Link("references", "references", m2m="references"),
        ),
        translated=("patient_text",),
        required_translations=("patient_text",),
    ),
    Kind(
        "red_flags",
        "red_flags.yaml",
        shapes.RedFlagEntry,
        "code",
        "screening.RedFlag",
        _same(
            "name", "symptoms", "urgency", "urgency_with_related_class", "message", "patient_text"
        ),
        links=(
            Link("symptoms", "symptoms"),
            Link("related_classes", "drug_classes", m2m="related_classes"),
            Link("references", "references", m2m="references"),
        ),
        translated=("patient_text",),
        required_translations=("patient_text",),
    ),
    Kind(
        "look_alike_names",
        "look_alike_names.yaml",
        shapes.LookAlikeEntry,
        "key",
        "screening.LookAlikeGroup",
        _same("names"),
        links=(Link("reference", "references", fk="reference"),),
        make_key=lambda entry: look_alike_key(entry.get("names") or []),
    ),
    Kind(
        "ambiguous_names",
        "ambiguous_names.yaml",
        shapes.AmbiguousNameEntry,
        "name",
        "screening.AmbiguousName",
        _same("reason"),
    ),
    Kind(
        "advice",
        "advice.yaml",
        shapes.AdviceEntry,
        "key",
        "screening.Advice",
        _same("section", "when", "text", "urgency"),
        links=(Link("references", "references", m2m="references"),),
        translated=("text",),
        required_translations=("text",),
        ordered=True,
    ),
)

KINDS_BY_NAME: Mapping[str, Kind] = {kind.name: kind for kind in KINDS}
STORED_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.model_label is not None)
# Where each language's wording of the patient-facing fields is written.
TRANSLATIONS_FOLDER = "translations"
