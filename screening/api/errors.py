"""Every API error is JSON that names the field and the problem; never a traceback."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


def json_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        # Not an API exception: log it with its traceback, answer with a plain JSON 500.
        logger.exception("Unhandled error in %s", context.get("view"))
        return Response(
            {"error": "server_error", "detail": "Something went wrong on our side."},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )

    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "error": "invalid",
            "detail": "The request has invalid fields.",
            "fields": response.data,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {
            "error": getattr(exc, "default_code", "error"),
            "detail": str(response.data["detail"]),
        }
    return response
