"""Trusting CDS clients (CDS Hooks 2.0, "Trusting CDS Clients").

Each call carries `Authorization: Bearer <JWT>` signed with the client's private key
(asymmetric algorithms only; ES384 and RS384 recommended). The service finds the client by
`iss`, its key by `kid` in the client's JWK Set (published at `jwks_url`, or stored), and
checks the signature, `aud` (this endpoint's URL), `exp`, `iat` and `jti`; a `jti` seen
before from the same client is a replay. The reason a token is refused is logged, never
sent: the caller gets a plain 401.
"""

import datetime
import logging
import threading

import jwt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from screening.models import CdsClient, CdsTokenUse

logger = logging.getLogger(__name__)

ALGORITHMS = ["ES384", "RS384", "ES256", "RS256", "ES512", "RS512", "PS256", "PS384", "PS512"]
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]
_LEEWAY_SECONDS = 30
_jwks_clients: dict[str, jwt.PyJWKClient] = {}
_jwks_lock = threading.Lock()


class CdsClientPrincipal:
    """Stands in for `request.user` when a CDS client calls."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False

    def __init__(self, client: CdsClient):
        self.client = client

    @property
    def pk(self) -> str:
        return f"cds:{self.client.pk}"

    @property
    def pharmacy(self):
        return self.client.pharmacy

    def __str__(self) -> str:
        return f"CDS Hooks client {self.client.name}"


def service_url(request) -> str:
    """The URL this request was sent to, as a client names it in `aud`."""
    base = settings.CDS_HOOKS_BASE_URL.rstrip("/")
    return f"{base}{request.path}" if base else request.build_absolute_uri(request.path)


def _looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and len(token) < 16_000


def _jwks_client(url: str) -> jwt.PyJWKClient:
    with _jwks_lock:
        if url not in _jwks_clients:
            _jwks_clients[url] = jwt.PyJWKClient(
                url, cache_keys=True, lifespan=300, timeout=settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS
            )
        return _jwks_clients[url]


def _signing_key(client: CdsClient, header: dict):
    kid = header.get("kid")
    if not kid:
        raise jwt.InvalidTokenError("no kid in the header")
    jku = header.get("jku")
    if jku and jku != client.jwks_url:
        raise jwt.InvalidTokenError("jku is not the client's registered JWK Set URL")
    if client.jwks:
        for key in jwt.PyJWKSet.from_dict(client.jwks).keys:
            if key.key_id == kid:
                return key
        raise jwt.InvalidTokenError(f"no key {kid!r} in the stored JWK Set")
    if client.jwks_url:
        return _jwks_client(client.jwks_url).get_signing_key(kid)
    raise jwt.InvalidTokenError("the client has no keys configured")


_RSA_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})


def _algorithms_for(key: jwt.PyJWK) -> frozenset[str]:
    """The key's own `alg` when its JWK names one; else any RSA algorithm for an RSA key,
    and the curve's algorithm for an EC key."""
    if key.key_type == "RSA" and "alg" not in key._jwk_data:
        return _RSA_ALGORITHMS
    return frozenset({key.algorithm_name})


def verify_client_jwt(token: str, *, audience: str) -> CdsClient:
    """The client that signed `token` for `audience`; raises jwt.InvalidTokenError."""
    header = jwt.get_unverified_header(token)
    if header.get("alg") not in ALGORITHMS:
        raise jwt.InvalidTokenError(f"algorithm {header.get('alg')!r} is not allowed")
    issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
    client = (
        CdsClient.objects.select_related("pharmacy")
        .filter(issuer=str(issuer), is_active=True)
        .first()
    )
    if client is None:
        raise jwt.InvalidTokenError(f"unknown issuer {str(issuer)[:100]!r}")
    key = _signing_key(client, header)
    # Only an algorithm the key is for: an ES header with an RSA key is refused, not tried.
    if header["alg"] not in _algorithms_for(key):
        raise jwt.InvalidTokenError(f"algorithm {header['alg']!r} does not fit key {key.key_id!r}")
    claims = jwt.decode(
        token,
        key.key,
        algorithms=[header["alg"]],
        audience=audience,
        issuer=client.issuer,
        leeway=_LEEWAY_SECONDS,
        options={"require": REQUIRED_CLAIMS},
    )
    now = timezone.now()
    expires = datetime.datetime.fromtimestamp(int(claims["exp"]), tz=datetime.UTC)
    if expires - now > datetime.timedelta(seconds=settings.CDS_HOOKS_MAX_TOKEN_SECONDS):
        raise jwt.InvalidTokenError("the token lives longer than allowed")
    # Remembered past the leeway the signature check allows, so a replay in that window fails.
    _use_once(
        client, str(claims["jti"]), expires + datetime.timedelta(seconds=_LEEWAY_SECONDS), now
    )
    return client


def _use_once(client: CdsClient, jti: str, expires: datetime.datetime, now) -> None:
    CdsTokenUse.objects.filter(client=client, expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            CdsTokenUse.objects.create(client=client, jti=jti[:200], expires_at=expires)
    except IntegrityError:
        raise jwt.InvalidTokenError("jti already used: a replay") from None


class CdsJwtAuthentication(authentication.BaseAuthentication):
    """A CDS client's JWT; a token that is not a JWT is left to the next authenticator
    (API client tokens work too, for testing)."""

    def authenticate(self, request):
        keyword, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        token = token.strip()
        if keyword.lower() != "bearer" or not _looks_like_jwt(token):
            return None
        try:
            client = verify_client_jwt(token, audience=service_url(request))
        # Anything a forged or malformed token can raise is a refusal, never a 500.
        except (jwt.PyJWTError, ValueError, TypeError, KeyError, OverflowError, OSError) as error:
            logger.warning("CDS Hooks JWT refused: %s", error)
            raise exceptions.AuthenticationFailed("The JWT was not accepted.") from None
        return CdsClientPrincipal(client), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="cds-services"'


class CdsJwtScheme(OpenApiAuthenticationExtension):
    target_class = CdsJwtAuthentication
    name = "cdsHooksJwt"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A JWT signed by the CDS client (CDS Hooks 2.0).",
        }
