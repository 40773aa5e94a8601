"""Host commands over the socket (PROTOCOL.md): the very same services as REST, so a change made
here produces exactly the events a REST change produces. Each runs in a worker thread (the
database is synchronous); the socket gets one `ack` or `error` frame back."""

import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from django.db import DatabaseError

from core.errors import ApplicationError
from core.events import current_seq
from core.models import Match, Tournament, User
from core.selectors.room import user_may_command
from core.services.announcements import announcement_create
from core.services.idempotency import fingerprint_of, idempotent_apply
from core.services.matches import match_update
from core.services.results import match_result_submit
from realtime.consumers.base import error_frame

log = logging.getLogger(__name__)

HOST_COMMANDS = {"result.submit", "match.status", "announce"}

# PROTOCOL.md error codes by the HTTP status of the domain error.
_CODE_BY_STATUS = {
    400: "validation_error",
    401: "forbidden",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    429: "rate_limited",
    503: "unavailable",
}


def may_command(user: Any, meta: dict[str, Any]) -> bool:
    return user_may_command(user, meta)


def ack_frame(command_id: str, seq: int, duplicate: bool) -> str:
    return json.dumps(
        {"type": "ack", "id": command_id, "seq": seq, "duplicate": duplicate},
        separators=(",", ":"),
    )


def _match_of(tournament_id: int, message: dict[str, Any]) -> Match:
    from core.errors import NotFound, ValidationError

    match_id = message.get("match")
    if not isinstance(match_id, int) or isinstance(match_id, bool):
        raise ValidationError("match must be an integer id", details={"match": ["an integer"]})
    match = Match.objects.filter(pk=match_id, tournament_id=tournament_id).first()
    if match is None:
        raise NotFound("No such match in this tournament.")
    return match


def _result_submit(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    final = message.get("final", False)
    if not isinstance(final, bool):
        raise _bad("final must be true or false")
    version = message.get("version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise _bad("version must be an integer")
    if not isinstance(message.get("results"), list):
        raise _bad("results must be a list")
    outcome = match_result_submit(
        actor=user,
        match=_match_of(tournament_id, message),
        rows=message["results"],
        final=final,
        version=version,
        request_id=message["id"],
    )
    return outcome.seq, outcome.duplicate


def _match_status(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    status = message.get("status")
    if not isinstance(status, str):
        raise _bad("status must be a string")
    match = _match_of(tournament_id, message)

    def apply() -> dict[str, Any]:
        match_update(actor=user, match=match, changes={"status": status})
        return {"seq": current_seq(tournament_id)}

    outcome, duplicate = idempotent_apply(
        actor=user,
        key=message["id"],
        fingerprint=fingerprint_of("match.status", match.pk, status),
        apply=apply,
    )
    return outcome["seq"], duplicate


def _announce(user: User, tournament_id: int, message: dict[str, Any]) -> tuple[int, bool]:
    text = message.get("message")
    if not isinstance(text, str):
        raise _bad("message must be a string")
    tournament = Tournament.objects.get(pk=tournament_id)

    def apply() -> dict[str, Any]:
        announcement_create(actor=user, tournament=tournament, message=text)
        return {"seq": current_seq(tournament_id)}

    outcome, duplicate = idempotent_apply(
        actor=user,
        key=message["id"],
        fingerprint=fingerprint_of("announce", tournament_id, text),
        apply=apply,
    )
    return outcome["seq"], duplicate


class _BadMessage(Exception):
    pass


def _bad(message: str) -> _BadMessage:
    return _BadMessage(message)


_HANDLERS = {
    "result.submit": _result_submit,
    "match.status": _match_status,
    "announce": _announce,
}


@database_sync_to_async
def _run_sync(user: User, tournament_id: int, message: dict[str, Any]) -> str:
    command_id = message["id"]
    try:
        seq, duplicate = _HANDLERS[message["type"]](user, tournament_id, message)
    except _BadMessage as exc:
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
