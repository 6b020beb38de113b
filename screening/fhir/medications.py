"""Medication resources sent by a pharmacy system, read as the lines of a list.

Accepted: MedicationStatement, MedicationRequest, MedicationDispense and
MedicationAdministration, alone or in a Bundle. The medicine is `medicationCodeableConcept`
or `medicationReference` to a contained or bundled Medication (its `code`, else its
ingredients); the dosage text rides along as words the reader ignores (it may say the
route). A resource whose status says the medicine is not being taken is not screened, and
the result says so. Each line keeps where it came from (resource type, id, reference).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

MEDICATION_RESOURCES = (
    "MedicationStatement",
    "MedicationRequest",
    "MedicationDispense",
    "MedicationAdministration",
)
# Every status of each resource (R4 value sets; fhir.resources does not check codes).
STATUSES = {
    "MedicationStatement": (
        "active completed entered-in-error intended stopped on-hold unknown not-taken"
    ).split(),
    "MedicationRequest": (
        "active on-hold cancelled completed entered-in-error stopped draft unknown"
    ).split(),
    "MedicationDispense": (
        "preparation in-progress cancelled on-hold completed entered-in-error stopped "
        "declined unknown"
    ).split(),
    "MedicationAdministration": (
        "in-progress not-done on-hold completed entered-in-error stopped unknown"
    ).split(),
}
# Statuses under which the patient is not taking the medicine, so it is not screened.
# A completed statement or request is over; a completed dispense or administration is
# a medicine the patient has been given, and is screened.
NOT_TAKEN = {
    "MedicationStatement": {"stopped", "entered-in-error", "completed", "not-taken"},
    "MedicationRequest": {"stopped", "entered-in-error", "cancelled", "completed"},
    "MedicationDispense": {"stopped", "entered-in-error", "cancelled", "declined"},
    "MedicationAdministration": {"stopped", "entered-in-error", "not-done"},
}
REQUEST_INTENTS = (
    "proposal plan order original-order reflex-order filler-order instance-order option".split()
)
# Codes bound to a required value set, which fhir.resources does not check.
REQUIRED_CODES = {
    name: {
        "status": STATUSES[name],
        **({"intent": REQUEST_INTENTS} if name == "MedicationRequest" else {}),
    }
    for name in MEDICATION_RESOURCES
}
_DOSAGE = {
    "MedicationStatement": "dosage",
    "MedicationRequest": "dosageInstruction",
    "MedicationDispense": "dosageInstruction",
}


_ID = re.compile(r"^[A-Za-z0-9\-.]+$")
_RESOURCE_TYPE = re.compile(r"^[A-Z][A-Za-z]{1,63}$")


class FhirInputError(ValueError):
    """An invalid resource: `path` is its FHIR path ("MedicationStatement.status")."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


@dataclass
class FhirLines:
    """What one sent item (a resource or a Bundle) holds: lines to screen, and resources
    that are not screened with the reason."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    not_screened: list[dict[str, str]] = field(default_factory=list)
    from_bundle: bool = False
    entries: int = 1  # the Bundle's entries, or 1 for a single resource
    medication_resources: int = 1  # those of them that are medication resources (lines)


def is_fhir(item: object) -> bool:
    return isinstance(item, Mapping) and "resourceType" in item


def read_fhir_item(item: Mapping[str, Any], bundled: Mapping[str, Any] | None = None) -> FhirLines:
    """A resource or a Bundle of them, as stored request lines (text, coding, source).
    A resource read alone from a Bundle it came in refers to that Bundle's Medications
    through `bundled` (`bundle_medications`)."""
    resource_type = item.get("resourceType")
    if resource_type == "Bundle":
        read = _read_bundle(item)
    elif resource_type in MEDICATION_RESOURCES:
        read = FhirLines()
        _add_resource(read, _parse(item, str(resource_type)), bundled or {}, reference=None)
    else:
        raise FhirInputError(
            "resourceType",
            f"'{str(resource_type)[:60]}' is not one of Bundle, {', '.join(MEDICATION_RESOURCES)}",
        )
    return FhirLines(
        lines=_storable(read.lines),
        not_screened=_storable(read.not_screened),
        from_bundle=resource_type == "Bundle",
        entries=len(item.get("entry") or ()) if resource_type == "Bundle" else 1,
        medication_resources=read.medication_resources,
    )


def _storable(value: Any) -> Any:
    """NUL cannot be stored in PostgreSQL text or JSON: shown as U+FFFD, nothing dropped."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    return value


