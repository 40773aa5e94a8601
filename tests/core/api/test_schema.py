"""The OpenAPI schema tells the truth (core/api/schema.py, docs/api.md): every operation documents
its error answers with the one Error component, every request body has a valid example, lists that
paginate say so, anonymous access is declared. The invariants run over every operation, so a new
endpoint is held to them; the lists below are the decisions a new endpoint has to join."""

import copy
from typing import Any

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator

ERROR_REF = "#/components/schemas/Error"
UNSAFE = ("post", "put", "patch", "delete")

PAGINATED = {
    ("get", "/api/accounts/leaderboard/"),
    ("get", "/api/accounts/notifications/"),
    ("get", "/api/accounts/teams/"),
    ("get", "/api/accounts/teams/invites/"),
    ("get", "/api/accounts/teams/{team_id}/invites/"),
    ("get", "/api/accounts/teams/{team_id}/join-requests/"),
    ("get", "/api/accounts/teams/{team_id}/matches/"),
    ("get", "/api/admin/users/"),
    ("get", "/api/admin/reports/"),
    ("get", "/api/payments/history/"),
    ("get", "/api/tournaments/my-registrations/"),
    ("get", "/api/webhooks/"),
    ("get", "/api/ratings/"),
    ("get", "/api/webhooks/{endpoint_id}/deliveries/"),
    *(
        ("get", f"/api/{area}/{path}")
        for area in ("tournaments", "scrims")
        for path in ("", "{id}/registrations/", "{tournament_id}/announcements/")
    ),
}

ANONYMOUS = {
    ("post", "/api/accounts/notifications/unsubscribe/"),  # the signed token is the authority
    ("get", "/api/games/"),
    ("get", "/api/payments/plans/"),
    ("get", "/api/accounts/leaderboard/"),
    ("get", "/api/accounts/players/{user_id}/"),
    ("get", "/api/accounts/hosts/{user_id}/"),
    ("get", "/api/accounts/teams/"),
    ("get", "/api/accounts/teams/{team_id}/"),
    ("get", "/api/accounts/teams/{team_id}/matches/"),
    ("get", "/api/matches/{match_id}/"),
    ("get", "/api/ratings/"),
    *(
        ("post", f"/api/accounts/{path}/")
        for path in (
            "register",
            "login",
            "token/refresh",
            "google-auth",
            "verify-email",
            "verify-email/resend",
            "password-reset",
            "password-reset-confirm",
        )
    ),
    ("post", "/api/payments/callback/"),  # PhonePe: its own Authorization check (401)
    *(("get", f"/api/{area}/") for area in ("tournaments", "scrims")),
    *(("get", f"/api/{area}/{{id}}/") for area in ("tournaments", "scrims")),
    *(("get", f"/api/{area}/{{id}}/registrations/") for area in ("tournaments", "scrims")),
    *(
        ("get", f"/api/{area}/{{tournament_id}}/{path}/")
        for area in ("tournaments", "scrims")
        for path in (
            "rounds",
            "groups",
            "matches",
            "standings",
            "top-fraggers",
            "mvp",
            "announcements",
        )
    ),
}

THROTTLED = {
    *(
        ("post", f"/api/accounts/{path}/")
        for path in ("login", "register", "google-auth", "password-reset", "verify-email/resend")
    ),
    ("post", "/api/reports/"),
}

# Writes no state can refuse, each for its reason; every other write documents 409.
NEVER_CONFLICT = {
    ("post", "/api/accounts/login/"),  # a read of credentials
    ("post", "/api/accounts/token/refresh/"),  # the loser of a race gets 401 token_not_valid
    ("post", "/api/accounts/logout/"),  # blacklisting twice is harmless
    ("post", "/api/accounts/change-password/"),
    ("post", "/api/accounts/verify-email/"),  # verifying again is harmless
    ("post", "/api/accounts/verify-email/resend/"),  # always the same answer
    ("post", "/api/accounts/password-reset/"),  # always the same answer
    ("post", "/api/accounts/password-reset-confirm/"),  # a used link is 400
    ("put", "/api/accounts/profile/"),
    ("patch", "/api/accounts/profile/"),
    ("post", "/api/accounts/notifications/{notification_id}/read/"),  # idempotent
    ("post", "/api/accounts/notifications/read-all/"),  # idempotent
    ("post", "/api/accounts/notifications/unsubscribe/"),  # idempotent: email off again
    ("patch", "/api/accounts/me/notification-preferences/"),  # an upsert: the last one wins
    ("patch", "/api/admin/users/{user_id}/"),  # suspending twice is harmless
    ("post", "/api/payments/callback/"),  # stored once, answered at once
    ("post", "/api/realtime/tickets/"),  # a new ticket every time
    ("post", "/api/tournaments/"),  # a new draft
    ("post", "/api/scrims/"),
    ("patch", "/api/webhooks/{endpoint_id}/"),  # the owner's own row, no state to refuse
    ("delete", "/api/webhooks/{endpoint_id}/"),
    ("post", "/api/webhooks/{endpoint_id}/ping/"),  # a new delivery every time
    ("post", "/api/webhooks/{endpoint_id}/rotate-secret/"),
    ("post", "/api/ratings/{rating_id}/report/"),  # reporting again answers the first report
    ("post", "/api/accounts/me/export/"),  # asking again answers the pending export
}

