"""core/api/errors.py: every REST error, whatever raised it, answers {"code", "message",
"details"}: domain errors with their code, Django's and DRF's renamed to ours, Django-level 404s
in the same shape; anything else is left to surface as a 500."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from psycopg_pool import PoolTimeout
from rest_framework import exceptions

from core.api.errors import exception_handler, handler404, handler500
from core.errors import Conflict, RateLimited


def handled(exc: Exception) -> tuple[int, dict[str, Any]]:
    response = exception_handler(exc, {})
    assert response is not None
    assert set(response.data) == {"code", "message", "details"}
    return response.status_code, response.data


@pytest.mark.django_db
def test_unknown_api_path_uses_the_error_shape(client: Any) -> None:
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found.", "details": {}}


def test_domain_errors_keep_their_code_status_and_details() -> None:
    assert handled(Conflict("Taken.", details={"name": ["Taken."]})) == (
        409,
        {"code": "conflict", "message": "Taken.", "details": {"name": ["Taken."]}},
    )
    assert handled(RateLimited("Slow down."))[0] == 429


def test_validation_errors_name_the_first_field_in_the_message() -> None:
    status, body = handled(exceptions.ValidationError({"tag": ["Too short."], "name": ["No."]}))
    assert (status, body["code"], body["message"]) == (400, "validation_error", "tag: Too short.")
    assert set(body["details"]) == {"tag", "name"}
    status, body = handled(exceptions.ValidationError(["Not allowed."]))
    assert body["message"] == "Not allowed." and "non_field_errors" in body["details"]
    status, body = handled(exceptions.ValidationError({"non_field_errors": ["Pick one."]}))
    assert body["message"] == "Pick one."


def test_djangos_own_errors_are_mapped() -> None:
    status, body = handled(DjangoValidationError({"phone": ["Bad phone."]}))
    assert (status, body["code"], body["message"]) == (400, "validation_error", "phone: Bad phone.")
    status, body = handled(DjangoValidationError("Plain."))
    assert body["details"] == {"non_field_errors": ["Plain."]}
    assert handled(Http404())[:1] == (404,) and handled(Http404())[1]["code"] == "not_found"
    assert handled(DjangoPermissionDenied()) == (
        403,
        {
            "code": "forbidden",
            "message": "You do not have permission to perform this action.",
            "details": {},
        },
    )


def test_drf_codes_are_renamed_and_throttling_says_when_to_retry() -> None:
    assert handled(exceptions.NotAuthenticated())[1]["code"] == "not_authenticated"
    assert handled(exceptions.AuthenticationFailed())[1]["code"] == "not_authenticated"
    assert handled(exceptions.MethodNotAllowed("PUT"))[1]["code"] == "method_not_allowed"
    assert handled(exceptions.ParseError())[1]["code"] == "bad_request"
    status, body = handled(exceptions.Throttled(wait=12))
    assert (status, body["code"], body["details"]) == (429, "rate_limited", {"retry_after": 12})


def test_anything_else_is_left_to_be_a_500() -> None:
    assert exception_handler(RuntimeError("bug"), {}) is None


def test_django_level_handlers_answer_in_the_same_shape_under_api(rf: Any) -> None:
    request = rf.get("/api/nowhere/")
    missing, broken = handler404(request, Http404()), handler500(request)
    assert missing.status_code == 404 and broken.status_code == 500
    assert missing.content == b'{"code": "not_found", "message": "Not found.", "details": {}}'
    assert b'"code": "server_error"' in broken.content
    # The pages (not the API) keep Django's own pages.
    page = handler404(rf.get("/nowhere/"), Http404())
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "exc",
    [OperationalError("server closed the connection"), InterfaceError("gone"), PoolTimeout("x")],
)
def test_a_database_that_is_gone_is_a_503_unavailable(exc: Exception) -> None:
    response = exception_handler(exc, {})
    assert response is not None and response.status_code == 503
    assert response.data["code"] == "unavailable"


def test_a_too_big_body_is_413_and_other_suspicious_requests_400() -> None:
    too_big = exception_handler(RequestDataTooBig("big"), {})
    assert (too_big.status_code, too_big.data["code"]) == (413, "too_large")
    odd = exception_handler(SuspiciousOperation("too many fields"), {})
    assert (odd.status_code, odd.data["code"]) == (400, "validation_error")
