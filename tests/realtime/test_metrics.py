"""The realtime side of /metrics (core/observability/metrics.py), scraped over HTTP with the
token during real broadcasts: connection and room gauges, the fan-out histogram, events
published, resume vs snapshot, slow-consumer closes, channel-layer errors."""

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import AsyncClient

from core.events import event_append
from realtime import broadcast, closecodes
from realtime.consumers.room import RoomConsumer
from tests.support.metrics import AUTH, TOKEN, Samples, parse, value
from tests.support.rooms import live_room
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)

FANOUT = "scrimverse_broadcast_fanout_seconds_count"
CONNECTIONS = "scrimverse_ws_connections"


@pytest.fixture(autouse=True)
def _token(settings: Any) -> None:
    settings.METRICS_TOKEN = TOKEN


async def scrape() -> Samples:
    response = await AsyncClient().get("/metrics", headers=AUTH)
    assert response.status_code == 200
    return parse(response.content.decode())


@sync_to_async
def announce(tournament_id: int, count: int) -> None:
    with transaction.atomic():  # one transaction: one broadcast of `count` events
        for i in range(count):
            event_append(tournament=tournament_id, name="announcement", data={"id": i})


async def test_a_broadcast_moves_the_fanout_histogram_and_the_gauges(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    before = await scrape()
    host = await ws(room.path, token=room.host_token)
    spectators = [await ws(room.path) for _ in range(3)]
    for client in (host, *spectators):
        await client.recv_type("snapshot")
    me = await ws("/ws/me/", token=room.host_token)
    await asyncio.sleep(0.05)  # /ws/me/ counts once it has subscribed
    during = await scrape()
    assert value(during, CONNECTIONS, kind="room") - value(before, CONNECTIONS, kind="room") == 3
    assert value(during, CONNECTIONS, kind="host") - value(before, CONNECTIONS, kind="host") == 1
    assert value(during, CONNECTIONS, kind="me") - value(before, CONNECTIONS, kind="me") == 1
    assert value(during, "scrimverse_rooms") - value(before, "scrimverse_rooms") == 1

    await host.send(
        {"type": "result.submit", "id": "m-1", "match": room.matches[0].pk, "results": room.rows()}
    )
    ack = await host.recv_type("ack")
    for client in spectators:
        while (await client.recv_type("event"))["seq"] < ack["seq"]:
            pass
    after = await scrape()
    assert value(after, FANOUT) - value(during, FANOUT) == 1  # one per broadcast, not per socket
    published = "scrimverse_events_published_total"
    assert value(after, published) - value(during, published) == ack["seq"]
    assert value(after, "scrimverse_broadcast_fanout_seconds_sum") > value(
        during, "scrimverse_broadcast_fanout_seconds_sum"
    )

    for client in (host, *spectators, me):
        await client.close()
    await asyncio.sleep(0.05)
    gone = await scrape()
    for kind in ("room", "host", "me"):
        assert value(gone, CONNECTIONS, kind=kind) == value(before, CONNECTIONS, kind=kind)
    assert value(gone, "scrimverse_rooms") == value(before, "scrimverse_rooms")


async def test_resume_and_snapshot_are_counted_apart(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    await announce(room.tournament.pk, 3)
    counted = "scrimverse_room_catch_ups_total"
    before = await scrape()
    fresh = await ws(room.path)
    await fresh.recv_type("snapshot")
    back = await ws(f"{room.path}?since=1")
    await back.recv_type("event")
    await back.send({"type": "resume", "since": 2})
    await back.recv_type("event")
    after = await scrape()
    assert value(after, counted, via="snapshot") - value(before, counted, via="snapshot") == 1
    assert value(after, counted, via="resume") - value(before, counted, via="resume") == 2
    await fresh.close()
    await back.close()


async def test_a_slow_consumer_close_is_counted(ws: OpenClient, monkeypatch: Any) -> None:
    monkeypatch.setattr("realtime.consumers.base.MAX_UNSENT_FRAMES", 3)
    room = await sync_to_async(live_room)()
    stuck = asyncio.Event()
    original = RoomConsumer.send

    async def send(self: RoomConsumer, text_data: str) -> None:
        if not self._paused:
            await stuck.wait()  # this client never reads
        return await original(self, text_data=text_data)

    monkeypatch.setattr(RoomConsumer, "send", send)
    slow = await ws(room.path)
    await slow.recv_type("snapshot")
    before = await scrape()
    for _ in range(6):
        await announce(room.tournament.pk, 1)
    assert await slow.closed_with(5) == closecodes.TOO_SLOW
    after = await scrape()
    closes = "scrimverse_slow_consumer_closes_total"
    assert value(after, closes) - value(before, closes) == 1


class BrokenLayer:
    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        raise ConnectionError("broker down")


async def test_channel_layer_errors_are_counted_by_operation(monkeypatch: Any) -> None:
    room = await sync_to_async(live_room)()
    monkeypatch.setattr(broadcast, "get_channel_layer", lambda: BrokenLayer())
    errors = "scrimverse_channel_layer_errors_total"
    before = await scrape()
    await announce(room.tournament.pk, 2)
    after = await scrape()
    failed = value(after, errors, operation="publish") - value(before, errors, operation="publish")
    assert failed == 1