# What only the service knows, beyond the statuses every operation of its kind has.
EXTRA_STATUSES = {
    ("post", "/api/tournaments/{id}/publish/"): {"400", "402", "409", "503"},
    ("post", "/api/scrims/{id}/publish/"): {"400", "402", "409", "503"},
    ("post", "/api/payments/initiate/"): {"404", "409", "503"},
    ("post", "/api/accounts/google-auth/"): {"403", "409", "503"},
    ("post", "/api/accounts/login/"): {"401", "403"},
    ("post", "/api/accounts/token/refresh/"): {"401"},
    ("post", "/api/payments/callback/"): {"401"},
    ("get", "/api/matches/{match_id}/credentials/"): {"403"},
    ("get", "/api/tournaments/{id}/registrations/export/"): {"403"},
    ("get", "/api/accounts/teams/{team_id}/invites/"): {"403"},
    ("get", "/api/accounts/teams/{team_id}/join-requests/"): {"403"},
    ("get", "/api/accounts/host-verification/"): {"403", "404"},
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        if method in ("get", "put", "post", "patch", "delete")
    ]


def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def as_json_schema(schema: dict[str, Any], node: Any) -> Any:
    """An OpenAPI 3.0 schema as plain JSON Schema: references inlined, `nullable` as null."""
    node = copy.deepcopy(_resolve(schema, node))
    if isinstance(node, list):
        return [as_json_schema(schema, n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {key: as_json_schema(schema, value) for key, value in node.items()}
    if "properties" in node:
        out["properties"] = {k: as_json_schema(schema, v) for k, v in node["properties"].items()}
    if out.pop("nullable", False):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def test_the_schema_is_generated_without_warnings_or_errors(capsys: Any) -> None:
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, capsys.readouterr().err


def test_every_error_answer_is_the_one_error_component(schema: dict[str, Any]) -> None:
    wrong = []
    for method, path, op in operations(schema):
        for status, answer in op["responses"].items():
            if int(status) >= 400:
                body = answer.get("content", {}).get("application/json", {}).get("schema", {})
                if body.get("$ref") != ERROR_REF or not answer.get("description"):
                    wrong.append(f"{method.upper()} {path} {status}")
    assert wrong == []


def _statuses_every_operation_of_its_kind_has(method: str, path: str, op: dict) -> set[str]:
    expected = set()
    names = {p["name"] for p in op.get("parameters", []) if p["in"] in ("query", "header")}
    if "requestBody" in op:
        expected |= {"400", "413", "415"}
    if names:
        expected.add("400")
    if {"jwtAuth": []} in op.get("security", []):
        expected.add("401")
        if method in UNSAFE:
            expected.add("403")
    if "{" in path or "page" in names:
        expected.add("404")
    if method in UNSAFE and (method, path) not in NEVER_CONFLICT:
        expected.add("409")
    return expected


def test_every_operation_documents_the_errors_it_can_answer(schema: dict[str, Any]) -> None:
    missing = {}
    for method, path, op in operations(schema):
        expected = _statuses_every_operation_of_its_kind_has(method, path, op)
        expected |= EXTRA_STATUSES.get((method, path), set())
        if lacking := expected - set(op["responses"]):
            missing[f"{method.upper()} {path}"] = sorted(lacking)
    assert missing == {}


def test_throttled_operations_and_only_those_document_429(schema: dict[str, Any]) -> None:
    with_429 = {(m, p) for m, p, op in operations(schema) if "429" in op["responses"]}
    assert with_429 == THROTTLED


def test_every_operation_has_one_success_answer_and_tickets_are_201(schema: dict[str, Any]) -> None:
    for method, path, op in operations(schema):
        successes = [s for s in op["responses"] if s.startswith("2")]
        assert len(successes) == 1, (method, path, successes)
    tickets = schema["paths"]["/api/realtime/tickets/"]["post"]["responses"]
    assert "201" in tickets and "200" not in tickets


def test_every_request_body_has_a_json_example_that_fits_its_schema(
    schema: dict[str, Any],
) -> None:
    problems = []
    for method, path, op in operations(schema):
        if "requestBody" not in op:
            continue
        content = op["requestBody"]["content"]
        json_body = content.get("application/json")
        if json_body is None or not json_body.get("examples"):
            problems.append(f"{method.upper()} {path}: no JSON example")
            continue
        shape = as_json_schema(schema, json_body["schema"])
        for name, example in json_body["examples"].items():
            errors = list(jsonschema.Draft7Validator(shape).iter_errors(example["value"]))
            if errors:
                problems.append(f"{method.upper()} {path} {name}: {errors[0].message}")
    assert problems == []


def _binary_fields(schema: dict[str, Any], body: Any) -> set[str]:
    properties = _resolve(schema, body).get("properties", {})
    return {name for name, p in properties.items() if p.get("format") == "binary"}


def test_files_are_sent_only_in_multipart_forms_and_other_bodies_are_json(
    schema: dict[str, Any],
) -> None:
    for method, path, op in operations(schema):
        content = op.get("requestBody", {}).get("content", {})
        assert set(content) <= {"application/json", "multipart/form-data"}, (method, path)
        if "application/json" in content:
            assert not _binary_fields(schema, content["application/json"]["schema"]), path
        if "multipart/form-data" in content:
            assert _binary_fields(schema, content["multipart/form-data"]["schema"]), path


def _is_envelope(schema: dict[str, Any], answer: dict[str, Any]) -> bool:
    if "application/json" not in answer.get("content", {}):
        return False
    body = _resolve(schema, answer["content"]["application/json"]["schema"])
    properties = body.get("properties", {})
    results = _resolve(schema, properties.get("results", {}))
    return (
        {"count", "next", "previous", "results"} <= set(properties)
        and {"count", "next", "previous", "results"} <= set(body.get("required", []))
        and results.get("type") == "array"
    )


def test_paginated_lists_and_only_those_answer_the_envelope(schema: dict[str, Any]) -> None:
    paginated = set()
    for method, path, op in operations(schema):
        success = op["responses"].get("200", {})
        if _is_envelope(schema, success):
            paginated.add((method, path))
            params = {p["name"]: p["schema"] for p in op.get("parameters", [])}
            assert params["page"]["minimum"] == 1, path
            assert (params["page_size"]["minimum"], params["page_size"]["maximum"]) == (1, 100)
    assert paginated == PAGINATED


def test_anonymous_access_is_declared_where_and_only_where_it_is_allowed(
    schema: dict[str, Any],
) -> None:
    allowed = set()
    for method, path, op in operations(schema):
        security = op.get("security", [])
        assert security in ([{}], [{"jwtAuth": []}, {"cookieAuth": []}, {}]) or security == [
            {"jwtAuth": []},
            {"cookieAuth": []},
        ], (method, path, security)
        if {} in security:
            allowed.add((method, path))
    assert allowed == ANONYMOUS


def test_enum_and_typed_query_parameters_are_declared_as_the_views_parse_them(
    schema: dict[str, Any],
) -> None:
    def param(path: str, name: str) -> dict[str, Any]:
        op = schema["paths"][path]["get"]
        return next(p["schema"] for p in op["parameters"] if p["name"] == name)

    assert set(param("/api/accounts/leaderboard/", "kind")["enum"]) == {"teams", "players"}
    assert param("/api/accounts/notifications/", "unread")["type"] == "boolean"
    assert param("/api/admin/users/", "is_active")["type"] == "boolean"
    assert param("/api/tournaments/{tournament_id}/groups/", "round")["type"] == "integer"
    assert "-starts_at" in param("/api/tournaments/", "ordering")["enum"]
    assert "kind" in {p["name"] for p in schema["paths"]["/api/tournaments/"]["get"]["parameters"]}
    # On /api/scrims/ the route fixes the kind: not a parameter there.
    assert "kind" not in {p["name"] for p in schema["paths"]["/api/scrims/"]["get"]["parameters"]}
