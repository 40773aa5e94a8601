"""The one REST error shape: {"code", "message", "details"} (docs/architecture.md rule 5)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError

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


def json_error_view(code: str, message: str, http_status: int) -> Callable[..., JsonResponse]:
    """Django-level handlers (404/500 outside DRF) answer in the same shape."""

    def view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
        return JsonResponse(error_body(code, message), status=http_status)

    return view


handler404 = json_error_view("not_found", "Not found.", status.HTTP_404_NOT_FOUND)
handler500 = json_error_view("server_error", "Server error.", status.HTTP_500_INTERNAL_SERVER_ERROR)
