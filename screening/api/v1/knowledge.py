"""Read-only views of the knowledge base: drug classes, supplements, name lookup."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from pydantic import BaseModel
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.api.v1.screenings import KnowledgeBaseRef
from screening.engine import resolve_line
from screening.engine.result import Line
from screening.selectors.knowledge import drug_class_list, get_knowledge_index, supplement_list


@extend_schema_serializer(component_name="KnowledgeReference")
class ReferenceSerializer(serializers.Serializer):
    key = serializers.CharField()
    citation = serializers.CharField()
    url = serializers.CharField()
    kind = serializers.CharField()
    evidence_level = serializers.CharField()


class MemberIngredientSerializer(serializers.Serializer):
    name = serializers.CharField()
    rxcui = serializers.CharField()
    atc = serializers.ListField(child=serializers.CharField())


class DrugClassSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    atc_codes = serializers.ListField(child=serializers.CharField())
    cramp_linked = serializers.BooleanField()
    evidence = serializers.SerializerMethodField()
    mechanism = serializers.CharField()
    patient_text = serializers.CharField()
    references = ReferenceSerializer(many=True)
    ingredients = MemberIngredientSerializer(many=True)

    @extend_schema(exclude=True)
    def get_evidence(self, obj) -> dict:
        return {
            "strength": obj.evidence_strength,
            "summary": obj.evidence_summary,
            "references": ReferenceSerializer(obj.evidence_references.all(), many=True).data,
        }


class CautionSerializer(serializers.Serializer):
    key = serializers.CharField()
    severity = serializers.CharField()
    drug_class = serializers.CharField(source="drug_class.slug", allow_null=True, read_only=True)
    ingredient = serializers.CharField(source="ingredient.name", allow_null=True, read_only=True)
    condition = serializers.CharField()
    mechanism = serializers.CharField()
    message = serializers.CharField()
    action = serializers.CharField()
    patient_text = serializers.CharField()
    references = ReferenceSerializer(many=True)


class SupplementSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    synonyms = serializers.ListField(child=serializers.CharField())
    forms = serializers.ListField(child=serializers.CharField())
    products = serializers.ListField(child=serializers.CharField())
    dose_notes = serializers.CharField()
    cramp_evidence = serializers.CharField()
    references = ReferenceSerializer(many=True)
    cautions = CautionSerializer(many=True)


class DrugClassListView(APIView):
    @extend_schema(
        responses=DrugClassSerializer(many=True), summary="Drug classes and their cramp evidence"
    )
    def get(self, request: Request) -> Response:
        return Response(DrugClassSerializer(drug_class_list(), many=True).data)


class DrugClassDetailView(APIView):
    @extend_schema(responses=DrugClassSerializer, summary="One drug class")
    def get(self, request: Request, slug: str) -> Response:
        return Response(DrugClassSerializer(get_object_or_404(drug_class_list(), slug=slug)).data)


class SupplementListView(APIView):
    @extend_schema(
        responses=SupplementSerializer(many=True), summary="Supplements and their cautions"
    )
    def get(self, request: Request) -> Response:
        return Response(SupplementSerializer(supplement_list(), many=True).data)


class LookupQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=500, trim_whitespace=False, help_text="A medicine name or a whole line."
    )


class Lookup(BaseModel):
    """How one name or line reads, with the knowledge-base version that read it."""

    knowledge_base: KnowledgeBaseRef
    result: Line


class LookupView(APIView):
    """How the screening engine reads one name or line: product, ingredients, classes."""

    @extend_schema(
        parameters=[LookupQuerySerializer],
        responses={200: Lookup},
        summary="Look up a product or medicine name",
    )
    def get(self, request: Request) -> Response:
        # A NUL cannot be looked up, but is no reason to refuse the rest of the line.
        query = LookupQuerySerializer(
            data={
                key: value.replace("\x00", "\ufffd") for key, value in request.query_params.items()
            }
        )
        query.is_valid(raise_exception=True)
        index = get_knowledge_index()
        line = resolve_line(index, query.validated_data["q"])
        return Response(
            {"knowledge_base": {"version": index.version}, "result": line.model_dump(mode="json")}
        )
