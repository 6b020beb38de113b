"""POST /api/v1/screenings/ and GET /api/v1/screenings/{id}/ (contract: docs/api.md)."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from pydantic import BaseModel
from pydantic import Field as PydanticField
from rest_framework import serializers, status
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.api.closed import ClosedSerializer
from screening.api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from screening.api.idempotency import create_once, mark_replayed
from screening.api.parsers import FhirJSONParser, JSONParser
from screening.api.renderers import JSONRenderer
from screening.engine.result import Issue, ScreeningResult
from screening.fhir.detected_issues import detected_issue_bundle
from screening.fhir.medications import (
    MEDICATION_RESOURCES,
    FhirInputError,
    FhirLines,
    is_fhir,
    read_fhir_item,
)
from screening.models import ApiClient, Decision, Screening
from screening.models.decisions import MITIGATION_SYSTEM, OverrideReason
from screening.selectors.pharmacies import caller_pharmacy
from screening.selectors.screenings import screening_get
from screening.services.decisions import (
    DecisionRefused,
    decision_record,
    earlier_decisions,
    patient_key,
)
from screening.services.screenings import (
    BUNDLE_ENTRIES_PER_LINE,
    MAX_LINE_LENGTH,
    MAX_MEDICATIONS,
    MAX_SUPPLEMENTS,
    screening_create,
    screening_result,
)


class StrictCharField(serializers.CharField):
    """A JSON string only: DRF's CharField would turn 12 or true into "12" and "True".
    A NUL (which PostgreSQL cannot store) is kept as U+FFFD rather than refused.

    Where spaces are trimmed and blank is refused, spaces alone are refused too, and the
    published schema says so (a pattern: at least one character that is not a space)."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.trim_whitespace and not self.allow_blank:
            self.validators.append(NOT_ONLY_SPACES)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string")
        return super().to_internal_value(data.replace("\x00", "\ufffd"))


# What the schema says of a trimmed field that may not be blank (StrictCharField): a
# character that is not a space as str.strip() counts spaces, spelt out because \S means
# other characters in the JavaScript-style patterns of OpenAPI. The blank check before it
# gives the error message.
NOT_ONLY_SPACES = RegexValidator(
    r"[^\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]",
    message="This field may not be blank.",
)


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


MEDICATION_ENTRY = {
    "type": "object",
    "required": ["resource"],
    "properties": {
        "resource": {
            "type": "object",
            "required": ["resourceType"],
            "properties": {"resourceType": {"enum": list(MEDICATION_RESOURCES)}},
        }
    },
}


