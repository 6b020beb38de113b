"""GET /api/v1/me/: who the credentials say the caller is. Lets an integrator check a new
token before sending patient data, and is the benchmark's floor: an authenticated DRF
endpoint that does nothing else (docs/benchmark.md)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from screening.selectors.pharmacies import caller_pharmacy


class CallerSerializer(serializers.Serializer):
    pharmacy = serializers.CharField(help_text="The pharmacy the credentials act for.")
    credential = serializers.ChoiceField(choices=["token", "session"])
    name = serializers.CharField(help_text="The API client's name, or the user's username.")


class CallerView(APIView):
    @extend_schema(responses={200: CallerSerializer}, summary="Who the credentials are")
    def get(self, request: Request) -> Response:
        pharmacy = caller_pharmacy(request.user)
        client = getattr(request.user, "client", None)
        return Response(
            {
                "pharmacy": pharmacy.name,
                "credential": "token" if client is not None else "session",
                "name": client.name if client is not None else request.user.get_username(),
            }
        )
