"""realtime/broadcast.py and hub.py across real server processes sharing one Redis, and a Redis
restart mid-room.

These start server processes (daphne and uvicorn) against this run's test database, so they need
PostgreSQL and Redis; CI's first pass has both."""

import asyncio
import json
from typing import Any

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from tests.support.rooms import live_room
from tests.support.servers import AsgiServer, RedisServer, database_url_of_this_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(180),
]


class Spectator:
    """Keeps every event in order, resuming after a gap as docs/protocol.md tells clients to."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.events: list[dict[str, Any]] = []
        self.last = 0
        self.spectators = 0

    async def __aenter__(self) -> "Spectator":
        self.sock = await websockets.connect(self.url, compression=None)
        snap = json.loads(await self.sock.recv())
        assert snap["type"] == "snapshot"
        self.last = snap["seq"]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.sock.close()

    async def presence(self, count: int, timeout: float = 8) -> int:
        """Wait for a presence frame announcing `count` spectators (across processes)."""
        async with asyncio.timeout(timeout):
            while self.spectators != count:
                frame = json.loads(await self.sock.recv())
                if frame["type"] == "presence":
                    self.spectators = frame["spectators"]
        return self.spectators

    async def until(self, seq: int, timeout: float = 15) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout):
            while self.last < seq:
                frame = json.loads(await self.sock.recv())
                if frame["type"] == "presence":
                    self.spectators = frame["spectators"]
                if frame["type"] != "event":
                    continue
                if frame["seq"] != self.last + 1:
                    if frame["seq"] > self.last + 1:
                        await self.sock.send(json.dumps({"type": "resume", "since": self.last}))
                    continue
                self.events.append(frame)
                self.last = frame["seq"]
        return self.events


def put_result(base: str, token: str, match_id: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    response = httpx.put(
        f"{base}/api/matches/{match_id}/",
        json={"results": rows},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


def servers(count: int, redis_url: str) -> list[AsgiServer]:
    """daphne and uvicorn (the production configuration) in turn: rooms must not care."""
    env = {"DATABASE_URL": database_url_of_this_run(), "REDIS_URL": redis_url}
    kinds = ["daphne", "uvicorn"]
    return [AsgiServer(env, server=kinds[i % 2]).start() for i in range(count)]


async def test_two_processes_deliver_every_event_in_the_same_order(
    redis_server: RedisServer,
) -> None:
    room = await sync_to_async(live_room)(teams=4)
    a, b = await sync_to_async(servers)(2, redis_server.url)
    try:
        token = room.host_token
        path = room.path
        async with (
            Spectator(a.ws + path) as on_a,
            Spectator(b.ws + path) as on_b,
            websockets.connect(
                a.ws + path, additional_headers={"Authorization": f"Bearer {token}"}
            ) as host,
        ):
            assert json.loads(await host.recv())["type"] == "snapshot"
            await host.send(
                json.dumps(
                    {
                        "type": "result.submit",
                        "id": "mp-1",
                        "match": room.matches[0].pk,
                        "results": room.rows([3, 1, 0, 2]),
                    }
                )
            )
            ack = None
            while ack is None:
                frame = json.loads(await host.recv())
                ack = frame if frame["type"] in ("ack", "error") else None
            assert ack["type"] == "ack", ack
            # A result submitted over REST to the OTHER process reaches both too.
            outcome = await sync_to_async(put_result)(
                b.http, token, room.matches[1].pk, room.rows([0, 1, 2, 3])
            )
            last = outcome["seq"]
            got_a, got_b = await on_a.until(last), await on_b.until(last)
            assert [e["seq"] for e in got_a] == list(range(1, last + 1))
            assert got_a == got_b
            names = [e["name"] for e in got_a]
            assert names.count("match.result") == 2
            # Presence counts every socket of the room, whichever process holds it.
            assert await on_b.presence(3) == 3
            assert await on_a.presence(3) == 3
    finally:
        a.stop()
        b.stop()


async def test_redis_restart_rooms_recover_without_server_restart(
    redis_server: RedisServer,
) -> None:
    room = await sync_to_async(live_room)(teams=4)
    (server,) = await sync_to_async(servers)(1, redis_server.url)
    token = str(await sync_to_async(AccessToken.for_user)(room.host))
    try:
        async with Spectator(server.ws + room.path) as spectator:
            first = await sync_to_async(put_result)(
                server.http, token, room.matches[0].pk, room.rows()
            )
            await spectator.until(first["seq"])

            redis_server.stop()
            # Redis is down: REST still records results (broadcast fails, logged, not raised).
            during = await sync_to_async(put_result)(
                server.http, token, room.matches[0].pk, room.rows([1, 0, 2, 3])
            )
            assert during["seq"] > first["seq"]
            redis_server.start()

            # Within 10 s broadcasts flow again; the spectator resumes what it missed.
            deadline = asyncio.get_running_loop().time() + 10
            after = None
            while True:
                after = await sync_to_async(put_result)(
                    server.http, token, room.matches[0].pk, room.rows([2, 1, 0, 3])
                )
                try:
                    await spectator.until(after["seq"], timeout=1.5)
                    break
                except TimeoutError:
                    assert asyncio.get_running_loop().time() < deadline, "no broadcast in 10 s"
            seqs = [e["seq"] for e in spectator.events]
            assert seqs == list(range(1, after["seq"] + 1))  # nothing lost
    finally:
        server.stop()
