"""The OpenAPI schema tells the truth about every operation (docs/api.md).

`ApiSchema` (DEFAULT_SCHEMA_CLASS) documents the error answers every operation can give from what
the view itself declares, so a new endpoint is documented by being written:

- 400 when it takes input (a body, query or header parameters); 413 and 415 for a body;
- 401 when it authenticates (a bad `Authorization` header is 401 wherever a token is read);
- 403 when it authenticates and writes (CSRF for sessions, the services' own checks), or its
  permission classes refuse some signed-in callers (staff, hosts);
- 404 on object paths (`{id}`) and paginated lists (a page past the last);
- 429 when it is throttled.

What only the service knows (409 conflicts, 402, 503, a 403 on a read) each view adds with
`error()`. Every error is the one `Error` component ({code, message, details}, core/api/errors.py).
An operation that lets anonymous callers in says so with an empty security requirement `{}`.
"""

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import permissions, serializers

JSON = "application/json"
MULTIPART = "multipart/form-data"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RULES_KEY = "x-schema-rules"
BODY_METHODS = ("POST", "PUT", "PATCH")
# Permissions that only ask "signed in?": with them a signed-in caller is not refused a read.
_SIGNED_IN_ONLY = (permissions.AllowAny, permissions.IsAuthenticated)


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the REST API (docs/api.md, Errors)."""

    code = serializers.CharField(help_text="Stable, for programs: validation_error, conflict, …")
    message = serializers.CharField(help_text="For people")
    details = serializers.DictField(
        help_text="More about the error ({} when there is nothing more); for validation_error "
        "the field errors"
    )


DEFAULT_DESCRIPTIONS = {
    400: "`validation_error`: a field, a parameter or a rule (`details` names them); "
    "`bad_request`: a body that is not valid JSON",
    401: "`not_authenticated`: no credentials, or a bad, expired or forged access token",
    402: "Payment required",
    403: "`forbidden` (or `email_not_verified`, `not_a_host`, `host_not_verified`, "
    "`account_suspended`): not for this caller; also a session write without its CSRF token",
    404: "`not_found`: no such object, or one the caller may not see; for a list, a page past "
    "the last",
    409: "`conflict`: the state does not allow it",
    413: "The body is larger than the server accepts (`DATA_UPLOAD_MAX_MEMORY_SIZE`)",
    415: "`unsupported_media_type`: a body that is not JSON (or a form, where uploads are taken)",
    429: "`rate_limited`: too many attempts; `details.retry_after` is in seconds",
    503: "`unavailable`: a service this depends on is down",
}


def error(status: int, description: str = "") -> dict[int, OpenApiResponse]:
    """An error answer only the service knows about, for `extend_schema(responses=…)`:
    `responses={200: Body, **error(409, "`invalid_status`: …")}`."""
    text = description or DEFAULT_DESCRIPTIONS[status]
    return {status: OpenApiResponse(ErrorSerializer, description=text)}


def _say_trimmed(field: Any, schema: dict[str, Any]) -> None:
    """DRF strips a text field before checking it: "  " is blank, " a " is one character long.
    Say so with a pattern (`\\S`: a character that is not whitespace, as str.strip() has it)."""
    if not isinstance(field, serializers.CharField) or schema.get("type") != "string":
        return
    if not field.trim_whitespace or field.allow_blank or "pattern" in schema or "enum" in schema:
        return
    least = max(1, field.min_length or 1)
    schema["pattern"] = r"\S" if least == 1 else rf"\S[\s\S]{{{least - 2},}}\S"


def example(name: str, value: dict[str, Any], description: str = "") -> OpenApiExample:
    """A request body as a client sends it: the docs show it, schemathesis sends it first."""
    return OpenApiExample(name, value=value, description=description, request_only=True)


class ApiSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, Any]]:
        auths = super().get_auth()
        if {} not in auths and self._lets_anonymous_in():
            auths.append({})
        return auths

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for status in sorted(self.error_statuses()):
            if str(status) not in responses:
                answer = OpenApiResponse(ErrorSerializer, description=DEFAULT_DESCRIPTIONS[status])
                responses[str(status)] = self._get_response_for_code(answer, str(status))
        return dict(sorted(responses.items()))

    def error_statuses(self) -> set[int]:
        statuses: set[int] = set()
        takes_body = self.method in BODY_METHODS and self.get_request_serializer() is not None
        parameters = [p for p in self._get_parameters() if p["in"] in ("query", "header")]
        if takes_body:
            statuses |= {400, 413, 415}
        if parameters:
            statuses.add(400)
        if self.view.get_authenticators():
            statuses.add(401)
            if self.method not in SAFE_METHODS or self._refuses_some_signed_in():
                statuses.add(403)
        if "{" in self.path or self._is_paginated():
            statuses.add(404)
        if self.view.get_throttles():
            statuses.add(429)
        return statuses

    def _is_paginated(self) -> bool:
        return self.method == "GET" and self._is_list_view() and bool(self._get_paginator())

    def _lets_anonymous_in(self) -> bool:
        probe = SimpleNamespace(user=AnonymousUser(), method=self.method)
        return all(p.has_permission(probe, self.view) for p in self.view.get_permissions())

    def _refuses_some_signed_in(self) -> bool:
        kinds = (*_SIGNED_IN_ONLY, permissions.IsAuthenticatedOrReadOnly)
        return any(not isinstance(p, kinds) for p in self.view.get_permissions())

    def map_parsers(self) -> list[str]:
        # Bodies are JSON (docs/api.md); the upload endpoints declare their multipart form with
        # upload_request(). The form parsers the views also accept are not part of the contract.
        return [JSON]

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        # Rules across fields that validate() enforces ("exactly one of…"), said in the schema.
        # Kept aside until apply_schema_rules(): the enum hook must not turn their enums into
        # components.
        schema = super()._map_basic_serializer(serializer, direction)
        rules = getattr(serializer, "schema_rules", None)
        if direction == "request" and rules and not getattr(serializer, "partial", False):
            schema[RULES_KEY] = rules
        return schema

    def _map_serializer_field(
        self, field: Any, direction: str, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(schema, dict):
            _say_trimmed(field, schema)
        return schema

    def _get_request_for_media_type(self, serializer: Any, direction: str = "request") -> Any:
        # A PATCH whose body is whole (an action, a flag) is documented with its required fields.
        if self.method == "PATCH" and getattr(serializer, "whole_on_patch", False):
            self.method = "POST"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        schema, required = super()._get_request_for_media_type(serializer, direction)
        # A body with rules ("one of these") is required even when no single field is.
        return schema, required or bool(getattr(serializer, "schema_rules", None))

    def _get_parameters(self) -> list[dict[str, Any]]:
        # A parameter the route fixes (kind on /api/scrims/) is not a parameter of that route.
        fixed = set(getattr(self.view, "fixed_query_parameters", ()))
        return [p for p in super()._get_parameters() if p["name"] not in fixed]


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "description": "The file's URL (a path on this server such as /media/…, or the storage's "
        "absolute URL); null when there is none",
    }
)
class FileUrlField(serializers.FileField):
    """An uploaded file as the API answers it: its URL, or null."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)


