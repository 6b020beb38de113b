"""The OpenAPI (JSON Schema) description of the FHIR R4 resources a screening accepts.

The elements the reader uses, with FHIR's own rules for their primitive types and codes.
They are also exactly what the reader checks (screening.fhir.medications keeps only the
elements described here before the FHIR model validates them): every other element of a
resource, defined by FHIR or not, is accepted and neither read nor checked. Other
resources in a Bundle, and contained resources that are not Medications, are accepted and
not read. Published as components (pharmacy_site/settings.py, APPEND_COMPONENTS) and
referenced by the line field.
"""

from screening.fhir.medications import (
    MAX_BUNDLE_ENTRIES,
    MEDICATION_RESOURCES,
    REQUEST_INTENTS,
    STATUSES,
)

# FHIR R4 primitive types (http://hl7.org/fhir/R4/datatypes.html), as fhir.resources checks them.
# FHIR writes these with \s and \S, whose meaning differs between regex engines (ECMA-262,
# which JSON Schema uses, leaves out U+0085; the Rust engine fhir.resources' pydantic uses
# follows Unicode White_Space). Spelled out here, both read them the same.
_SPACE = r"\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACE = r"\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
STRING = {"type": "string", "pattern": rf"[^{_OTHER_SPACE}]"}
CODE = {"type": "string", "pattern": rf"^[^{_SPACE}]+([{_SPACE}][^{_SPACE}]+)*$"}
ID = {"type": "string", "pattern": r"^[A-Za-z0-9\-.]+$"}
URI = {"type": "string"}
# FHIR's dateTime regex (as fhir.resources checks it), with the day spelled out per month
# and leap year so that every string the pattern allows is a real date.
_YEAR = r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)"
_LEAP_YEAR = r"([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_DAY = (
    rf"({_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|{_YEAR}-(0[13-9]|1[0-2])-(29|30)"
    rf"|{_YEAR}-(0[13578]|1[02])-31|{_LEAP_YEAR}-02-29)"
)
_TIME = (
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?"
    r"(Z|[+\-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
)
DATE_TIME = {"type": "string", "pattern": rf"^({_YEAR}(-(0[1-9]|1[0-2]))?|{_DAY}({_TIME})?)$"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: tuple[str, ...] = (), **extra) -> dict:
    return {
        "type": "object",
        "properties": properties,
        **({"required": list(required)} if required else {}),
        **extra,
    }


def _resource(resource_type: str, properties: dict, required: tuple[str, ...] = ()) -> dict:
    return _object(
        {"resourceType": {"type": "string", "enum": [resource_type]}, "id": ID, **properties},
        ("resourceType", *required),
    )


_MEDICATION_CHOICE = {
    "medicationCodeableConcept": _ref("FhirCodeableConcept"),
    "medicationReference": _ref("FhirReference"),
}
# medication[x] is 1..1: exactly one of its two forms.
_ONE_MEDICATION = {
    "oneOf": [{"required": ["medicationCodeableConcept"]}, {"required": ["medicationReference"]}]
}
_DOSAGES = {"type": "array", "items": _ref("FhirDosage")}
_CONTAINED = {
    "type": "array",
    "items": {"oneOf": [_ref("FhirMedication"), _ref("FhirContainedResource")]},
}
_SUBJECT = {"subject": _ref("FhirReference")}
_DOSAGE_FIELD = {
    "MedicationStatement": "dosage",
    "MedicationRequest": "dosageInstruction",
    "MedicationDispense": "dosageInstruction",
}
_REQUIRED = {
    "MedicationStatement": ("status", "subject"),
    "MedicationRequest": ("status", "intent", "subject"),
    "MedicationDispense": ("status",),
    "MedicationAdministration": ("status", "subject"),
}


