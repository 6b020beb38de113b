"""POST /api/v1/screenings/ and GET /api/v1/screenings/{id}/ (contract: docs/api.md)."""

import datetime
import uuid

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from pydantic import BaseModel
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.engine.result import ScreeningResult
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


class CodingSerializer(serializers.Serializer):
    system = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=50)


class CodedLineSerializer(serializers.Serializer):
    text = serializers.CharField(
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


class LineField(serializers.Field):
    """A line is plain text, or an object with text and codes."""

    default_error_messages = {
        "type": "Each line must be a string or an object with 'text' and/or 'coding'.",
        "too_long": f"A line may have at most {MAX_LINE_LENGTH} characters.",
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > MAX_LINE_LENGTH:
                self.fail("too_long")
            return _storable(data)
        if isinstance(data, dict):
            if isinstance(data.get("text"), str):
                data = {**data, "text": _storable(data["text"])}
            line = CodedLineSerializer(data=data)
            line.is_valid(raise_exception=True)
            return {
                "text": line.validated_data["text"],
                "coding": [dict(c) for c in line.validated_data["coding"]],
            }
        self.fail("type")

    def to_representation(self, value):
        return value


class NumberField(serializers.FloatField):
    """A JSON number (or a numeric string); never true/false, which float() reads as 1 and 0."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class PatientSerializer(serializers.Serializer):
    age = serializers.IntegerField(min_value=0, max_value=130, required=False, allow_null=True)
    egfr = NumberField(min_value=0, max_value=250, required=False, allow_null=True)
    symptoms = serializers.ListField(
        child=serializers.CharField(max_length=60), max_length=30, required=False, default=list
    )
    language = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES], required=False, allow_null=True
    )


class ScreeningInputSerializer(serializers.Serializer):
    medications = serializers.ListField(child=LineField(), min_length=1, max_length=MAX_MEDICATIONS)
    supplements = serializers.ListField(
        child=LineField(), max_length=MAX_SUPPLEMENTS, required=False, default=list
    )
    patient = PatientSerializer(required=False, allow_null=True)


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
            source=Screening.Source.API,
            user=request.user,
            api_client=request.auth if isinstance(request.auth, ApiClient) else None,
        )
        return Response(screening_representation(screening), status=status.HTTP_201_CREATED)


class ScreeningDetailView(APIView):
    @extend_schema(responses={200: Screening_}, summary="A stored screening")
    def get(self, request: Request, screening_id) -> Response:
        screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
        return Response(screening_representation(screening))
