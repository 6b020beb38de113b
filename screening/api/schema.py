"""What drf-spectacular cannot see by itself: the request shapes written as JSON Schema
(coded lines and FHIR resources), and the error bodies every operation may answer with.

Registered as a postprocessing hook (SPECTACULAR_SETTINGS), so `manage.py spectacular
--validate --fail-on-warn` checks the whole contract, and the fuzzer (tests/api/
test_contract_fuzzing.py) tests the service against it.
"""

from screening.api.closed import closed_request_components
from screening.fhir.schema import COMPONENTS as FHIR_COMPONENTS
from screening.services.screenings import MAX_LINE_LENGTH

CODING = {
    "type": "object",
    "description": "A code with its system (RxNorm, NDC, ATC, or any other, kept and echoed) "
    "and the display read when the code is not known. FHIR's Coding.",
    "required": ["system", "code"],
    "properties": {
        "system": {"type": "string", "minLength": 1, "maxLength": 200},
        "code": {"type": "string", "minLength": 1, "maxLength": 50},
        "display": {"type": "string", "maxLength": 200},
        "version": {"type": "string", "maxLength": 100},
        "userSelected": {"type": "boolean"},
    },
}
CODED_LINE = {
    "type": "object",
    "description": "A line with codes, shaped as a FHIR CodeableConcept. The first code that "
    "names a medicine is used; otherwise a coding's display, then the text, is read.",
    "properties": {
        "text": {"type": "string", "maxLength": MAX_LINE_LENGTH},
        "coding": {"type": "array", "items": {"$ref": "#/components/schemas/CodingInput"}},
    },
    "anyOf": [
        {"required": ["text"], "properties": {"text": {"minLength": 1}}},
        {"required": ["coding"], "properties": {"coding": {"minItems": 1}}},
    ],
    # An object with a resourceType is read as a FHIR resource.
    "not": {"required": ["resourceType"]},
}
ERROR = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "description": "A stable code: not_found, throttled, ..."},
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
    },
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "`invalid` names each field in `fields`; `parse_error` (the body is not "
    "JSON, nests too deep, or holds an unpaired surrogate) says where in `detail`.",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string", "enum": ["invalid", "parse_error", "bad_request"]},
        "detail": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "Each invalid field and its messages; items of a list by their "
            "index (a FHIR resource's message names its FHIR path).",
            "additionalProperties": True,
        },
    },
}

_ERRORS = {
    "400": ("The request is invalid: each field and what is wrong with it.", "ValidationError"),
    "401": ("No valid credentials were sent.", "Error"),
    "403": ("The credentials do not allow this.", "Error"),
    "404": ("Not found, or not your pharmacy's.", "Error"),
    "406": ("None of the media types in Accept can be produced.", "Error"),
    "413": ("The request body is too large.", "Error"),
    "415": ("The body is not JSON.", "Error"),
    "422": ("The Idempotency-Key was already used for a different request.", "Error"),
    "503": ("The database cannot be reached just now: retry after Retry-After.", "Error"),
    "429": ("Too many requests: wait the seconds in Retry-After.", "Error"),
}


def _error_codes(path: str, method: str, operation: dict) -> list[str]:
    codes = ["401", "403", "406", "429"]
    if "{" in path:
        codes.append("404")
    if method in {"post", "put", "patch"}:
        codes += ["400", "413", "415"]
    elif any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
        codes.append("400")
    if any(
        parameter.get("name") == "Idempotency-Key" for parameter in operation.get("parameters", [])
    ):
        codes.append("422")
    codes.append("503")
    if not operation.get("security", True):
        codes = [code for code in codes if code not in {"401", "403"}]
    return codes


def add_contract(result, generator, request, public):
    """The postprocessing hook: components, then the error responses of each operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    added = {
        **FHIR_COMPONENTS,
        "CodingInput": CODING,
        "CodedLine": CODED_LINE,
        "Error": ERROR,
        "ValidationError": VALIDATION_ERROR,
    }
    clashes = set(added) & set(schemas)
    if clashes:  # a generated component of the same name would be silently replaced
        raise ValueError(f"OpenAPI component names used twice: {sorted(clashes)}")
    schemas.update(added)
    for name in closed_request_components():
        # KeyError here: a closed serializer's component was renamed or is not a request.
        schemas[name]["additionalProperties"] = False
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in _error_codes(path, method, operation):
                description, component = _ERRORS[code]
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
    return result
