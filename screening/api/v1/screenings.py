"""POST /api/v1/screenings/ and GET /api/v1/screenings/{id}/ (contract: docs/api.md)."""

import datetime
import uuid

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from pydantic import BaseModel
from rest_framework import serializers, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.engine.result import ScreeningResult
from screening.fhir.detected_issues import detected_issue_bundle
from screening.fhir.medications import (
    MEDICATION_RESOURCES,
    FhirInputError,
    FhirLines,
    is_fhir,
    read_fhir_item,
)
from screening.models import ApiClient, Screening
from screening.selectors.pharmacies import caller_pharmacy
from screening.selectors.screenings import screening_get
from screening.services.screenings import (
    MAX_LINE_LENGTH,
    MAX_MEDICATIONS,
    MAX_SUPPLEMENTS,
    screening_create,
    screening_result,
)


class StrictCharField(serializers.CharField):
    """A JSON string only: DRF's CharField would turn 12 or true into "12" and "True".
    A NUL (which PostgreSQL cannot store) is kept as U+FFFD rather than refused."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data.replace("\x00", "\ufffd"))


class StrictBooleanField(serializers.BooleanField):
    """A JSON true or false only: DRF's BooleanField would take 0, "yes" and "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class CodingSerializer(serializers.Serializer):
    """A FHIR Coding: the code, its system, and the display read when the code is not known."""

    system = StrictCharField(max_length=200, trim_whitespace=False)
    code = StrictCharField(max_length=50, trim_whitespace=False)
    display = StrictCharField(
        max_length=200, trim_whitespace=False, required=False, allow_blank=True, default=""
    )
    version = StrictCharField(max_length=100, required=False, allow_blank=True)
    userSelected = StrictBooleanField(required=False)  # noqa: N815 (FHIR's name)


class CodedLineSerializer(serializers.Serializer):
    """A line with codes, shaped as a FHIR CodeableConcept (text and coding)."""

    text = StrictCharField(
        max_length=MAX_LINE_LENGTH, allow_blank=True, trim_whitespace=False, default=""
    )
    coding = CodingSerializer(many=True, required=False, default=list)

    def validate(self, attrs):
        if not attrs.get("text") and not attrs.get("coding"):
            raise serializers.ValidationError("Give the line's text, a coding, or both.")
        return attrs


def _storable(text: str) -> str:
    """NUL cannot be stored in PostgreSQL text or JSON; show it as U+FFFD, keep the line."""
    return text.replace("\x00", "\ufffd")


def _stored_coding(coding: dict) -> dict:
    return {key: _storable(coding[key]) for key in ("system", "code", "display")}


LINE_SCHEMA = {
    "description": (
        "A line of the list: plain text as written ('Lasix 40 mg 1 po qam'); a coded line "
        "(a FHIR CodeableConcept: text and/or coding with RxNorm, NDC or ATC codes); or a "
        "FHIR R4 MedicationStatement, MedicationRequest, MedicationDispense or "
        "MedicationAdministration."
    ),
    "oneOf": [
        {"type": "string", "maxLength": MAX_LINE_LENGTH},
        {"$ref": "#/components/schemas/CodedLine"},
        *({"$ref": f"#/components/schemas/Fhir{name}"} for name in MEDICATION_RESOURCES),
    ],
}


def lines_schema(limit: int, *, min_items: int) -> dict:
    """A list of up to `limit` lines, or one FHIR Bundle of up to `limit` entries (each
    medication resource in it is a line)."""
    return {
        "oneOf": [
            {"type": "array", "items": LINE_SCHEMA, "minItems": min_items, "maxItems": limit},
            {
                "type": "array",
                "description": "A FHIR R4 Bundle, sent alone.",
                "items": {
                    "allOf": [
                        {"$ref": "#/components/schemas/FhirBundle"},
                        {"properties": {"entry": {"maxItems": limit}}},
                    ]
                },
                "minItems": 1,
                "maxItems": 1,
            },
        ]
    }


class LineField(serializers.Field):
    """One sent item: text, a coded line, or FHIR (which may hold several lines)."""

    default_error_messages = {
        "type": "Each line must be a string, an object with 'text' and/or 'coding', or a FHIR "
        "R4 medication resource or Bundle.",
        "too_long": f"A line may have at most {MAX_LINE_LENGTH} characters.",
    }

    def to_internal_value(self, data) -> FhirLines:
        if isinstance(data, str):
            if len(data) > MAX_LINE_LENGTH:
                self.fail("too_long")
            return FhirLines(lines=[_storable(data)])
        if is_fhir(data):
            try:
                return read_fhir_item(data)
            except FhirInputError as error:
                raise serializers.ValidationError(str(error)) from error
        if isinstance(data, dict):
            line = CodedLineSerializer(data=data)
            line.is_valid(raise_exception=True)
            return FhirLines(
                lines=[
                    {
                        "text": _storable(line.validated_data["text"]),
                        "coding": [_stored_coding(c) for c in line.validated_data["coding"]],
                    }
                ]
            )
        self.fail("type")

    def to_representation(self, value):
        return value


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only: never "12", 12.5 or true (12.0 is an integer in JSON Schema)."""

    def to_internal_value(self, data):
        if isinstance(data, float) and data.is_integer():
            data = int(data)
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class NumberField(serializers.FloatField):
    """A JSON number only: never true/false (which float() reads as 1 and 0) or a string."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class PatientSerializer(serializers.Serializer):
    age = StrictIntegerField(min_value=0, max_value=130, required=False, allow_null=True)
    egfr = NumberField(min_value=0, max_value=250, required=False, allow_null=True)
    symptoms = serializers.ListField(
        child=StrictCharField(max_length=60), max_length=30, required=False, default=list
    )
    language = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES], required=False, allow_null=True
    )


