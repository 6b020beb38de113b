"""``Authorization: Bearer <token>`` for pharmacy systems.

Tokens are djangorestframework-api-key keys: only a hash is stored, and the library
does the constant-time verification.
"""

from dataclasses import dataclass

from rest_framework import authentication, exceptions

from screening.models import ApiClient, Pharmacy


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
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, token = header.partition(" ")
        if keyword.lower() != self.keyword:
            return None
        token = token.strip()
        if not token:
            raise exceptions.AuthenticationFailed("The Bearer token is missing.")
        prefix, _, _ = token.partition(".")
        # The manager's get_from_key() would cost a second query for the pharmacy.
        client = (
            ApiClient.objects.get_usable_keys()
            .select_related("pharmacy")
            .filter(prefix=prefix)
            .first()
        )
        if client is None or not client.is_valid(token):
            raise exceptions.AuthenticationFailed("The Bearer token is not valid.")
        return ApiClientPrincipal(client=client), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
