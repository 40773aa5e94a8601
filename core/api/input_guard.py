"""One guard for everything a REST request carries, before a view sees it (docs/api.md, "Bad
input"): the path and query string (NUL characters → 400 naming the parameter), the body's size
(→ 413), and the parsed body (JSON nested deeper than 64 levels, NUL characters in any string of
JSON or form data → 400 naming the field). Answers are the one error shape.

`InputGuardMiddleware` checks what exists before the view: path, query, Content-Length. The
parsers (the DRF defaults, and every view's parser_classes) check the body as they parse it,
reading at most the size limit even when no Content-Length was sent.
"""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from rest_framework import exceptions, parsers

from core.api.jsonguard import NUL, first_problem

API_PREFIX = "/api/"


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = "The request body is too large."


def body_limit() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _error(status: int, code: str, message: str, details: dict | None = None) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "details": details or {}}, status=status)


def _nul_in(params: QueryDict) -> str | None:
    for key, values in params.lists():
        if NUL in key or any(NUL in v for v in values):
            return key.replace(NUL, "\\u0000")
    return None


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refused = self._refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> JsonResponse | None:
        if NUL in request.path:
            return _error(400, "validation_error", "NUL characters are not allowed in the path.",
                          {"path": ["NUL characters are not allowed."]})  # fmt: skip
        field = _nul_in(request.GET)
        if field is not None:
            message = f"{field}: NUL characters are not allowed."
            return _error(
                400, "validation_error", message, {field: ["NUL characters are not allowed."]}
            )
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > body_limit():
            return _error(413, "too_large", f"The request body is over {body_limit()} bytes.")
        return None


def _check(document: Any) -> Any:
    problem = first_problem(document)
    if problem is not None:
        where, what = problem
        raise exceptions.ValidationError({where: [f"{what}."]})
    return document


class GuardedJSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = body_limit()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(f"The request body is over {limit} bytes.")
        if not raw:
            raise exceptions.ParseError("JSON parse error - the body is empty.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            document = json.loads(raw.decode(encoding), parse_constant=_no_constant)
        except RecursionError:
            raise exceptions.ValidationError(
                {"body": ["JSON nested deeper than 64 levels."]}
            ) from None
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        return _check(document)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN, Infinity: not in the JSON standard


class GuardedFormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class GuardedMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        result = super().parse(stream, media_type, parser_context)
        _check_form(result.data)
        for field, upload in result.files.items():
            if NUL in (upload.name or ""):
                raise exceptions.ValidationError({field: ["NUL characters are not allowed."]})
        return result


def _check_form(data: QueryDict) -> None:
    field = _nul_in(data)
    if field is not None:
        raise exceptions.ValidationError({field: ["NUL characters are not allowed."]})


# What every view that takes a body parses it with (settings.REST_FRAMEWORK and the upload views).
PARSERS = [GuardedJSONParser, GuardedMultiPartParser, GuardedFormParser]
