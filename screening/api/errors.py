"""Every API error is JSON that names the field and the problem; never a traceback."""

import logging
import sys

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.common import CommonMiddleware
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import is_valid_path
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"
# Machine clients call these too: their errors are JSON as well.
JSON_PATH_PREFIXES = (API_PATH_PREFIX, "/cds-services")
SERVER_ERROR = {"error": "server_error", "detail": "Something went wrong on our side."}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service cannot reach its database just now. Try again shortly."
    default_code = "unavailable"


# The database (or the network to it) is down, not a bug: 503, and the request may be retried.
UNREACHABLE = (OperationalError, InterfaceError)
UNAVAILABLE = {
    "error": ServiceUnavailable.default_code,
    "detail": ServiceUnavailable.default_detail,
}
RETRY_AFTER_SECONDS = "5"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request could not be read."
    default_code = "bad_request"


def json_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()
    elif isinstance(exc, UNREACHABLE):
        logger.error("Database unreachable: %s", type(exc).__name__)
        exc = ServiceUnavailable()

    # Errors are JSON whatever the Accept header or ?format= asked for: without this the
    # browsable API answers text/html with an HTML page, and the schema view answers YAML.
    request = context.get("request")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type

    response = exception_handler(exc, context)
    if isinstance(exc, ServiceUnavailable) and response is not None:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    if response is None:
        # Not an API exception: log it with its traceback, answer with a plain JSON 500.
        logger.exception("Unhandled error in %s", context.get("view"))
        return Response(SERVER_ERROR, status=status.HTTP_500_INTERNAL_SERVER_ERROR)

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


# Django's own error views (handler400/403/404/500 in pharmacy_site/urls.py) answer what
# DRF never sees: an unknown URL, an exception in middleware. Under /api/ they answer JSON.


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(JSON_PATH_PREFIXES)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"error": "bad_request", "detail": BadRequest.default_detail}, status=400
        )
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        detail = str(exceptions.PermissionDenied.default_detail)
        return JsonResponse({"error": "permission_denied", "detail": detail}, status=403)
    return defaults.permission_denied(request, exception)


class CommonMiddlewareForJson(CommonMiddleware):
    """Django's CommonMiddleware, without APPEND_SLASH's redirect under the JSON prefixes:
    a POST redirected with 301 comes back as a GET (a 405), and the redirect is an HTML
    response. There, a path missing its slash is a JSON 404 that names the right path."""

    def should_redirect_with_slash(self, request: HttpRequest) -> bool:
        return not _is_api(request) and super().should_redirect_with_slash(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        # With DEBUG on (make run) Django answers an unknown path with its HTML debug page
        # instead of handler404: an integrator trying the API locally gets JSON all the same.
        if (
            response.status_code == 404
            and _is_api(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request, Http404())
        return super().process_response(request, response)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        detail = str(exceptions.NotFound.default_detail)
        path = request.path_info
        if not path.endswith("/") and is_valid_path(f"{path}/", getattr(request, "urlconf", None)):
            detail += f" The path ends with a slash: {request.path}/"
        return JsonResponse({"error": "not_found", "detail": detail}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling any uncaught exception, in a view or in middleware
    # (a session saved after the database went away): that one is a 503, not a 500. DRF
    # views answer it in json_exception_handler instead.
    if isinstance(sys.exc_info()[1], UNREACHABLE):
        return database_unavailable(request, sys.exc_info()[1])
    if _is_api(request):
        return JsonResponse(SERVER_ERROR, status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: usually a page left open past the session,
    or the browser blocking cookies. Says what to do instead of Django's bare page."""
    if _is_api(request):
        detail = "The CSRF check failed: send the session's CSRF token, or use a Bearer token."
        return JsonResponse({"error": "csrf_failed", "detail": detail}, status=403)
    return TemplateResponse(request, "errors/csrf_failure.html", status=403)


def database_unavailable(request: HttpRequest, error: DatabaseError) -> HttpResponse:
    """The database cannot be reached: a 503 that says so, never a traceback. Nothing was
    written, the request may be sent again, and the next request reconnects by itself."""
    logger.error("Database unreachable: %s", type(error).__name__)
    if _is_api(request):
        response = JsonResponse(UNAVAILABLE, status=503)
    else:
        # Rendered without the request: its context processors would ask the database.
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = RETRY_AFTER_SECONDS
    return response