def _medication_resource(resource_type: str) -> dict:
    properties = {
        "status": {"type": "string", "enum": STATUSES[resource_type]},
        **_SUBJECT,
        **_MEDICATION_CHOICE,
        "contained": _CONTAINED,
    }
    if resource_type in _DOSAGE_FIELD:
        properties[_DOSAGE_FIELD[resource_type]] = _DOSAGES
    if resource_type == "MedicationRequest":
        properties["intent"] = {"type": "string", "enum": REQUEST_INTENTS}
        # true: an order NOT to give the medicine, listed as not screened
        properties["doNotPerform"] = {"type": "boolean"}
    if resource_type == "MedicationAdministration":
        properties["effectiveDateTime"] = DATE_TIME
        properties["effectivePeriod"] = _object({"start": DATE_TIME, "end": DATE_TIME})
        properties["dosage"] = _object({"text": STRING})
    schema = _resource(resource_type, properties, _REQUIRED[resource_type])
    if resource_type == "MedicationAdministration":
        # effective[x] is 1..1 too
        schema["allOf"] = [
            _ONE_MEDICATION,
            {"oneOf": [{"required": ["effectiveDateTime"]}, {"required": ["effectivePeriod"]}]},
        ]
    else:
        schema.update(_ONE_MEDICATION)
    schema["description"] = (
        f"A FHIR R4 {resource_type} (http://hl7.org/fhir/R4/{resource_type.lower()}.html)."
    )
    return schema


COMPONENTS = {
    "FhirCoding": _object(
        {
            "system": URI,
            "version": STRING,
            "code": CODE,
            "display": STRING,
            "userSelected": {"type": "boolean"},
        }
    ),
    "FhirCodeableConcept": _object(
        {"coding": {"type": "array", "items": _ref("FhirCoding")}, "text": STRING}
    ),
    "FhirReference": _object({"reference": STRING, "display": STRING}),
    "FhirDosage": _object({"text": STRING}),
    "FhirMedication": {
        **_resource(
            "Medication",
            {
                "code": _ref("FhirCodeableConcept"),
                "ingredient": {
                    "type": "array",
                    "items": {
                        **_object(
                            {
                                "itemCodeableConcept": _ref("FhirCodeableConcept"),
                                "itemReference": _ref("FhirReference"),
                                "isActive": {"type": "boolean"},
                            }
                        ),
                        # item[x] is 1..1
                        "oneOf": [
                            {"required": ["itemCodeableConcept"]},
                            {"required": ["itemReference"]},
                        ],
                    },
                },
            },
        ),
        "description": "A FHIR R4 Medication, contained or in the same Bundle.",
    },
    **{f"Fhir{name}": _medication_resource(name) for name in MEDICATION_RESOURCES},
    "FhirContainedResource": {
        "type": "object",
        "description": "A contained resource other than a Medication: accepted, not read.",
        "required": ["resourceType"],
        "properties": {
            "resourceType": {
                "type": "string",
                "pattern": r"^[A-Z][A-Za-z]{1,63}$",
                "not": {"enum": ["Medication"]},
            }
        },
    },
    "FhirOtherResource": {
        "type": "object",
        "description": "Any other resource in a Bundle: accepted, and listed as not screened.",
        "required": ["resourceType"],
        "properties": {
            "resourceType": {
                "type": "string",
                "pattern": r"^[A-Z][A-Za-z]{1,63}$",
                "not": {"enum": ["Bundle", "Medication", *MEDICATION_RESOURCES]},
            }
        },
    },
    "FhirBundle": {
        **_resource(
            "Bundle",
            {
                "type": {
                    "type": "string",
                    "enum": "document message transaction transaction-response batch "
                    "batch-response history searchset collection".split(),
                },
                "entry": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": MAX_BUNDLE_ENTRIES,
                    "items": _object(
                        {
                            "fullUrl": URI,
                            "resource": {
                                "oneOf": [
                                    *(_ref(f"Fhir{name}") for name in MEDICATION_RESOURCES),
                                    _ref("FhirMedication"),
                                    _ref("FhirOtherResource"),
                                ]
                            },
                        },
                        ("resource",),
                    ),
                },
            },
            ("type", "entry"),
        ),
        "description": "A FHIR R4 Bundle of medication resources (and their Medications).",
    },
}
