"""Validation of the whole knowledge base before anything is written.

Every problem is reported with the file and the entry it comes from, so a curator can
fix it; loading refuses to start while any problem remains.
"""

import re
from collections.abc import Iterable

from screening.knowledge.files import SourcedSnapshot
from screening.knowledge.names import name_key

SEVERITIES = {"info", "warning", "critical"}
STRENGTHS = {"strong", "moderate", "weak", "none", "not_applicable"}
URGENCIES = {"emergency", "same_day", "soon"}
REFERENCE_KINDS = {"label", "guideline", "study", "review", "list"}
PRODUCT_KINDS = {"brand", "co_name", "generic"}
MARKETS = {"US", "UK", "CA", "AU", "EU"}
RELEASES = {None, "", "extended", "modified", "delayed", "immediate"}
CONDITIONS = {"any_patient", "egfr_below_30", "egfr_below_60"}
ATC_CODE = re.compile(r"^[A-Z]\d{2}[A-Z]{2}\d{2}$")
ATC_PREFIX = re.compile(r"^[A-Z](\d{2}([A-Z]([A-Z](\d{2})?)?)?)?$")
RXCUI = re.compile(r"^\d{1,10}$")

FIELDS = {
    "references": ({"key", "citation", "kind"}, {"url", "evidence_level"}),
    "drug_classes": (
        {"slug", "name", "cramp_linked", "evidence"},
        {"atc_codes", "mechanism", "patient_text", "references"},
    ),
    "ingredients": ({"name"}, {"synonyms", "salts", "rxcui", "atc", "classes"}),
    "products": ({"name", "ingredients"}, {"kind", "markets", "release", "rxcui"}),
    "supplements": (
        {"slug", "name"},
        {"synonyms", "forms", "products", "also", "dose_notes", "cramp_evidence", "references"},
    ),
    "supplement_cautions": (
        {
            "key",
            "supplement",
            "severity",
            "mechanism",
            "message",
            "action",
            "patient_text",
            "references",
        },
        {"drug_class", "ingredient", "condition"},
    ),
    "interactions": (
        {
            "key",
            "left",
            "right",
            "severity",
            "mechanism",
            "message",
            "action",
            "patient_text",
            "references",
        },
        set(),
    ),
    "symptoms": ({"code", "label", "patient_label"}, set()),
    "red_flags": (
        {"code", "name", "symptoms", "urgency", "message", "patient_text"},
        {"urgency_with_related_class", "related_classes", "references"},
    ),
    "look_alike_names": ({"names"}, {"reference"}),
    "ambiguous_names": ({"name", "reason"}, set()),
}