def _parse(resource: Mapping[str, Any], path: str):
    """The resource as a FHIR R4 model, checked in the elements the screening reads.

    Those are the elements the OpenAPI schema describes (screening/fhir/schema.py), and
    only they are given to the model: every other element, defined by FHIR or not, is
    neither read nor checked, so an odd `note` or `meta` from a sender's system never
    stops a screening, and what is refused is exactly what the published schema refuses."""
    resource_type = str(resource.get("resourceType"))
    try:
        model = get_fhir_model_class(resource_type)
    except (KeyError, ValueError) as error:
        raise FhirInputError(path, f"unknown resource type '{resource_type[:60]}'") from error
    data = _described(resource, f"Fhir{resource_type}")
    if isinstance(data.get("contained"), list):
        data["contained"] = [
            _contained(item, f"{path}.contained[{position}]")
            for position, item in enumerate(data["contained"])
        ]
    try:
        parsed = model.model_validate(data)
    except (KeyError, TypeError) as error:  # fhir_core's own checks, outside pydantic's
        raise FhirInputError(path, "is not valid FHIR R4") from error
    except ValidationError as error:
        first = error.errors()[0]
        raise FhirInputError(_path(path, first["loc"]), first["msg"]) from error
    _no_nulls(data, path)
    _same_json_types(data, parsed.model_dump(mode="json", by_alias=True, exclude_none=True), path)
    for element, codes in REQUIRED_CODES.get(resource_type, {}).items():
        value = getattr(parsed, element, None)
        if value is not None and value not in codes:
            raise FhirInputError(
                f"{path}.{element}",
                f"'{str(value)[:40]}' is not a {resource_type} {element} ({', '.join(codes)})",
            )
    return parsed


# A contained resource that is not a Medication is not read. It stands in the list as an
# empty Basic resource, so that positions in error paths stay those the sender wrote.
_NOT_READ = {"resourceType": "Basic", "code": {"text": "contained resource not read"}}


def _contained(item: Any, path: str) -> Any:
    if not (isinstance(item, Mapping) and isinstance(item.get("resourceType"), str)):
        raise FhirInputError(f"{path}.resourceType", "must name a FHIR resource")
    if not _RESOURCE_TYPE.match(item["resourceType"]):
        raise FhirInputError(f"{path}.resourceType", "must name a FHIR resource")
    if item["resourceType"] != "Medication":
        return dict(_NOT_READ)
    return _described(item, "FhirMedication")


def _described(value: Any, component: str) -> Any:
    """`value` with only the elements the schema component describes, at every depth."""
    from screening.fhir.schema import COMPONENTS  # the schema is built from this module

    return _prune(value, COMPONENTS[component], COMPONENTS)


def _prune(value: Any, schema: Mapping[str, Any], components: Mapping[str, Any]) -> Any:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    properties = schema.get("properties")
    if properties is not None and isinstance(value, Mapping):
        return {
            key: _prune(item, properties[key], components)
            for key, item in value.items()
            if key in properties
        }
    if "items" in schema and isinstance(value, list):
        return [_prune(item, schema["items"], components) for item in value]
    return value  # a wrong JSON type is left for the model to refuse, with its path


def _no_nulls(value: Any, path: str) -> None:
    """FHIR's JSON never carries null (an element is absent instead); the models would
    take it as absent, so it is refused here, where the path can be named."""
    pending = [(value, path)]
    while pending:
        item, where = pending.pop()
        if item is None:
            raise FhirInputError(where, "null is not allowed in FHIR JSON; leave the element out")
        if isinstance(item, Mapping):
            pending.extend((child, f"{where}.{key}") for key, child in item.items())
        elif isinstance(item, list):
            pending.extend((child, f"{where}[{i}]") for i, child in enumerate(item))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _same_json_types(sent: Any, read: Any, path: str) -> None:
    """The models coerce (0 to false, "1" to 1); FHIR's JSON does not: a boolean is true or
    false, a number is a number. Compared against what the model read."""
    pending = [(sent, read, path)]
    while pending:
        sent_value, read_value, where = pending.pop()
        if _json_type(sent_value) != _json_type(read_value):
            raise FhirInputError(where, f"must be a JSON {_json_type(read_value)}")
        if isinstance(sent_value, Mapping):
            pending.extend(
                (child, read_value[key], f"{where}.{key}")
                for key, child in sent_value.items()
                if key in read_value
            )
        elif isinstance(sent_value, list):
            pending.extend(
                (child, read_child, f"{where}[{i}]")
                for i, (child, read_child) in enumerate(zip(sent_value, read_value, strict=False))
            )


