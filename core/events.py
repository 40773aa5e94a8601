"""The per-tournament event log (PROTOCOL.md "Guarantees").

`event_append` runs inside the caller's transaction: it takes the next `seq` under the row lock of
the tournament's EventSequence (no gaps, no repeats whatever the number of writers), stores the
final frame text, and arranges for the committed events to reach the single publisher after
commit. `realtime.broadcast` registers that publisher at start-up; without one (core alone, most
tests) events are only logged.
"""

import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.models import EventSequence, Tournament, TournamentEvent

log = logging.getLogger(__name__)

EVENT_NAMES = frozenset(
    {
        "tournament.status",
        "round.status",
        "match.status",
        "match.result",
        "standings",
        "announcement",
        "winner",
    }
)


@dataclass(frozen=True, slots=True)
class Event:
    tournament_id: int
    seq: int
    name: str
    frame: str


Publisher = Callable[[int, Sequence[Event]], None]

_publisher: Publisher | None = None
# Events appended by this thread's open transaction(s), waiting for commit.
_pending = threading.local()


def register_publisher(fn: Publisher | None) -> Publisher | None:
    """Install the one publisher (None removes it); returns the previous one (tests restore it)."""
    global _publisher
    previous, _publisher = _publisher, fn
    return previous


def publish(tournament_id: int, events: Sequence[Event]) -> None:
    if _publisher is None:
        log.debug(
            "no publisher: %d event(s) of tournament %s logged only", len(events), tournament_id
        )
        return
    _publisher(tournament_id, events)


def format_at(moment: datetime) -> str:
    """PROTOCOL.md time format: UTC, milliseconds, "Z"."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def encode_frame(*, seq: int, name: str, at: datetime, data: Any) -> str:
    frame = {"type": "event", "seq": seq, "name": name, "at": format_at(at), "data": data}
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def current_seq(tournament_id: int) -> int:
    """The tournament's last committed seq (0 before its first event)."""
    last = (
        EventSequence.objects.filter(tournament_id=tournament_id)
        .values_list("last_seq", flat=True)
        .first()
    )
    return last or 0


def _next_seq(tournament_id: int) -> int:
    # Creating the counter row races only once per tournament: ignore_conflicts turns the loser's
    # INSERT into a no-op, and then both queue on the row lock.
    EventSequence.objects.bulk_create(
        [EventSequence(tournament_id=tournament_id)], ignore_conflicts=True
    )
    counter = EventSequence.objects.select_for_update().get(tournament_id=tournament_id)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return counter.last_seq


def event_append(*, tournament: Tournament | int, name: str, data: Any) -> Event:
    """Append one event to the tournament's log in the current transaction."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event name {name!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "event_append must run inside the transaction of the change it describes"
        )
    tournament_id = tournament if isinstance(tournament, int) else tournament.pk
    seq = _next_seq(tournament_id)
    now = timezone.now()
    frame = encode_frame(seq=seq, name=name, at=now, data=data)
    TournamentEvent.objects.create(
        tournament_id=tournament_id, seq=seq, name=name, frame=frame, created_at=now
    )
    event = Event(tournament_id, seq, name, frame)
    pending = _pending_list()
    pending.append(event)
    transaction.on_commit(partial(_flush, pending), robust=True)
    return event


def _pending_list() -> list[Event]:
    if not hasattr(_pending, "events"):
        _pending.events = []
    return _pending.events


def _flush(pending: list[Event]) -> None:
    """After commit: publish this thread's pending events, one call per tournament.

    Every append registers this callback; the first one to run takes the whole batch and the
    rest find it empty, so a transaction's events go out together. An event whose savepoint (or
    whole transaction) rolled back may still sit in the list, so the batch is checked against
    what was committed: only frames stored in the log are published.
    """
    if not pending:
        return
    batch = pending[:]
    pending.clear()
    stored = set(
        TournamentEvent.objects.filter(
            tournament_id__in={e.tournament_id for e in batch}, seq__in={e.seq for e in batch}
        ).values_list("tournament_id", "seq", "frame")
    )
    by_tournament: dict[int, list[Event]] = defaultdict(list)
    for event in sorted(batch, key=lambda e: (e.tournament_id, e.seq)):
        if (event.tournament_id, event.seq, event.frame) in stored:
            by_tournament[event.tournament_id].append(event)
    for tournament_id, events in by_tournament.items():
        publish(tournament_id, events)