def apply_schema_rules(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook, after drf-spectacular's enum hook: each serializer's cross-field
    rules join its component."""
    for component in result.get("components", {}).get("schemas", {}).values():
        component.update(component.pop(RULES_KEY, {}))
    return result


def upload_request(
    serializer_class: type[serializers.Serializer],
    *,
    form_text: tuple[str, ...] = (),
    form_drop: tuple[str, ...] = (),
) -> dict[str, type[serializers.Serializer]]:
    """The request body of an endpoint that takes a file: as JSON, every field but the files;
    as a multipart form, the files too, with `form_text` fields sent as JSON text and
    `form_drop` fields (nested lists and objects) left to JSON."""
    base = serializer_class.__name__.removesuffix("Serializer")
    fields = serializer_class().fields
    files = [name for name, field in fields.items() if isinstance(field, serializers.FileField)]
    as_json = type(f"{base}JsonSerializer", (serializer_class,), {})
    as_json = extend_schema_serializer(exclude_fields=files, component_name=base)(as_json)
    texts = {
        name: serializers.CharField(
            required=False, help_text=f"JSON text: {fields[name].help_text or 'as in JSON'}"
        )
        for name in form_text
    }
    as_form = type(f"{base}UploadSerializer", (serializer_class,), texts)
    as_form = extend_schema_serializer(
        exclude_fields=list(form_drop), component_name=f"{base}Upload"
    )(as_form)
    return {JSON: as_json, MULTIPART: as_form}
