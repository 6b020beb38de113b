"""CDS Hooks 2.0 endpoints: discovery, a service call, and feedback (docs/cds_hooks.md)."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.api.authentication import BearerApiClientAuthentication
from screening.api.permissions import IsPharmacyMember
from screening.api.v1.screenings import StrictCharField
from screening.cds_hooks.auth import CdsClientPrincipal, CdsJwtAuthentication
from screening.models import ApiClient
from screening.selectors.pharmacies import caller_pharmacy
from screening.services.cds_hooks import (
    SERVICES,
    PrefetchInvalid,
    PrefetchUnavailable,
    cds_hook_call,
    discovery,
    feedback_record,
)

AUTHENTICATION = [CdsJwtAuthentication, BearerApiClientAuthentication]


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The data this service needs was neither prefetched nor reachable."
    default_code = "precondition_failed"


class FhirAuthorizationSerializer(serializers.Serializer):
    access_token = StrictCharField(max_length=4000)
    token_type = serializers.ChoiceField(choices=["Bearer"])
    expires_in = serializers.IntegerField(min_value=0)
    scope = StrictCharField(max_length=2000)
    subject = StrictCharField(max_length=300)


class HookRequestSerializer(serializers.Serializer):
    hook = StrictCharField(max_length=100)
    hookInstance = StrictCharField(max_length=100)  # noqa: N815 (CDS Hooks' names)
    fhirServer = serializers.URLField(max_length=500, required=False)  # noqa: N815
    fhirAuthorization = FhirAuthorizationSerializer(required=False)  # noqa: N815
    context = serializers.DictField()
    prefetch = serializers.DictField(required=False, allow_null=True)

    def validate(self, attrs):
        context = attrs["context"]
        if not isinstance(context.get("patientId"), str) or not context["patientId"]:
            raise serializers.ValidationError({"context": {"patientId": ["Required."]}})
        if attrs["hook"] in ("order-select", "order-sign"):
            orders = context.get("draftOrders")
            if (
                not isinstance(orders, dict)
                or orders.get("resourceType") != "Bundle"
                or not isinstance(orders.get("entry", []), list)
            ):
                raise serializers.ValidationError(
                    {"context": {"draftOrders": ["A FHIR Bundle of the draft orders."]}}
                )
        if attrs["hook"] == "order-select":
            selections = context.get("selections")
            if not isinstance(selections, list) or not all(isinstance(s, str) for s in selections):
                raise serializers.ValidationError(
                    {"context": {"selections": ["A list of references ('MedicationRequest/1')."]}}
                )
        if attrs.get("fhirAuthorization") and not attrs.get("fhirServer"):
            raise serializers.ValidationError(
                {"fhirServer": ["Required when fhirAuthorization is given."]}
            )
        return attrs


class OverrideReasonSerializer(serializers.Serializer):
    reason = serializers.DictField(required=False)  # a Coding: its code is read
    userComment = StrictCharField(max_length=1000, required=False, allow_blank=True)  # noqa: N815


class FeedbackItemSerializer(serializers.Serializer):
    card = serializers.UUIDField()
    outcome = serializers.ChoiceField(choices=["accepted", "overridden"])
    acceptedSuggestions = serializers.ListField(  # noqa: N815
        child=serializers.DictField(), required=False
    )
    overrideReason = OverrideReasonSerializer(required=False)  # noqa: N815
    outcomeTimestamp = serializers.DateTimeField()  # noqa: N815


class FeedbackSerializer(serializers.Serializer):
    feedback = FeedbackItemSerializer(many=True, allow_empty=False, max_length=100)


class DiscoveryView(APIView):
    # The list of services is public: credentials an EHR sends along (a JWT signed for a
    # service call, an expired token) are not read, so they cannot turn it into a 401.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)  # the contract is CDS Hooks 2.0's, not API v1's
    def get(self, request: Request) -> Response:
        return Response(discovery())


def _service(service_id: str):
    service = SERVICES.get(service_id)
    if service is None:
        raise Http404
    return service


def _cds_client(request: Request):
    return request.user.client if isinstance(request.user, CdsClientPrincipal) else None


class ServiceView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsPharmacyMember]

    @extend_schema(exclude=True)
    def post(self, request: Request, service_id: str) -> Response:
        service = _service(service_id)
        payload = HookRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if payload.validated_data["hook"] != service.hook:
            raise serializers.ValidationError({"hook": [f"This service answers '{service.hook}'."]})
        try:
            answer, _ = cds_hook_call(
                service=service,
                data=payload.validated_data,
                pharmacy=caller_pharmacy(request.user),
                cds_client=_cds_client(request),
                screening_url=lambda s: request.build_absolute_uri(
                    reverse("counter:screening-detail", args=[s.id])
                ),
                handout_url=lambda s: (
                    request.build_absolute_uri(reverse("counter:screening-detail", args=[s.id]))
                    + "#handout"
                ),
            )
        except PrefetchUnavailable as error:
            raise PreconditionFailed(str(error)) from error
        except PrefetchInvalid as error:
            raise serializers.ValidationError({"prefetch": {error.key: [str(error)]}}) from error
        return Response(answer)


class FeedbackView(APIView):
    authentication_classes = AUTHENTICATION
    permission_classes = [IsPharmacyMember]

    @extend_schema(exclude=True)
    def post(self, request: Request, service_id: str) -> Response:
        _service(service_id)
        payload = FeedbackSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            recorded = feedback_record(
                items=payload.validated_data["feedback"],
                pharmacy=caller_pharmacy(request.user),
                cds_client=_cds_client(request),
                api_client=request.auth if isinstance(request.auth, ApiClient) else None,
                user=request.user,
            )
        except LookupError as error:
            # Another pharmacy's card and a card that never existed look the same: 404.
            raise exceptions.NotFound(
                "A card in `feedback` was not sent to your pharmacy."
            ) from error
        return Response({"recorded": recorded})