@extend_schema_field(lines_schema(MAX_MEDICATIONS, min_items=1))
class MedicationLinesField(serializers.ListField):
    pass


@extend_schema_field(lines_schema(MAX_SUPPLEMENTS, min_items=0))
class SupplementLinesField(serializers.ListField):
    pass


class ScreeningInputSerializer(serializers.Serializer):
    medications = MedicationLinesField(child=LineField(), min_length=1, max_length=MAX_MEDICATIONS)
    supplements = SupplementLinesField(
        child=LineField(), max_length=MAX_SUPPLEMENTS, required=False, default=list
    )
    patient = PatientSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        """FHIR items are read into their lines here. A Bundle comes alone (its entries
        are the list), so the limits hold for the lines."""
        not_screened: list[dict] = []
        for name, limit in (("medications", MAX_MEDICATIONS), ("supplements", MAX_SUPPLEMENTS)):
            read = attrs.get(name) or []
            if len(read) > 1 and any(item.from_bundle for item in read):
                raise serializers.ValidationError(
                    {name: ["A Bundle is sent alone: put every resource in it."]}
                )
            if read and read[0].from_bundle and read[0].entries > limit:
                raise serializers.ValidationError(
                    {name: [f"At most {limit} entries in the Bundle."]}
                )
            attrs[name] = [line for item in read for line in item.lines]
            not_screened += [resource for item in read for resource in item.not_screened]
            if len(attrs[name]) > limit:
                raise serializers.ValidationError({name: [f"At most {limit} lines."]})
        attrs["not_screened_resources"] = not_screened
        return attrs


EXAMPLE_REQUEST = {
    "medications": [
        "Lasix 40 mg 1 po qam",
        "losartan/HCTZ 100/25",
        {
            "text": "atorvastatin 40 mg",
            "coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "83367"}],
        },
        "furosimide",
    ],
    "supplements": ["magnesium oxide 400 mg", "potassium"],
    "patient": {"age": 71, "egfr": 28, "symptoms": ["dark_urine"], "language": "es"},
}


class KnowledgeBaseRef(BaseModel):
    version: str


class Screening_(ScreeningResult):
    """A stored screening: its identity, the knowledge base it used, and its result."""

    id: uuid.UUID
    created: datetime.datetime
    knowledge_base: KnowledgeBaseRef


# The OpenAPI component is named after the class; the trailing underscore only keeps it
# apart from the Screening model here.
Screening_.__name__ = "Screening"


def screening_detected_issues(screening: Screening) -> dict:
    return detected_issue_bundle(
        screening_id=screening.id,
        created=screening.created.isoformat().replace("+00:00", "Z"),
        result=screening_result(screening),
    )


def screening_representation(screening: Screening) -> dict:
    """The API representation, read through the typed result (so every field is there)."""
    return {
        "id": str(screening.id),
        # RFC 3339 with "Z", as DRF and pydantic write UTC times.
        "created": screening.created.isoformat().replace("+00:00", "Z"),
        "knowledge_base": {"version": screening.knowledge_base_version},
        **screening_result(screening).stored(),
    }


class ScreeningCreateView(APIView):
    @extend_schema(
        request=ScreeningInputSerializer,
        responses={201: Screening_},
        examples=[OpenApiExample("A typical list", value=EXAMPLE_REQUEST, request_only=True)],
        summary="Screen a medication and supplement list",
    )
    def post(self, request: Request) -> Response:
        payload = ScreeningInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        screening = screening_create(
            pharmacy=caller_pharmacy(request.user),
            medications=data["medications"],
            supplements=data.get("supplements") or [],
            patient=dict(data["patient"]) if data.get("patient") else None,
            not_screened_resources=data["not_screened_resources"],
            source=Screening.Source.API,
            user=request.user,
            api_client=request.auth if isinstance(request.auth, ApiClient) else None,
        )
        return Response(screening_representation(screening), status=status.HTTP_201_CREATED)


class FhirJsonRenderer(JSONRenderer):
    """FHIR's JSON media type: asked for with `Accept: application/fhir+json`."""

    media_type = "application/fhir+json"
    format = "fhir"


DETECTED_ISSUE_BUNDLE = {
    "type": "object",
    "description": "A FHIR R4 Bundle (type collection) of DetectedIssue resources, one per "
    "finding, interaction, supplement caution, red flag and line not screened.",
    "required": ["resourceType", "type", "entry"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "id": {"type": "string"},
        "type": {"type": "string", "enum": ["collection"]},
        "timestamp": {"type": "string"},
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fullUrl", "resource"],
                "properties": {
                    "fullUrl": {"type": "string"},
                    "resource": {
                        "type": "object",
                        "required": ["resourceType", "status"],
                        "properties": {
                            "resourceType": {"type": "string", "enum": ["DetectedIssue"]},
                            "status": {"type": "string", "enum": ["preliminary", "final"]},
                            "severity": {"type": "string", "enum": ["high", "moderate", "low"]},
                            "detail": {"type": "string"},
                        },
                    },
                },
            },
        },
    },
}


class ScreeningDetailView(APIView):
    renderer_classes = [JSONRenderer, FhirJsonRenderer, BrowsableAPIRenderer]

    @extend_schema(
        responses={
            (200, "application/json"): Screening_,
            (200, "application/fhir+json"): DETECTED_ISSUE_BUNDLE,
        },
        summary="A stored screening (as FHIR DetectedIssues with Accept: application/fhir+json)",
    )
    def get(self, request: Request, screening_id) -> Response:
        screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
        if request.accepted_renderer.media_type == FhirJsonRenderer.media_type:
            return Response(screening_detected_issues(screening))
        return Response(screening_representation(screening))