def lines_schema(limit: int, *, min_items: int) -> dict:
    """A list of up to `limit` lines, or one FHIR Bundle (each medication resource in it is
    a line, up to `limit`; its entries, Medications and others included, up to
    BUNDLE_ENTRIES_PER_LINE times that)."""
    return {
        "oneOf": [
            {"type": "array", "items": LINE_SCHEMA, "minItems": min_items, "maxItems": limit},
            {
                "type": "array",
                "description": "A FHIR R4 Bundle, sent alone.",
                "items": {
                    "allOf": [
                        {"$ref": "#/components/schemas/FhirBundle"},
                        {
                            "properties": {
                                "entry": {
                                    "maxItems": BUNDLE_ENTRIES_PER_LINE * limit,
                                    # Its lines: the medication resources among the entries.
                                    "contains": MEDICATION_ENTRY,
                                    "minContains": 0,
                                    "maxContains": limit,
                                }
                            }
                        },
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

    def run_validation(self, data=serializers.empty):
        # A text line, the common case, goes straight to its reading: DRF's other steps
        # (empty values, validators) have nothing to do for a string and cost more than it.
        if isinstance(data, str):
            return self.to_internal_value(data)
        return super().run_validation(data)

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


class PatientSerializer(ClosedSerializer):
    age = StrictIntegerField(min_value=0, max_value=130, required=False, allow_null=True)
    egfr = NumberField(min_value=0, max_value=250, required=False, allow_null=True)
    symptoms = serializers.ListField(
        # A blank code is skipped (the engine does); an unknown one is reported back.
        child=StrictCharField(max_length=60, allow_blank=True),
        max_length=30,
        required=False,
        default=list,
    )
    language = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES], required=False, allow_null=True
    )
    reference = StrictCharField(
        max_length=200,
        required=False,
        help_text="Who the patient is in your system ('Patient/123', a record number). Used "
        "only to recognise issues your pharmacy already acknowledged for this patient and the "
        "same medicines; kept as a keyed hash, never as sent.",
    )


@extend_schema_field(lines_schema(MAX_MEDICATIONS, min_items=1))
class MedicationLinesField(serializers.ListField):
    pass


@extend_schema_field(lines_schema(MAX_SUPPLEMENTS, min_items=0))
class SupplementLinesField(serializers.ListField):
    pass


class ScreeningInputSerializer(ClosedSerializer):
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
            bundle = read[0] if read and read[0].from_bundle else None
            if bundle and bundle.entries > BUNDLE_ENTRIES_PER_LINE * limit:
                raise serializers.ValidationError(
                    {name: [f"At most {BUNDLE_ENTRIES_PER_LINE * limit} entries in the Bundle."]}
                )
            if bundle and bundle.medication_resources > limit:
                raise serializers.ValidationError(
                    {name: [f"At most {limit} medication resources in the Bundle."]}
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


class DecisionOut(BaseModel):
    """What a pharmacist decided about one issue of a screening."""

    id: uuid.UUID
    screening: uuid.UUID
    created: datetime.datetime
    issue_key: str
    issue_title: str
    outcome: str = PydanticField(description="acknowledged, overridden, or accepted (CDS Hooks)")
    reason: str = PydanticField(description="An override's reason, from the list in the schema.")
    comment: str
    decided_by: str
    source: str
    knowledge_base_version: str


class Screening_(ScreeningResult):
    """A stored screening: its identity, the knowledge base it used, and its result."""

    id: uuid.UUID
    created: datetime.datetime
    knowledge_base: KnowledgeBaseRef
    issues: tuple[Issue, ...] = PydanticField(
        (), description="Everything to act on, most urgent first, each with the key decisions use."
    )
    decisions: tuple[DecisionOut, ...] = PydanticField(
        (), description="Decisions recorded on this screening."
    )
    earlier_decisions: tuple[DecisionOut, ...] = PydanticField(
        (),
        description="Issues the pharmacy already acknowledged or overrode for this patient and "
        "the same medicines (patient.reference) within the suppression period: show them as "
        "acknowledged rather than raise them again.",
    )


def decision_representation(decision: Decision) -> dict:
    return {
        "id": str(decision.id),
        "screening": str(decision.screening_id),
        "created": decision.created.isoformat().replace("+00:00", "Z"),
        "issue_key": decision.issue_key,
        "issue_title": decision.issue_title,
        "outcome": decision.outcome,
        "reason": decision.reason,
        "comment": decision.comment,
        "decided_by": decision.decided_by_name,
        "source": decision.source,
        "knowledge_base_version": decision.knowledge_base_version,
    }


# The OpenAPI component is named after the class; the trailing underscore only keeps it
# apart from the Screening model here.
Screening_.__name__ = "Screening"


def screening_detected_issues(screening: Screening) -> dict:
    mitigations: dict[str, list] = {}
    for decision in screening.decisions.order_by("created"):
        code, display = decision.mitigation
        mitigations.setdefault(decision.issue_key, []).append(
            {
                "action": {
                    "coding": [{"system": MITIGATION_SYSTEM, "code": code, "display": display}],
                    "text": " · ".join(
                        part
                        for part in (
                            decision.get_outcome_display(),
                            decision.get_reason_display() if decision.reason else "",
                            decision.comment,
                        )
                        if part
                    ),
                },
                "date": decision.created.isoformat().replace("+00:00", "Z"),
                "author": {"display": decision.decided_by_name},
            }
        )
    return detected_issue_bundle(
        screening_id=screening.id,
        created=screening.created.isoformat().replace("+00:00", "Z"),
        result=screening_result(screening),
        mitigations=mitigations,
    )


def screening_representation(screening: Screening, *, created: bool = False) -> dict:
    """The API representation, read through the typed result (so every field is there).
    A screening just `created` has no decisions yet: no query asks."""
    result = screening_result(screening)
    return {
        "id": str(screening.id),
        # RFC 3339 with "Z", as DRF and pydantic write UTC times.
        "created": screening.created.isoformat().replace("+00:00", "Z"),
        "knowledge_base": {"version": screening.knowledge_base_version},
        # Just stored: the dict written is the result's stored form already.
        **(screening.result if created else result.stored()),
        "issues": [issue.model_dump(mode="json") for issue in result.list_issues()],
        "decisions": []
        if created
        else [decision_representation(d) for d in screening.decisions.all()],
        "earlier_decisions": [
            decision_representation(d) for d in earlier_decisions(screening=screening).values()
        ],
    }


class ScreeningCreateView(APIView):
    parser_classes = [JSONParser, FhirJSONParser]

    @extend_schema(
        request=ScreeningInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: Screening_},
        examples=[OpenApiExample("A typical list", value=EXAMPLE_REQUEST, request_only=True)],
        summary="Screen a medication and supplement list",
    )
    def post(self, request: Request) -> Response:
        payload = ScreeningInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        pharmacy = caller_pharmacy(request.user)
        patient = dict(data["patient"]) if data.get("patient") else None
        reference = patient.pop("reference", "") if patient else ""

        def create() -> Screening:
            return screening_create(
                pharmacy=pharmacy,
                medications=data["medications"],
                supplements=data.get("supplements") or [],
                patient=patient,
                not_screened_resources=data["not_screened_resources"],
                source=Screening.Source.API,
                user=request.user,
                api_client=request.auth if isinstance(request.auth, ApiClient) else None,
                # Whose reference this is: each system numbers its own patients.
                patient_key=patient_key(
                    pharmacy=pharmacy,
                    system=f"api-client:{request.auth.pk}"
                    if isinstance(request.auth, ApiClient)
                    else "session",
                    identifier=reference,
                )
                if reference.strip()
                else "",
            )

        screening, replayed = create_once(
            request,
            pharmacy=pharmacy,
            operation="screening-create",
            create=create,
            fetch=lambda screening_id: screening_get(pharmacy=pharmacy, screening_id=screening_id),
        )
        return mark_replayed(
            Response(
                screening_representation(screening, created=not replayed),
                status=status.HTTP_201_CREATED,
            ),
            replayed,
        )


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


class DecisionInputSerializer(ClosedSerializer):
    issue_key = StrictCharField(max_length=200, help_text="An issue's key, from `issues`.")
    outcome = serializers.ChoiceField(
        choices=[Decision.Outcome.ACKNOWLEDGED, Decision.Outcome.OVERRIDDEN]
    )
    reason = serializers.ChoiceField(
        choices=OverrideReason.choices,
        required=False,
        help_text="Required to override; not given to acknowledge.",
    )
    comment = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if attrs["outcome"] == Decision.Outcome.OVERRIDDEN and not attrs.get("reason"):
            raise serializers.ValidationError({"reason": ["An override needs a reason."]})
        if attrs["outcome"] == Decision.Outcome.ACKNOWLEDGED and attrs.get("reason"):
            raise serializers.ValidationError(
                {"reason": ["An acknowledgement takes no reason; override with one instead."]}
            )
        return attrs


class DecisionCreateView(APIView):
    @extend_schema(
        request=DecisionInputSerializer,
        responses={201: DecisionOut},
        summary="Acknowledge or override an issue of a screening",
    )
    def post(self, request: Request, screening_id) -> Response:
        screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
        payload = DecisionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            decision = decision_record(
                screening=screening,
                issue_key=data["issue_key"],
                outcome=data["outcome"],
                reason=data.get("reason", ""),
                comment=data["comment"],
                source=Decision.Source.API,
                user=request.user,
                api_client=request.auth if isinstance(request.auth, ApiClient) else None,
            )
        except DecisionRefused as error:
            raise serializers.ValidationError({"issue_key": [str(error)]}) from error
        return Response(decision_representation(decision), status=status.HTTP_201_CREATED)
