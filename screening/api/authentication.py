"""``Authorization: Bearer <token>`` for pharmacy systems.

Tokens are djangorestframework-api-key keys: only a hash is stored, and the library
does the constant-time verification.
"""

import re
from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from screening.models import ApiClient, Pharmacy

# "<prefix>.<secret>", both letters and digits (djangorestframework-api-key's KeyGenerator).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9]{1,64}\.[A-Za-z0-9]{1,256}")


@dataclass(frozen=True)
class ApiClientPrincipal:
    """Stands in for ``request.user`` when a pharmacy system calls the API."""

    client: ApiClient
    is_authenticated = True
    is_anonymous = False
    is_staff = False

    @property
    def pk(self) -> str:
        return f"client:{self.client.pk}"

    @property
    def pharmacy(self) -> Pharmacy:
        return self.client.pharmacy

    def __str__(self) -> str:
        return f"API client {self.client.name}"


class BearerApiClientAuthentication(authentication.BaseAuthentication):
    keyword = "bearer"

    def authenticate(self, request):
        # The header as the server decoded it: DRF's get_authorization_header() re-encodes
        # it as latin-1, which raises (a 500) on characters outside latin-1.
        header = request.META.get("HTTP_AUTHORIZATION", "")
        keyword, _, token = header.partition(" ")
        if keyword.lower() != self.keyword:
            return None
        token = token.strip()
        if not token:
            raise exceptions.AuthenticationFailed("The Bearer token is missing.")
        # Only the shape create_key() makes reaches the database: a NUL byte in a query
        # parameter is an error in PostgreSQL, and a megabyte of token is not worth hashing.
        if not TOKEN_SHAPE.fullmatch(token):
            raise exceptions.AuthenticationFailed("The Bearer token is not valid.")
        prefix, _, _ = token.partition(".")
        # The manager's get_from_key() would cost a second query for the pharmacy.
        client = (
            ApiClient.objects.get_usable_keys()
            .select_related("pharmacy")
            .filter(prefix=prefix)
            .first()
        )
        # get_usable_keys() leaves out revoked keys only: an expired one is refused here.
        if client is None or client.has_expired or not client.is_valid(token):
            raise exceptions.AuthenticationFailed("The Bearer token is not valid.")
        return ApiClientPrincipal(client=client), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class BearerApiClientScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the Bearer token."""

    target_class = BearerApiClientAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API client token: `manage.py create_api_client` prints it once.",
        }