class KnowledgeBaseInvalid(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Checker:
    def __init__(self, snapshot: SourcedSnapshot):
        self.snapshot = snapshot
        self.problems: list[str] = []

    def problem(self, kind: str, position: int, label: str, message: str) -> None:
        where = self.snapshot.origin(kind, position)
        self.problems.append(f"{where} ({label}): {message}")

    def entries(self, kind: str) -> Iterable[tuple[int, dict, str]]:
        id_field = {
            "references": "key",
            "drug_classes": "slug",
            "ingredients": "name",
            "products": "name",
            "supplements": "slug",
            "supplement_cautions": "key",
            "interactions": "key",
            "symptoms": "code",
            "red_flags": "code",
            "look_alike_names": "names",
            "ambiguous_names": "name",
        }[kind]
        for position, entry in enumerate(self.snapshot.entries[kind]):
            yield position, entry, str(entry.get(id_field, "?"))


def _string_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def validate_knowledge_base(snapshot: SourcedSnapshot) -> None:
    """Raise KnowledgeBaseInvalid listing every problem found, or return if there is none."""
    check = _Checker(snapshot)
    entries = snapshot.entries

    # Shape: required and allowed fields.
    for kind, (required, optional) in FIELDS.items():
        for position, entry, label in check.entries(kind):
            missing = required - entry.keys()
            unknown = entry.keys() - required - optional
            if missing:
                check.problem(kind, position, label, f"missing field(s) {sorted(missing)}")
            if unknown:
                check.problem(kind, position, label, f"unknown field(s) {sorted(unknown)}")
    if check.problems:
        raise KnowledgeBaseInvalid(check.problems)

    def unique(kind: str, field_name: str) -> set[str]:
        seen: set[str] = set()
        for position, entry, label in check.entries(kind):
            value = entry[field_name]
            if not isinstance(value, str) or not value.strip():
                check.problem(kind, position, label, f"{field_name} must be a non-empty string")
            elif value in seen:
                check.problem(kind, position, label, f"duplicate {field_name} {value!r}")
            seen.add(value)
        return seen

    reference_keys = unique("references", "key")
    class_slugs = unique("drug_classes", "slug")
    ingredient_names = unique("ingredients", "name")
    unique("products", "name")
    supplement_slugs = unique("supplements", "slug")
    unique("supplement_cautions", "key")
    unique("interactions", "key")
    symptom_codes = unique("symptoms", "code")
    unique("red_flags", "code")

    def references_ok(kind, position, label, refs, *, required: bool) -> None:
        if refs is None:
            refs = []
        if not _string_list(refs):
            check.problem(kind, position, label, "references must be a list of reference keys")
            return
        if required and not refs:
            check.problem(kind, position, label, "needs at least one reference")
        for ref in refs:
            if ref not in reference_keys:
                check.problem(kind, position, label, f"unknown reference {ref!r}")

    for position, entry, label in check.entries("references"):
        if entry["kind"] not in REFERENCE_KINDS:
            check.problem(
                "references", position, label, f"kind must be one of {sorted(REFERENCE_KINDS)}"
            )
        if not str(entry.get("citation") or "").strip():
            check.problem("references", position, label, "citation is empty")

    for position, entry, label in check.entries("drug_classes"):
        evidence = entry["evidence"]
        if not isinstance(evidence, dict) or evidence.get("strength") not in STRENGTHS:
            check.problem(
                "drug_classes",
                position,
                label,
                f"evidence.strength must be one of {sorted(STRENGTHS)}",
            )
            continue
        if not isinstance(entry["cramp_linked"], bool):
            check.problem("drug_classes", position, label, "cramp_linked must be true or false")
        if entry["cramp_linked"]:
            references_ok(
                "drug_classes", position, label, evidence.get("references"), required=True
            )
            for text_field in ("mechanism", "patient_text"):
                if not str(entry.get(text_field) or "").strip():
                    check.problem(
                        "drug_classes", position, label, f"a cramp-linked class needs {text_field}"
                    )
        references_ok(
            "drug_classes", position, label, entry.get("references"), required=entry["cramp_linked"]
        )
        for code in entry.get("atc_codes") or []:
            if not isinstance(code, str) or not ATC_PREFIX.match(code):
                check.problem("drug_classes", position, label, f"bad ATC prefix {code!r}")

    for position, entry, label in check.entries("ingredients"):
        if label != label.lower().strip():
            check.problem("ingredients", position, label, "ingredient names are lower case")
        for list_field in ("synonyms", "salts", "atc", "classes"):
            if entry.get(list_field) is not None and not isinstance(entry.get(list_field), list):
                check.problem("ingredients", position, label, f"{list_field} must be a list")
        rxcui = entry.get("rxcui")
        if rxcui is not None and not RXCUI.match(str(rxcui)):
            check.problem("ingredients", position, label, f"rxcui {rxcui!r} is not an RxCUI")
        for code in entry.get("atc") or []:
            if not isinstance(code, str) or not ATC_CODE.match(code):
                check.problem("ingredients", position, label, f"bad ATC code {code!r}")
        for slug in entry.get("classes") or []:
            if slug not in class_slugs:
                check.problem("ingredients", position, label, f"unknown drug class {slug!r}")

    for position, entry, label in check.entries("products"):
        if not _string_list(entry["ingredients"]) or not entry["ingredients"]:
            check.problem("products", position, label, "ingredients must be a non-empty list")
            continue
        for name in entry["ingredients"]:
            if name not in ingredient_names:
                check.problem("products", position, label, f"unknown ingredient {name!r}")
        if entry.get("kind", "brand") not in PRODUCT_KINDS:
            check.problem(
                "products", position, label, f"kind must be one of {sorted(PRODUCT_KINDS)}"
            )
        for market in entry.get("markets") or []:
            if market not in MARKETS:
                check.problem("products", position, label, f"unknown market {market!r}")
        if entry.get("release") not in RELEASES:
            check.problem(
                "products", position, label, "release must be one of extended, modified, delayed"
            )

    for position, entry, label in check.entries("supplements"):
        for list_field in ("synonyms", "forms", "products", "also"):
            if entry.get(list_field) is not None and not _string_list(entry.get(list_field)):
                check.problem(
                    "supplements", position, label, f"{list_field} must be a list of names"
                )
        for slug in entry.get("also") or []:
            if slug not in supplement_slugs or slug == label:
                check.problem(
                    "supplements", position, label, f"also names unknown supplement {slug!r}"
                )
        references_ok("supplements", position, label, entry.get("references"), required=False)

    for position, entry, label in check.entries("supplement_cautions"):
        if entry["supplement"] not in supplement_slugs:
            check.problem(
                "supplement_cautions",
                position,
                label,
                f"unknown supplement {entry['supplement']!r}",
            )
        targets = [name for name in ("drug_class", "ingredient", "condition") if entry.get(name)]
        if len(targets) != 1:
            check.problem(
                "supplement_cautions",
                position,
                label,
                "needs exactly one of drug_class, ingredient or condition",
            )
        if entry.get("drug_class") and entry["drug_class"] not in class_slugs:
            check.problem(
                "supplement_cautions",
                position,
                label,
                f"unknown drug class {entry['drug_class']!r}",
            )
        if entry.get("ingredient") and entry["ingredient"] not in ingredient_names:
            check.problem(
                "supplement_cautions",
                position,
                label,
                f"unknown ingredient {entry['ingredient']!r}",
            )
        if entry.get("condition") and entry["condition"] not in CONDITIONS:
            check.problem(
                "supplement_cautions",
                position,
                label,
                f"condition must be one of {sorted(CONDITIONS)}",
            )
        if entry["severity"] not in SEVERITIES:
            check.problem(
                "supplement_cautions",
                position,
                label,
                f"severity must be one of {sorted(SEVERITIES)}",
            )
        references_ok("supplement_cautions", position, label, entry["references"], required=True)

    for position, entry, label in check.entries("interactions"):
        for side_name in ("left", "right"):
            side = entry[side_name]
            if not isinstance(side, dict) or not (
                side.get("ingredients") or side.get("drug_classes")
            ):
                check.problem(
                    "interactions",
                    position,
                    label,
                    f"{side_name} needs ingredients or drug_classes",
                )
                continue
            if side.keys() - {"ingredients", "drug_classes"}:
                check.problem("interactions", position, label, f"{side_name} has unknown fields")
            for name in side.get("ingredients") or []:
                if name not in ingredient_names:
                    check.problem(
                        "interactions", position, label, f"{side_name}: unknown ingredient {name!r}"
                    )
            for slug in side.get("drug_classes") or []:
                if slug not in class_slugs:
                    check.problem(
                        "interactions", position, label, f"{side_name}: unknown drug class {slug!r}"
                    )
        if entry["severity"] not in SEVERITIES:
            check.problem(
                "interactions", position, label, f"severity must be one of {sorted(SEVERITIES)}"
            )
        references_ok("interactions", position, label, entry["references"], required=True)

    for position, entry, label in check.entries("red_flags"):
        if not _string_list(entry["symptoms"]) or not entry["symptoms"]:
            check.problem(
                "red_flags", position, label, "symptoms must be a non-empty list of codes"
            )
        else:
            for code in entry["symptoms"]:
                if code not in symptom_codes:
                    check.problem("red_flags", position, label, f"unknown symptom {code!r}")
        for urgency_field in ("urgency", "urgency_with_related_class"):
            value = entry.get(urgency_field)
            if value is not None and value not in URGENCIES:
                check.problem(
                    "red_flags",
                    position,
                    label,
                    f"{urgency_field} must be one of {sorted(URGENCIES)}",
                )
        for slug in entry.get("related_classes") or []:
            if slug not in class_slugs:
                check.problem("red_flags", position, label, f"unknown drug class {slug!r}")
        references_ok("red_flags", position, label, entry.get("references"), required=False)

    # Every name must point at one thing only (case, spaces and hyphens ignored).
    owners: dict[str, tuple[str, str]] = {}

    def claim(name, target: str, kind: str, position: int, label: str) -> None:
        if not isinstance(name, str) or not name.strip():
            check.problem(kind, position, label, f"empty or non-text name {name!r}")
            return
        key = name_key(name)
        if not key:
            check.problem(kind, position, label, f"name {name!r} has no letters")
            return
        previous = owners.get(key)
        if previous is None:
            owners[key] = (target, check.snapshot.origin(kind, position))
        elif previous[0] != target:
            check.problem(
                kind,
                position,
                label,
                f"name {name!r} already points at {previous[0]} ({previous[1]})",
            )

    for position, entry, label in check.entries("ingredients"):
        target = f"ingredient {label}"
        for name in [entry["name"], *(entry.get("synonyms") or [])]:
            claim(name, target, "ingredients", position, label)
    for position, entry, label in check.entries("products"):
        target = f"product {label}"
        ingredients = entry["ingredients"] if isinstance(entry["ingredients"], list) else []
        if (
            len(ingredients) == 1
            and name_key(label) in owners
            and owners[name_key(label)][0] == f"ingredient {ingredients[0]}"
        ):
            continue  # a generic product named after its only ingredient
        claim(entry["name"], target, "products", position, label)
    for position, entry, label in check.entries("supplements"):
        target = f"supplement {label}"
        for list_field in ("synonyms", "forms", "products"):
            for name in entry.get(list_field) or []:
                claim(name, target, "supplements", position, label)
        claim(entry["name"], target, "supplements", position, label)

    for position, entry, label in check.entries("look_alike_names"):
        names = entry["names"]
        if not _string_list(names) or len(names) < 2:
            check.problem("look_alike_names", position, label, "names must list at least two names")
            continue
        for name in names:
            if name_key(name) not in owners:
                check.problem("look_alike_names", position, label, f"{name!r} is not a known name")
        if entry.get("reference") and entry["reference"] not in reference_keys:
            check.problem(
                "look_alike_names", position, label, f"unknown reference {entry['reference']!r}"
            )

    for position, entry, label in check.entries("ambiguous_names"):
        if name_key(str(entry["name"])) in owners:
            check.problem(
                "ambiguous_names",
                position,
                label,
                f"{entry['name']!r} is listed as ambiguous but also defined as {owners[name_key(str(entry['name']))][0]}",
            )

    if not entries["drug_classes"]:
        check.problems.append("drug_classes.yaml: no drug classes")
    if check.problems:
        raise KnowledgeBaseInvalid(check.problems)
