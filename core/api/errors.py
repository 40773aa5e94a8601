"""The one REST error shape: {"code", "message", "details"} (docs/architecture.md rule 5)."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import csrf, defaults
from psycopg_pool import PoolTimeout
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.input_guard import API_PREFIX, BodyTooLarge
from core.errors import ApplicationError

log = logging.getLogger(__name__)

# A connection that broke (a PostgreSQL restart, a network cut) or could not be had from the pool
# in time: nothing was applied (the transaction is gone), and the client may retry.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)

# DRF's own codes, renamed where ours differ.
_CODE_BY_DRF = {
    "invalid": "validation_error",
    "parse_error": "bad_request",
    "authentication_failed": "not_authenticated",
    "not_authenticated": "not_authenticated",
    "permission_denied": "forbidden",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "not_acceptable": "not_acceptable",
    "unsupported_media_type": "unsupported_media_type",
    "throttled": "rate_limited",
    "token_not_valid": "not_authenticated",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


def _first_message(detail: Any) -> str:
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    if isinstance(detail, dict) and detail:
        key, value = next(iter(detail.items()))
        inner = _first_message(value)
        return inner if key in ("non_field_errors", "detail") else f"{key}: {inner}"
    return str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        details = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(details)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DATABASE_DOWN):
        log.warning("database unavailable: %s", exc)
        return Response(
            error_body("unavailable", "The database is unavailable; try again shortly."),
            status=503,
        )
    elif isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, SuspiciousOperation):  # e.g. too many fields: the client's doing
        exc = exceptions.ValidationError({"body": [str(exc) or "The request is malformed."]})

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a "cannot happen" error: let it surface as a 500 and be logged

    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "validation_error", _first_message(exc.detail), exc.detail
        if not isinstance(details, dict):
            details = {"non_field_errors": details}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        raw_code = (
            detail.get("code") if isinstance(detail, dict) else getattr(detail, "code", None)
        ) or getattr(exc, "default_code", "error")
        code = _CODE_BY_DRF.get(str(raw_code), str(raw_code))
        if isinstance(detail, dict):
            message = str(detail.get("detail", _first_message(detail)))
            details = {k: v for k, v in detail.items() if k not in ("detail", "code")}
        else:
            message, details = str(detail), {}
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            details = {"retry_after": int(exc.wait)}
    response.data = error_body(code, message, details)
    return response


def json_error_view(
    code: str, message: str, http_status: int, html: Callable[..., HttpResponse]
) -> Callable[..., HttpResponse]:
    """Django-level handlers: under /api/ the one error shape; elsewhere (the pages) Django's
    own page."""

    def view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse(error_body(code, message), status=http_status)
        return html(request) if exception is None else html(request, exception)

    return view


handler400 = json_error_view("bad_request", "Bad request.", 400, defaults.bad_request)
handler403 = json_error_view("forbidden", "Forbidden.", 403, defaults.permission_denied)
handler404 = json_error_view("not_found", "Not found.", 404, defaults.page_not_found)
handler500 = json_error_view("server_error", "Server error.", 500, defaults.server_error)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a session-cookie write without its CSRF token."""
    if request.path.startswith(API_PREFIX):
        message = "CSRF check failed: send the X-CSRFToken header (or use a Bearer token)."
        return JsonResponse(error_body("forbidden", message, {"reason": reason}), status=403)
    return csrf.csrf_failure(request, reason=reason)


class JsonErrorsMiddleware:
    """The outermost middleware: whatever answered an /api/ request with an HTML error page
    (Django's handlers in DEBUG, a SuspiciousOperation raised before a view, a bad Host header)
    is answered in the one error shape instead. A client of the API never parses HTML."""

    CODES = {
        400: ("bad_request", "Bad request."),
        403: ("forbidden", "Forbidden."),
        404: ("not_found", "Not found."),
        405: ("method_not_allowed", "Method not allowed."),
        413: ("too_large", "The request body is too large."),
        500: ("server_error", "Server error."),
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            reason = f"{getattr(response, 'reason_phrase', '') or 'Error'}."
            code, message = self.CODES.get(status, ("error", reason))
            return JsonResponse(error_body(code, message), status=status)
        return response