def _path(prefix: str, loc: Sequence[Any]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


BUNDLE_TYPES = (
    "document message transaction transaction-response batch batch-response history "
    "searchset collection"
).split()
# Room for each of 100 medication resources with the Medication it refers to (a search
# with _include) and other resources (the Patient); the lines it holds are limited apart.
MAX_BUNDLE_ENTRIES = 300


def bundle_medications(entries: Any) -> dict[str, Any]:
    """The Medications among a Bundle's entries, by fullUrl and by "Medication/id", for its
    other resources read one at a time (CDS Hooks' draftOrders). A Medication that cannot
    be read is left out: an order that refers to it says its Medication was not sent."""
    medications: dict[str, Any] = {}
    for position, entry in enumerate(entries if isinstance(entries, list) else ()):
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping) or resource.get("resourceType") != "Medication":
            continue
        try:
            medication = _parse(resource, f"Bundle.entry[{position}].resource")
        except FhirInputError:
            continue
        full_url = entry.get("fullUrl")
        _file_medication(medications, medication, full_url if isinstance(full_url, str) else "")
    return medications


# Filed under a "Medication/id" that two of the Bundle's Medications share: a reference
# to it could mean either, so neither is guessed.
AMBIGUOUS = object()


def _file_medication(medications: dict[str, Any], medication: Any, full_url: str) -> None:
    if full_url:
        medications[full_url] = medication
    key = f"Medication/{medication.id}" if medication.id else ""
    if key and medications.get(key, medication) is not medication:
        medications[key] = AMBIGUOUS
    elif key:
        medications[key] = medication


def _read_bundle(bundle: Mapping[str, Any]) -> FhirLines:
    if bundle.get("type") not in BUNDLE_TYPES:
        raise FhirInputError("Bundle.type", f"required, one of {', '.join(BUNDLE_TYPES)}")
    if "id" in bundle and not (isinstance(bundle["id"], str) and _ID.match(bundle["id"])):
        raise FhirInputError("Bundle.id", "must be a FHIR id ([A-Za-z0-9-.]+)")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise FhirInputError("Bundle.entry", "must be a list")
    if len(entries) > MAX_BUNDLE_ENTRIES:
        raise FhirInputError("Bundle.entry", f"at most {MAX_BUNDLE_ENTRIES} entries")
    if not entries:
        raise FhirInputError("Bundle.entry", "the Bundle is empty: nothing to screen")
    medications: dict[str, Any] = {}  # fullUrl or "Medication/id" -> parsed Medication
    bundled: list[tuple[Any, str]] = []  # each Medication once, with its fullUrl
    found: list[tuple[int, Mapping[str, Any], str | None]] = []
    full_urls: set[str] = set()
    read = FhirLines()
    for position, entry in enumerate(entries):
        path = f"Bundle.entry[{position}]"
        resource = entry.get("resource") if isinstance(entry, Mapping) else None
        if not isinstance(resource, Mapping):
            raise FhirInputError(f"{path}.resource", "each entry must hold a resource")
        full_url = entry.get("fullUrl")
        if "fullUrl" in entry and not isinstance(full_url, str):
            raise FhirInputError(f"{path}.fullUrl", "must be a string (a uri)")
        if full_url and bundle.get("type") != "history":
            # bdl-7 (a history Bundle may repeat one as versions): two entries with one
            # fullUrl would leave a reference to it ambiguous.
            if full_url in full_urls:
                raise FhirInputError(f"{path}.fullUrl", "another entry has the same fullUrl")
            full_urls.add(full_url)
        resource_type = resource.get("resourceType")
        if not isinstance(resource_type, str) or not _RESOURCE_TYPE.match(resource_type):
            raise FhirInputError(f"{path}.resource.resourceType", "must name a FHIR resource")
        if resource_type == "Medication":
            medication = _parse(resource, f"{path}.resource")
            bundled.append((medication, full_url or ""))
            _file_medication(medications, medication, full_url or "")
        elif resource_type in MEDICATION_RESOURCES:
            found.append((position, resource, full_url))
        elif resource_type == "Bundle":
            raise FhirInputError(f"{path}.resource", "a Bundle inside a Bundle is not read")
        else:
            read.not_screened.append(
                _source(str(resource_type)[:60], resource.get("id"), full_url, "")
                | {"reason": "not a medication resource"}
            )
    read.medication_resources = len(found)
    used: set[int] = set()
    for position, resource, full_url in found:
        parsed = _parse(resource, f"Bundle.entry[{position}].resource")
        _add_resource(read, parsed, medications, reference=full_url, used=used)
    for medication, full_url in bundled:
        if id(medication) not in used:
            read.not_screened.append(
                _source("Medication", medication.id, full_url, "")
                | {"reason": "a Medication alone does not say the patient takes it"}
            )
    return read


