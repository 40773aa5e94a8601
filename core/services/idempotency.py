"""Commands applied once per (user, key): a retried websocket command or REST request answers
the first outcome instead of applying twice (PROTOCOL.md, host commands)."""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from core.errors import Conflict
from core.models import IdempotencyRecord, User


def fingerprint_of(*parts: Any) -> str:
    raw = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:64]


def _replay(actor: User, key: str, fingerprint: str) -> dict[str, Any] | None:
    record = IdempotencyRecord.objects.filter(user=actor, key=key).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise Conflict("This command id was already used for a different command.")
    return record.outcome


def idempotent_apply(
    *, actor: User, key: str, fingerprint: str, apply: Callable[[], dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """(outcome, duplicate). `apply` runs in the same transaction as the record, so either both
    are committed or neither; of two racing first attempts, the unique (user, key) constraint
    lets one commit and the other answers as a duplicate."""
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
