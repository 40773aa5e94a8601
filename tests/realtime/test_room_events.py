"""realtime/hub.py and the room consumer (docs/protocol.md): events after commit, gap-free seq,
resume, presence, slow consumers."""

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from core.events import event_append
from core.models import TournamentEvent
from realtime import closecodes
from realtime.consumers.room import RoomConsumer
from tests.factories import TournamentFactory
from tests.support.sockets import OpenClient, WsClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def append(tournament_id: int, count: int = 1, *, fail: bool = False) -> list[int]:
    seqs = []
    try:
        with transaction.atomic():
            for i in range(count):
                data = {"id": i, "message": f"note {i}", "at": "2026-11-26T17:04:22.123Z"}
                seqs.append(
                    event_append(tournament=tournament_id, name="announcement", data=data).seq
                )
            if fail:
                raise RuntimeError("roll back")
    except RuntimeError:
        pass
    return seqs


@sync_to_async
def tournament_id() -> int:
    return TournamentFactory().pk


async def events(client: WsClient, n: int) -> list[dict[str, Any]]:
    return [await client.recv_type("event") for _ in range(n)]


async def test_committed_events_reach_every_spectator_in_order(ws: OpenClient) -> None:
    tid = await tournament_id()
    a = await ws(f"/ws/tournaments/{tid}/")
    b = await ws(f"/ws/tournaments/{tid}/")
    assert (await a.recv_type("snapshot"))["seq"] == 0
    assert (await b.recv_type("snapshot"))["seq"] == 0
    await append(tid, 3)
    await append(tid, 2)
    got_a, got_b = await events(a, 5), await events(b, 5)
    assert [e["seq"] for e in got_a] == [1, 2, 3, 4, 5]
    assert got_a == got_b
    assert got_a[0]["name"] == "announcement" and got_a[0]["data"]["message"] == "note 0"
    await a.close()
    await b.close()


async def test_rolled_back_change_broadcasts_nothing(ws: OpenClient) -> None:
    tid = await tournament_id()
    a = await ws(f"/ws/tournaments/{tid}/")
    await a.recv_type("snapshot")
    assert await append(tid, 2, fail=True) == [1, 2]
    assert await a.nothing(0.5)
    assert await append(tid, 1) == [1]  # the rolled-back seqs were never taken
    assert [e["seq"] for e in await events(a, 1)] == [1]
    await a.close()


async def test_snapshot_carries_current_seq_and_is_followed_by_new_events(ws: OpenClient) -> None:
    tid = await tournament_id()
    await append(tid, 4)
    a = await ws(f"/ws/tournaments/{tid}/")
    snap = await a.recv_type("snapshot")
    assert snap["seq"] == 4
    await append(tid, 1)
    assert [e["seq"] for e in await events(a, 1)] == [5]
    await a.close()


async def test_resume_on_connect_replays_only_missed_events(ws: OpenClient) -> None:
    tid = await tournament_id()
    await append(tid, 3)
    a = await ws(f"/ws/tournaments/{tid}/?since=1")
    got = await events(a, 2)
    assert [e["seq"] for e in got] == [2, 3]
    await append(tid, 1)
    assert [e["seq"] for e in await events(a, 1)] == [4]
    await a.close()


async def test_resume_message_replays_from_memory_or_database(ws: OpenClient) -> None:
    tid = await tournament_id()
    a = await ws(f"/ws/tournaments/{tid}/")
    await a.recv_type("snapshot")
    await append(tid, 6)
    assert len(await events(a, 6)) == 6
    await a.send({"type": "resume", "since": 2})
    assert [e["seq"] for e in await events(a, 4)] == [3, 4, 5, 6]
    await a.send({"type": "resume", "since": 6})
    assert await a.nothing(0.3)
    await a.close()
    # A fresh process-level memory (new hub) must answer from the database just the same.
    b = await ws(f"/ws/tournaments/{tid}/?since=0")
    assert [e["seq"] for e in await events(b, 6)] == [1, 2, 3, 4, 5, 6]
    await b.close()


async def test_resume_beyond_retention_or_ahead_gets_a_snapshot(ws: OpenClient) -> None:
    tid = await tournament_id()
    await append(tid, 5)
    await sync_to_async(
        lambda: TournamentEvent.objects.filter(tournament_id=tid, seq__lte=2).delete()
    )()
    old = await ws(f"/ws/tournaments/{tid}/?since=1")
    assert (await old.recv_type("snapshot"))["seq"] == 5
    ahead = await ws(f"/ws/tournaments/{tid}/?since=99")
    assert (await ahead.recv_type("snapshot"))["seq"] == 5
    kept = await ws(f"/ws/tournaments/{tid}/?since=2")
    assert [e["seq"] for e in await events(kept, 3)] == [3, 4, 5]
    for c in (old, ahead, kept):
        await c.close()


async def test_presence_counts_spectators(ws: OpenClient) -> None:
    tid = await tournament_id()
    a = await ws(f"/ws/tournaments/{tid}/")
    b = await ws(f"/ws/tournaments/{tid}/")
    await a.recv_type("snapshot")
    snap_b = await b.recv_type("snapshot")
    assert snap_b["spectators"] == 2
    frame = json.loads(await a.comm.receive_from(timeout=4))
    assert frame == {"type": "presence", "spectators": 2}
    await b.close()
    frame = json.loads(await a.comm.receive_from(timeout=4))
    assert frame == {"type": "presence", "spectators": 1}
    await a.close()


async def test_a_socket_that_cannot_keep_up_is_closed_4408_others_unaffected(
    ws: OpenClient, monkeypatch: Any
) -> None:
    tid = await tournament_id()
    stuck = asyncio.Event()
    original = RoomConsumer.send

    async def send(self: RoomConsumer, text_data: str) -> None:
        if b"slow=1" in self.scope["query_string"] and not self._paused:
            await stuck.wait()  # this client never reads
        return await original(self, text_data=text_data)

    monkeypatch.setattr(RoomConsumer, "send", send)
    slow = await ws(f"/ws/tournaments/{tid}/?slow=1")
    fast = await ws(f"/ws/tournaments/{tid}/")
    await slow.recv_type("snapshot")
    await fast.recv_type("snapshot")
    for _ in range(150):  # one change after another, as a live match produces them
        await append(tid, 1)
    assert [e["seq"] for e in await events(fast, 150)] == list(range(1, 151))
    assert await slow.closed_with(5) == closecodes.TOO_SLOW
    await fast.close()