def _source(resource_type: str, resource_id: Any, reference: str | None, status: str) -> dict:
    resource_id = str(resource_id or "")[:64]
    return {
        "resource_type": resource_type,
        "id": resource_id,
        "reference": (reference or (f"{resource_type}/{resource_id}" if resource_id else ""))[:200],
        "status": status,
    }


def _add_resource(
    read: FhirLines,
    parsed: Any,
    bundled: Mapping[str, Any],
    reference: str | None,
    used: set[int] | None = None,
) -> None:
    resource_type = parsed.get_resource_type()
    status = str(parsed.status)
    source = _source(resource_type, parsed.id, reference, status)
    target = parsed.medicationReference.reference if parsed.medicationReference else None
    if used is not None and bundled.get(target) not in (None, AMBIGUOUS):
        used.add(id(bundled[target]))
    if status in NOT_TAKEN[resource_type]:
        read.not_screened.append(source | {"reason": f"status '{status}': not being taken"})
        return
    if getattr(parsed, "doNotPerform", None) is True:
        # An order that the medicine must not be given: screening it as taken would raise
        # alerts (and suggest removing it) about a medicine the patient will not have.
        read.not_screened.append(source | {"reason": "doNotPerform: an order not to give it"})
        return
    concept, note = _medicine(parsed, bundled)
    words = [concept.get("text", ""), _dosage_text(parsed)]
    line: dict[str, Any] = {
        "text": " ".join(word for word in words if word)[:500],
        "coding": concept.get("coding", []),
        "source": source,
    }
    if note:
        line["note"] = note
    read.lines.append(line)


def _medicine(parsed: Any, bundled: Mapping[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The medicine as a concept (text and coding), and a note when it could not be found."""
    if parsed.medicationCodeableConcept is not None:
        return _concept(parsed.medicationCodeableConcept), None
    reference = parsed.medicationReference
    target = (reference.reference or "") if reference is not None else ""
    medication = None
    if target.startswith("#"):
        medication = next(
            (c for c in parsed.contained or () if c.id == target[1:] and _is_medication(c)), None
        )
    elif target:
        medication = bundled.get(target)
    display = (reference.display or "") if reference is not None else ""
    if medication is AMBIGUOUS:
        note = (
            f"two Medications of the Bundle are {target[:80]}, so it is not known which one it "
            "refers to: refer to the entry's fullUrl"
        )
        return {"text": display}, note
    if medication is not None:
        return _medication_concept(medication), None
    note = f"the Medication it refers to ({target[:80] or 'no reference'}) was not sent"
    return {"text": display}, note


def _is_medication(resource: Any) -> bool:
    return resource.get_resource_type() == "Medication"


def _medication_concept(medication: Any) -> dict[str, Any]:
    """A Medication's code; without one, its ingredients written as a combination."""
    if medication.code is not None and (medication.code.coding or medication.code.text):
        return _concept(medication.code)
    names = []
    for ingredient in medication.ingredient or ():
        item = ingredient.itemCodeableConcept
        if item is not None:
            names.append(item.text or next((c.display for c in item.coding or () if c.display), ""))
        elif ingredient.itemReference is not None and ingredient.itemReference.display:
            names.append(ingredient.itemReference.display)
    return {"text": " / ".join(name for name in names if name)}


def _concept(concept: Any) -> dict[str, Any]:
    return {
        "text": concept.text or "",
        "coding": [
            {
                "system": str(coding.system or "")[:200],
                "code": str(coding.code or "")[:50],
                "display": str(coding.display or "")[:200],
            }
            for coding in concept.coding or ()
            if coding.code
        ],
    }


def _dosage_text(parsed: Any) -> str:
    resource_type = parsed.get_resource_type()
    if resource_type == "MedicationAdministration":
        return (parsed.dosage.text or "") if parsed.dosage is not None else ""
    dosages = getattr(parsed, _DOSAGE[resource_type]) or ()
    return " ".join(dosage.text for dosage in dosages if dosage.text)
