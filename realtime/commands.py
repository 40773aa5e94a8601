"""Host commands over the socket (docs/protocol.md): parse the frame, call the very same service
as REST, answer with one `ack` or `error` frame. So a change made here produces exactly the
events a REST change produces, and retries are idempotent the same way (the command's `id` is the
service's `request_id`). Each runs in a worker thread: the database is synchronous."""

import logging
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async
from django.db import DatabaseError

from core.errors import ApplicationError, ValidationError
from core.models import User
from core.rules.results import ResultSubmission, parse_result_rows
from core.services.announcements import announcement_create
from core.services.matches import match_update
from core.services.results import match_result_submit
from realtime.frames import ack_frame, error_frame

log = logging.getLogger(__name__)

HOST_COMMANDS = {"result.submit", "match.status", "announce"}

# Protocol error codes by the HTTP status of the domain error.
_CODE_BY_STATUS = {
    400: "validation_error",
    401: "forbidden",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    429: "rate_limited",
    503: "unavailable",
}


class BadMessage(Exception):
    """A well-formed frame whose fields have the wrong types: error `bad_message`."""


def _result_submit(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    final = message.get("final", False)
    if not isinstance(final, bool):
        raise BadMessage("final must be true or false")
    version = message.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise BadMessage("version must be an integer")
    if not isinstance(message.get("results"), list):
        raise BadMessage("results must be a list")
    outcome = match_result_submit(
        actor=user,
        match_id=_match_id(message),
        tournament_id=tournament_id,
        submission=ResultSubmission(parse_result_rows(message["results"]), final, version),
        request_id=message["id"],
        face="websocket",
    )
    return outcome.seq, outcome.duplicate


def _match_status(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    status = message.get("status")
    if not isinstance(status, str):
        raise BadMessage("status must be a string")
    outcome = match_update(
        actor=user,
        match_id=_match_id(message),
        tournament_id=tournament_id,
        changes={"status": status},
        request_id=message["id"],
    )
    return outcome.seq, outcome.duplicate


def _announce(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    text = message.get("message")
    if not isinstance(text, str):
        raise BadMessage("message must be a string")
    outcome = announcement_create(
        actor=user, tournament_id=tournament_id, message=text, request_id=message["id"]
    )
    return outcome.seq, outcome.duplicate


def _match_id(message: dict[str, Any]) -> int:
    match_id = message.get("match")
    if not isinstance(match_id, int) or isinstance(match_id, bool):
        raise ValidationError("match must be an integer id", details={"match": ["an integer"]})
    return match_id


_HANDLERS: dict[str, Callable[[User, int, dict[str, Any]], tuple[int, bool]]] = {
    "result.submit": _result_submit,
    "match.status": _match_status,
    "announce": _announce,
}


@database_sync_to_async
def _run_sync(user: User, tournament_id: int, message: dict[str, Any]) -> str:
    command_id = message["id"]
    try:
        seq, duplicate = _HANDLERS[message["type"]](user, tournament_id, message)
    except BadMessage as exc:
        return error_frame("bad_message", str(exc), id=command_id)
    except ApplicationError as exc:
        code = _CODE_BY_STATUS.get(exc.http_status, "validation_error")
        return error_frame(code, exc.message, id=command_id, details=exc.details)
    except DatabaseError:
        # Nothing was applied (the transaction rolled back): the host may retry the same id.
        log.warning("command %s failed: database unavailable", message["type"], exc_info=True)
        return error_frame("unavailable", "Try again shortly.", id=command_id)
    return ack_frame(command_id, seq, duplicate)


async def run(*, user: Any, tournament_id: int, message: dict[str, Any]) -> str:
    return await _run_sync(user, tournament_id, message)
