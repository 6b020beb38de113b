"""The `Idempotency-Key` request header of the API's POSTs (services/idempotency.py)."""

import re
from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from screening.services.idempotency import (
    IdempotencyConflict,
    idempotent_create,
    request_fingerprint,
)

HEADER = "Idempotency-Key"
# Printable ASCII, as HTTP header values travel safely; a UUID is the usual choice.
KEY_SHAPE = re.compile(r"[\x21-\x7e]{1,200}")
REPLAYED_HEADER = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_SHAPE.pattern.join("^$"),
    description="A key you choose per request (a UUID): sending the same request again "
    "with the same key returns the first answer (with `Idempotent-Replayed: true`) instead "
    "of creating a second record. The same key with a different body is a 422.",
)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used for a different request: use a new key."
    default_code = "idempotency_key_reused"


def idempotency_key(request: Request) -> str:
    """The header's key, or "" when none was sent; a malformed key is a 400 naming it."""
    value = request.META.get("HTTP_IDEMPOTENCY_KEY")
    if value is None:
        return ""
    if not KEY_SHAPE.fullmatch(value):
        raise exceptions.ValidationError(
            {HEADER: ["Must be 1 to 200 visible ASCII characters (a UUID, say)."]}
        )
    return value


def create_once(
    request: Request, *, pharmacy, operation: str, create: Callable[[], Any], fetch
) -> tuple[Any, bool]:
    """(what `create` made, False), or with a key already used for this same request,
    (what the first one made, True). A key used for another request is a 422."""
    key = idempotency_key(request)
    if not key:
        return create(), False
    try:
        return idempotent_create(
            pharmacy=pharmacy,
            key=key,
            operation=operation,
            fingerprint=request_fingerprint(request.data),
            create=create,
            fetch=fetch,
        )
    except IdempotencyConflict as error:
        raise IdempotencyKeyReused() from error


def mark_replayed(response: Response, replayed: bool) -> Response:
    if replayed:
        response[REPLAYED_HEADER] = "true"
    return response
