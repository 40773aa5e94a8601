"""realtime/hub.py's fan-out order: the host's answer before the frames its command made, and a
big room's fan-out yielding to the loop in slices so nothing else waits behind it."""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from realtime import hub as hub_module
from realtime.hub import RoomHub
from tests.support.rooms import live_room
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)


async def test_host_gets_its_ack_before_the_frames_its_submit_made(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectators = [await ws(room.path) for _ in range(3)]
    await host.recv_type("snapshot")
    for spectator in spectators:
        await spectator.recv_type("snapshot")
    for i, match in enumerate(room.matches):
        await host.send(
            {"type": "result.submit", "id": f"m{i}", "match": match.pk, "results": room.rows()}
        )
        first = await host.recv()
        while first["type"] == "presence":
            first = await host.recv()
        # The in-memory layer hands the commit's frames to the hub before the command returns:
        # without the hold the host's own event frames came first.
        assert first["type"] == "ack" and first["id"] == f"m{i}", first
        events = []
        while not events or events[-1]["seq"] < first["seq"]:
            events.append(await host.recv_type("event"))
        for spectator in spectators:
            got = []
            while not got or got[-1]["seq"] < first["seq"]:
                got.append(await spectator.recv_type("event"))
            assert [e["seq"] for e in got] == [e["seq"] for e in events]
    for client in [host, *spectators]:
        await client.close()


class RecordingSocket:
    """The hub's socket interface, writing into a shared log."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name, self.log = name, log

    def push_frames(self, frames: list[tuple[int, str]]) -> None:
        self.log.extend(f"{self.name}:{seq}" for seq, _ in frames)

    def push_presence(self, text: str) -> None:
        pass


async def test_fan_out_yields_every_slice_and_keeps_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(hub_module, "FANOUT_SLICE", 2)
    hub, log = RoomHub(), []
    room = hub_module.Room(7)
    hub.rooms[7] = room
    room.members.update(RecordingSocket(f"s{i}", log) for i in range(5))

    async def ticker() -> None:
        for _ in range(10):
            log.append("tick")
            await asyncio.sleep(0)

    ticking = asyncio.ensure_future(ticker())
    hub.deliver(7, [(1, "a")])
    hub.deliver(7, [(2, "b"), (3, "c")])
    await asyncio.wait_for(room.pump, 2)
    await ticking
    writes = [entry for entry in log if entry != "tick"]
    # Every socket got 1, 2, 3 in order, and every frame reached all five before the next one.
    assert sorted(w.split(":")[0] for w in writes[:5]) == [f"s{i}" for i in range(5)]
    assert {w.split(":")[1] for w in writes[:5]} == {"1"}
    for i in range(5):
        assert [w.split(":")[1] for w in writes if w.startswith(f"s{i}:")] == ["1", "2", "3"]
    # Five sockets in slices of two: the loop ran something else between slices of one batch.
    first_batch = log[: log.index(writes[4]) + 1]
    assert first_batch.count("tick") >= 2


async def test_held_room_waits_for_release_other_rooms_do_not() -> None:
    hub, log = RoomHub(), []
    for room_id in (1, 2):
        hub.rooms[room_id] = hub_module.Room(room_id)
        hub.rooms[room_id].members.add(RecordingSocket(f"r{room_id}", log))
    hub.hold(1)
    hub.deliver(1, [(1, "x")])
    hub.deliver(2, [(1, "y")])
    await asyncio.sleep(0.05)
    assert log == ["r2:1"]  # room 1's frame waits for its host's answer
    assert hub.rooms[1].frames_after(0) == [(1, "x")]  # but a resume from memory already has it
    hub.release(1)
    await asyncio.sleep(0.05)
    assert log == ["r2:1", "r1:1"]
