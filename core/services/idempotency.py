"""Commands applied once per (user, key): a retried websocket command or REST request (its
`Idempotency-Key`) answers the first outcome instead of applying twice (docs/protocol.md, host
commands). The one mechanism every idempotent service uses."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import Conflict, ValidationError
from core.models import IdempotencyRecord, User

MAX_KEY = 64


def fingerprint_of(*parts: Any) -> str:
    """What a key was used for: the same key sent with other content is a client bug, answered
    with a conflict instead of a wrong replay."""
    raw = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:64]


def check_key(key: str | None) -> None:
    if key is not None and not 0 < len(key) <= MAX_KEY:
        message = f"the idempotency key must be 1..{MAX_KEY} characters"
        raise ValidationError(message, details={"request_id": [message]})


def _replay(actor: User, key: str, fingerprint: str) -> dict[str, Any] | None:
    record = IdempotencyRecord.objects.filter(user=actor, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise Conflict("This command id was already used for a different command.")
    return record.outcome


def idempotent_apply(
    *, actor: User, key: str | None, fingerprint: str, apply: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """(outcome, duplicate). With no key, `apply` just runs. Else `apply` runs in the same
    transaction as the record, so either both are committed or neither; of two racing first
    attempts, the unique (user, key) constraint lets one commit and the other answers as a
    duplicate. Call it after taking the locks the command needs, so that a retry waits for the
    first attempt and then finds its record."""
    if key is None:
        return apply(), False
    check_key(key)
    outcome = _replay(actor, key, fingerprint)
    if outcome is not None:
        return outcome, True
    try:
        with transaction.atomic():
            outcome = apply()
            IdempotencyRecord.objects.create(
                user=actor, key=key, fingerprint=fingerprint, outcome=outcome
            )
    except IntegrityError:
        outcome = _replay(actor, key, fingerprint)
        if outcome is None:
            raise
        return outcome, True
    return outcome, False
