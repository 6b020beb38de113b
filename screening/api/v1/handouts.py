"""Printable handouts: ask for one, see its state, fetch its PDF or HTML.

POST /api/v1/screenings/{id}/handouts/   -> 202 {"id", "status", "url"}; the work runs in a worker
GET  /api/v1/handouts/{id}/              -> state, file links, readability, page count
GET  /api/v1/handouts/{id}/pdf/ | html/  -> the file, inline, to the same pharmacy only
"""

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.api.closed import ClosedSerializer
from screening.api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from screening.api.idempotency import create_once, mark_replayed
from screening.handouts.paper import PAPER_SIZES
from screening.handouts.plain_text import is_plain_name
from screening.models import Handout
from screening.selectors.handouts import handout_get
from screening.selectors.pharmacies import caller_pharmacy
from screening.selectors.screenings import screening_get
from screening.services.handouts import (
    handout_files_available,
    handout_languages,
    handout_request,
)

NAME_MAX_LENGTH = 120


class LanguageField(serializers.CharField):
    """A code from settings.LANGUAGES, read at request time; the error names them all."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in handout_languages():
            raise serializers.ValidationError(
                f"Unsupported language {value!r}. Supported languages: {', '.join(handout_languages())}."
            )
        return value


class PlainNameField(serializers.CharField):
    """A person's name: plain text, no markup or control characters."""

    def __init__(self, **kwargs):
        super().__init__(
            max_length=NAME_MAX_LENGTH, required=False, allow_blank=True, default="", **kwargs
        )

    def to_internal_value(self, data):
        # Control characters are checked before CharField trims them away.
        if isinstance(data, str) and not is_plain_name(data):
            raise serializers.ValidationError(
                "Names must be plain text: no '<', '>' or control characters."
            )
        return super().to_internal_value(data)


class HandoutRequestSerializer(ClosedSerializer):
    # Optional: defaults to the language given with the screening's patient, else the site's.
    language = LanguageField(required=False)
    patient_name = PlainNameField()
    pharmacist_name = PlainNameField()
    paper = serializers.ChoiceField(
        choices=PAPER_SIZES, required=False, allow_null=True, default=None
    )
    new = serializers.BooleanField(required=False, default=False)


class HandoutAcceptedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    url = serializers.URLField()


class HandoutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    screening = serializers.UUIDField(source="screening_id")
    language = serializers.CharField()
    paper = serializers.CharField()
    status = serializers.ChoiceField(choices=Handout.Status.choices)
    pdf = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    error = serializers.CharField()
    readability_grade = serializers.FloatField(
        allow_null=True, help_text="School grade, where the language has a grade formula."
    )
    readability_formula = serializers.CharField(
        help_text="The language's own readability formula: flesch_kincaid_grade (en), "
        "szigriszt_pazos_inflesz (es), nguyen_henkin_1982 (vi)."
    )
    readability_score = serializers.FloatField(allow_null=True)
    page_count = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()
    created = serializers.DateTimeField()
    finished = serializers.DateTimeField(allow_null=True)
    purged = serializers.DateTimeField(allow_null=True)
    note = serializers.SerializerMethodField()
    reviewed_by = serializers.SerializerMethodField(
        help_text="The pharmacist who released the patient-facing text, when a signed-in "
        "pharmacist asked for the handout (a system gives pharmacist_name instead)."
    )

    def get_reviewed_by(self, handout: Handout) -> str | None:
        user = handout.reviewed_by
        return (user.get_full_name() or user.get_username()) if user is not None else None

    def _file_url(self, handout: Handout, kind: str) -> str | None:
        if not handout_files_available(handout):
            return None
        path = reverse(f"api-v1:handout-{kind}", kwargs={"handout_id": handout.id})
        return self.context["request"].build_absolute_uri(path)

    def get_pdf(self, handout: Handout) -> str | None:
        return self._file_url(handout, "pdf")

    def get_html(self, handout: Handout) -> str | None:
        return self._file_url(handout, "html")

    def get_note(self, handout: Handout) -> str | None:
        if handout.purged:
            return (
                f"The files and the patient's name were removed after {settings.HANDOUT_RETENTION_DAYS} "
                "days, as the retention policy requires. Ask for a new handout if you need one."
            )
        return None


def _detail_url(request: Request, handout: Handout) -> str:
    return request.build_absolute_uri(
        reverse("api-v1:handout-detail", kwargs={"handout_id": handout.id})
    )


class HandoutCreateView(APIView):
    @extend_schema(
        request=HandoutRequestSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={202: HandoutAcceptedSerializer},
        summary="Ask for a printable handout (made in the background)",
    )
    def post(self, request: Request, screening_id) -> Response:
        screening = screening_get(pharmacy=caller_pharmacy(request.user), screening_id=screening_id)
        payload = HandoutRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)

        def create() -> Handout:
            return handout_request(
                screening=screening, reviewed_by=request.user, **payload.validated_data
            )

        handout, replayed = create_once(
            request,
            pharmacy=screening.pharmacy,
            operation=f"handout-create:{screening.id}",
            create=create,
            fetch=lambda handout_id: handout_get(
                pharmacy=screening.pharmacy, handout_id=handout_id
            ),
        )
        return mark_replayed(
            Response(
                {
                    "id": str(handout.id),
                    "status": handout.status,
                    "url": _detail_url(request, handout),
                },
                status=status.HTTP_202_ACCEPTED,
            ),
            replayed,
        )


class HandoutDetailView(APIView):
    @extend_schema(responses={200: HandoutSerializer}, summary="A handout's state and files")
    def get(self, request: Request, handout_id) -> Response:
        handout = handout_get(pharmacy=caller_pharmacy(request.user), handout_id=handout_id)
        return Response(HandoutSerializer(handout, context={"request": request}).data)


class _HandoutFileView(APIView):
    kind = ""
    content_type = ""

    def perform_content_negotiation(self, request, force=False):
        # A file is the answer whatever the Accept header says (a PDF viewer may ask for
        # application/pdf only); errors still come back as JSON.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request: Request, handout_id) -> FileResponse:
        handout = handout_get(pharmacy=caller_pharmacy(request.user), handout_id=handout_id)
        field_file = getattr(handout, self.kind)
        if not handout_files_available(handout) or not field_file.name:
            raise Http404
        try:
            opened = field_file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            opened,
            content_type=self.content_type,
            as_attachment=False,
            filename=f"leg-cramps-handout-{handout.language}.{self.kind}",
        )
        # Patient data: never cached by a shared proxy; the HTML runs no script at all.
        response["Cache-Control"] = "private, no-store"
        if self.kind == "html":
            response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        return response


class HandoutPdfView(_HandoutFileView):
    kind = "pdf"
    content_type = "application/pdf"

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="The handout as PDF"
    )
    def get(self, request: Request, handout_id) -> FileResponse:
        return super().get(request, handout_id)


class HandoutHtmlView(_HandoutFileView):
    kind = "html"
    content_type = "text/html; charset=utf-8"

    @extend_schema(
        responses={(200, "text/html"): OpenApiTypes.STR}, summary="The handout as an HTML page"
    )
    def get(self, request: Request, handout_id) -> FileResponse:
        return super().get(request, handout_id)
