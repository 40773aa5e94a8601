"""The per-tournament event log (docs/protocol.md, "Guarantees").

`event_append` runs inside the caller's transaction: it takes the next `seq` (one upsert of the
tournament's EventSequence row, which holds that row until commit: no gaps, no repeats whatever
the number of writers), stores the event with its data encoded once as JSON, and
arranges for the committed events to reach the publisher after commit (core/hooks.py; realtime
fills it, wraps each event in its frame and broadcasts it). `events_after` is the replay read that
resume uses. Without a publisher (core alone, most tests) events are only logged. The committed
events a host's webhooks subscribe to are also handed to the webhook fan-out job
(docs/webhooks.md), when the host had an enabled endpoint for the tournament as the event was
appended.
"""

import json
import logging
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import hooks, jobs
from core.models import EventSequence, Tournament, TournamentEvent, WebhookEndpoint

log = logging.getLogger(__name__)
EVENT_NAMES = frozenset(
    {
        "tournament.status",
        "round.status",
        "match.status",
        "match.result",
        "announcement",
        "winner",
        "registration.status",
        "match.dispute",
        "match.schedule",
    }
)
# The logged events webhooks carry (registrations reach them from their service). Standings
# travel inside `match.result` (protocol v2): an endpoint subscribed to "standings" gets those.
WEBHOOK_EVENT_NAMES = frozenset({"match.result", "winner", "announcement"})


@dataclass(frozen=True, slots=True)
class Event:
    tournament_id: int
    seq: int
    name: str
    at: datetime
    data: str  # the event's data, encoded once as compact JSON
    # An endpoint listened when it was appended: its fan-out is enqueued after commit.
    webhooks: bool = False


# Events appended by this thread's open transaction(s), waiting for commit.
_pending = threading.local()


def format_at(moment: datetime) -> str:
    """The protocol's time format: UTC, milliseconds, "Z"."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def encode_data(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def current_seq(tournament_id: int) -> int:
    """The tournament's last committed seq (0 before its first event)."""
    last = (
        EventSequence.objects.filter(tournament_id=tournament_id)
        .values_list("last_seq", flat=True)
        .first()
    )
    return last or 0


# One statement on PostgreSQL and SQLite (3.35+): the counter row is created by the first event
# and bumped by every later one; the row stays locked until commit, so writers queue on it.
_NEXT_SEQ = (
    "INSERT INTO {table} (tournament_id, last_seq) VALUES (%s, 1) "
    "ON CONFLICT (tournament_id) DO UPDATE SET last_seq = {table}.last_seq + 1 "
    "RETURNING last_seq"
)


def _next_seq(tournament_id: int) -> int:
    connection = transaction.get_connection()
    table = connection.ops.quote_name(EventSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_SEQ.format(table=table), [tournament_id])
        return cursor.fetchone()[0]


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
    # Decided inside the transaction (an endpoint committed before this point gets the event), so
    # the common case, nobody listening, costs one read and no write after commit.
    webhooks = name in WEBHOOK_EVENT_NAMES and _listening(tournament_id).exists()
    event = Event(tournament_id, seq, name, timezone.now(), encode_data(data), webhooks)
    TournamentEvent.objects.create(
        tournament_id=tournament_id,
        seq=seq,
        name=name,
        data=event.data,
        created_at=event.at,
        webhooks_pending=webhooks,
    )
    pending = _pending_list()
    pending.append(event)
    transaction.on_commit(partial(_flush, pending), robust=True)
    return event


def events_after(tournament_id: int, since: int) -> list[Event] | None:
    """Every committed event after `since`, in seq order, or None when the log cannot give them
    all (pruned past `since`, or `since` ahead of the log: the client must resync)."""
    current = current_seq(tournament_id)
    if since > current:
        return None
    rows = list(
        TournamentEvent.objects.filter(tournament_id=tournament_id, seq__gt=since)
        .order_by("seq")
        .values_list("seq", "name", "created_at", "data")
    )
    if len(rows) != current - since or (rows and rows[0][0] != since + 1):
        return None
    return [Event(tournament_id, *row) for row in rows]


def _pending_list() -> list[Event]:
    if not hasattr(_pending, "events"):
        _pending.events = []
    return _pending.events


def _flush(pending: list[Event]) -> None:
    """After commit: publish this thread's pending events, one call per tournament.

    Every append registers this callback; the first one to run takes the whole batch and the
    rest find it empty, so a transaction's events go out together. An event whose savepoint (or
    whole transaction) rolled back may still sit in the list, so the batch is checked against
    what was committed: only events stored in the log, with their very time and data, are
    published (a rolled-back seq is taken again by the next writer, with another time).
    """
    if not pending:
        return
    batch = pending[:]
    pending.clear()
    stored = set(
        TournamentEvent.objects.filter(
            tournament_id__in={e.tournament_id for e in batch}, seq__in={e.seq for e in batch}
        ).values_list("tournament_id", "seq", "created_at", "data")
    )
    by_tournament: dict[int, list[Event]] = defaultdict(list)
    for event in sorted(batch, key=lambda e: (e.tournament_id, e.seq)):
        if (event.tournament_id, event.seq, event.at, event.data) in stored:
            by_tournament[event.tournament_id].append(event)
    for tournament_id, events in by_tournament.items():
        hooks.publish_events(tournament_id, events)
        _to_webhooks(tournament_id, events)


def _listening(tournament_id: int) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        Q(tournament__isnull=True) | Q(tournament_id=tournament_id),
        enabled=True,
        owner__hosted_tournaments__id=tournament_id,
    )


def _to_webhooks(tournament_id: int, events: list[Event]) -> None:
    seqs = [e.seq for e in events if e.webhooks]
    if not seqs:
        return
    try:
        jobs.enqueue(jobs.WEBHOOKS_FAN_OUT, tournament_id=tournament_id, seqs=seqs)
    except Exception:  # the broker's errors vary by transport; the outbox keeps the events
        log.exception("webhook fan-out not enqueued tournament=%s seqs=%s", tournament_id, seqs)
