"""realtime/broadcast.py, the one module on the channel layer: a publish is one layer message to
the room's group with every frame encoded once (and drops the cached snapshot); a notification
reaches the user's group; a broken layer is logged, never raised; the readiness check raises."""

import logging
import time
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.core.cache import cache

from core.events import Event, encode_data
from realtime import broadcast, frames, snapshot

AT = datetime(2026, 11, 26, 17, 4, 22, 123000, tzinfo=UTC)


def an_event(seq: int, tournament_id: int = 5) -> Event:
    return Event(tournament_id, seq, "announcement", AT, encode_data({"id": seq, "message": "hi"}))


class BrokenLayer:
    """A channel layer whose broker is down."""

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        raise ConnectionError("broker down")


def test_group_names() -> None:
    assert (broadcast.room_group(5), broadcast.user_group(9)) == ("room.5", "user.9")


async def test_a_publish_is_one_message_with_every_frame() -> None:
    channel = await broadcast.hub_channel()
    await broadcast.room_subscribe(5, channel)
    batch = [an_event(1), an_event(2)]
    await sync_to_async(broadcast.publish)(5, batch)
    message = await broadcast.receive(channel)
    assert (message["type"], message["room"]) == (broadcast.ROOM_FRAMES, 5)
    # (seq, text) pairs; through Redis a pair arrives as a list
    assert [tuple(pair) for pair in message["frames"]] == [
        (1, frames.event_frame(batch[0])),
        (2, frames.event_frame(batch[1])),
    ]
    # `at`: when the publisher ran, after commit (wall clock), for the fan-out latency metric
    assert set(message) == {"type", "room", "frames", "at"}
    assert abs(message["at"] - time.time()) < 5
    await broadcast.room_unsubscribe(5, channel)


async def test_presence_reports_go_to_the_room() -> None:
    channel = await broadcast.hub_channel()
    await broadcast.room_subscribe(3, channel)
    await broadcast.presence_report(3, process="p-1", count=12)
    assert await broadcast.receive(channel) == {
        "type": broadcast.ROOM_PRESENCE,
        "room": 3,
        "proc": "p-1",
        "count": 12,
    }


async def test_a_notification_reaches_the_users_group() -> None:
    channel = await broadcast.hub_channel()
    await broadcast.user_subscribe(9, channel)
    row = SimpleNamespace(pk=1, user_id=9, kind="k", title="t", body="", data={}, created_at=AT)
    await sync_to_async(broadcast.push_notification)(row)
    message = await broadcast.receive(channel)
    assert message == {"type": broadcast.USER_NOTIFICATION, "frame": frames.notification_frame(row)}
    await broadcast.user_unsubscribe(9, channel)


def test_a_publish_drops_the_cached_snapshot_even_without_events() -> None:
    cache.set_many({snapshot.meta_key(5): {"id": 5}, snapshot.snapshot_key(5): {"seq": 1}})
    broadcast.publish(5, [])
    assert cache.get(snapshot.meta_key(5)) is None and cache.get(snapshot.snapshot_key(5)) is None


def test_a_broken_layer_is_logged_not_raised(monkeypatch: Any, caplog: Any) -> None:
    monkeypatch.setattr(broadcast, "get_channel_layer", BrokenLayer)
    caplog.set_level(logging.WARNING, logger="realtime.broadcast")
    broadcast.publish(5, [an_event(3), an_event(4)])
    row = SimpleNamespace(pk=1, user_id=9, kind="k", title="t", body="", data={}, created_at=AT)
    broadcast.push_notification(row)
    assert "room 5: broadcast of seq 3..4 failed; clients will resume" in caplog.text
    assert "user 9: notification push failed" in caplog.text
    with pytest.raises(ConnectionError):
        broadcast.check_layer()


def test_a_failing_snapshot_cache_does_not_stop_the_broadcast(
    monkeypatch: Any, caplog: Any
) -> None:
    sent: list[tuple[str, dict[str, Any]]] = []

    class Layer:
        async def group_send(self, group: str, message: dict[str, Any]) -> None:
            sent.append((group, message))

    def cache_down(keys: list[str]) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(broadcast, "get_channel_layer", Layer)
    monkeypatch.setattr(snapshot.cache, "delete_many", cache_down)
    caplog.set_level(logging.WARNING, logger="realtime.snapshot")
    broadcast.publish(5, [an_event(1)])
    assert "room 5: cache invalidation failed" in caplog.text
    assert [group for group, _ in sent] == ["room.5"]
    # Whatever the cache still holds, this process serves no snapshot older than seq 1 now.
    assert snapshot.committed_seq(5) == 1


def test_the_readiness_check_passes_on_a_working_layer() -> None:
    broadcast.check_layer()
