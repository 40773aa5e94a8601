"""core/events.py: the per-tournament event log: data encoded once, gap-free seqs under
concurrent writers, published once per transaction after commit (never a rolled-back event), and
the replay resume reads (docs/protocol.md, "Guarantees")."""

import json
import threading
from typing import Any

import pytest
from django.db import connection, transaction

from core import events, hooks
from core.models import EventSequence, TournamentEvent
from realtime.frames import event_frame
from tests.factories import TournamentFactory
from tests.support.events import logged, recording

pytestmark = pytest.mark.django_db


def test_data_is_encoded_once_and_framed_as_the_protocol_says(
    django_capture_on_commit_callbacks: Any,
) -> None:
    tournament = TournamentFactory()
    with (
        recording() as rec,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        event = events.event_append(
            tournament=tournament, name="announcement", data={"id": 1, "message": "héllo"}
        )
    assert event.seq == 1
    assert event.data == '{"id":1,"message":"héllo"}'  # compact, not re-escaped
    text = event_frame(event)
    frame = json.loads(text)
    assert list(frame) == ["type", "seq", "name", "at", "data"]
    assert frame["type"] == "event" and frame["name"] == "announcement"
    assert frame["at"].endswith("Z") and len(frame["at"]) == len("2026-11-26T17:04:22.123Z")
    # byte for byte what encoding the whole frame at once gives
    assert text == json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
    stored = TournamentEvent.objects.get(tournament=tournament, seq=1)
    assert stored.data == event.data
    assert frame["at"] == events.format_at(stored.created_at)
    assert events.events_after(tournament.pk, 0) == [event]
    assert rec.calls == [(tournament.pk, [event])]


def test_one_publish_per_transaction_in_seq_order(django_capture_on_commit_callbacks: Any) -> None:
    tournament, other = TournamentFactory(), TournamentFactory()
    with (
        recording() as rec,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        for _ in range(3):
            events.event_append(tournament=tournament, name="announcement", data={})
        events.event_append(tournament=other, name="announcement", data={})
    assert [(tid, [e.seq for e in batch]) for tid, batch in rec.calls] == [
        (tournament.pk, [1, 2, 3]),
        (other.pk, [1]),
    ]
    assert EventSequence.objects.get(tournament=tournament).last_seq == 3


def test_rolled_back_savepoint_is_neither_stored_nor_published(
    django_capture_on_commit_callbacks: Any,
) -> None:
    tournament = TournamentFactory()
    with (
        recording() as rec,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        events.event_append(tournament=tournament, name="announcement", data={"n": 1})
        try:
            with transaction.atomic():
                events.event_append(tournament=tournament, name="announcement", data={"n": 2})
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        events.event_append(tournament=tournament, name="announcement", data={"n": 3})
    assert [(f["seq"], f["data"]) for f in logged(tournament)] == [(1, {"n": 1}), (2, {"n": 3})]
    assert [json.loads(e.data) for e in rec.events] == [{"n": 1}, {"n": 3}]


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_a_programming_error() -> None:
    tournament = TournamentFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        events.event_append(tournament=tournament, name="announcement", data={})


def test_unknown_event_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown event"), transaction.atomic():
        events.event_append(tournament=TournamentFactory(), name="nope", data={})


def test_without_publisher_events_are_only_logged(django_capture_on_commit_callbacks: Any) -> None:
    tournament = TournamentFactory()
    previous = hooks.install(publish_events=None)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            events.event_append(tournament=tournament, name="announcement", data={})
    finally:
        hooks.restore(previous)
    assert [f["seq"] for f in logged(tournament)] == [1]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_stores_and_publishes_nothing() -> None:
    tournament = TournamentFactory()
    with recording() as rec:
        with pytest.raises(RuntimeError), transaction.atomic():
            events.event_append(tournament=tournament, name="announcement", data={})
            raise RuntimeError("rollback")
        assert logged(tournament) == []
        assert rec.calls == []
        with transaction.atomic():
            events.event_append(tournament=tournament, name="announcement", data={"ok": True})
    assert [f["seq"] for f in logged(tournament)] == [1]
    assert [json.loads(e.data) for e in rec.events] == [{"ok": True}]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gap_free_unique_seq() -> None:
    tournament = TournamentFactory()
    per_thread, threads_n = 15, 8
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def writer() -> None:
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    events.event_append(tournament=tournament, name="announcement", data={})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with recording() as rec:
        threads = [threading.Thread(target=writer) for _ in range(threads_n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    seqs = [f["seq"] for f in logged(tournament)]
    assert seqs == list(range(1, per_thread * threads_n + 1))
    assert sorted(e.seq for e in rec.events) == seqs


def test_events_after_replays_in_order_or_says_it_cannot(
    django_capture_on_commit_callbacks: Any,
) -> None:
    tournament = TournamentFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(4):
            events.event_append(tournament=tournament, name="announcement", data={"n": n})
    assert [e.seq for e in events.events_after(tournament.pk, 1)] == [2, 3, 4]
    assert events.events_after(tournament.pk, 4) == []
    assert events.events_after(tournament.pk, 5) is None  # ahead of the log: resync
    TournamentEvent.objects.filter(tournament=tournament, seq=2).delete()  # pruned
    assert events.events_after(tournament.pk, 1) is None
    assert [e.seq for e in events.events_after(tournament.pk, 2)] == [3, 4]
