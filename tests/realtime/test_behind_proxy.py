"""Several server processes behind a real reverse proxy, as deployed (deploy/nginx.conf in front of
uvicorn on the lean protocol, rooms spanning processes over Redis): spectators connecting through
the proxy land on different processes and all receive every event in the same order, gap-free;
a process stopped behind the proxy costs its clients one reconnect with `since` and nothing else.

Three uvicorn processes on loopback ports against this run's test database and a private Redis,
Debian's nginx in front. Needs PostgreSQL (several processes write one database) and Redis."""

import asyncio
import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async

from tests.support.proxy import NGINX, NginxProxy
from tests.support.rooms import LiveRoom, live_room
from tests.support.servers import AsgiServer, RedisServer, database_url_of_this_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(240),
    pytest.mark.skipif(shutil.which(NGINX) is None, reason="needs nginx (apt-get install nginx)"),
]


class Spectator:
    """One spectator through the proxy: keeps every event in order, and when its socket closes
    reconnects with `since` (docs/protocol.md), as the live page does."""

    def __init__(self, base: str, path: str) -> None:
        self.base, self.path = base, path
        self.events: list[dict[str, Any]] = []
        self.last = 0
        self.served_by: list[str] = []  # the upstream of each connection, in order

    async def connect(self) -> None:
        query = f"?since={self.last}" if self.served_by else ""
        self.sock = await websockets.connect(self.base + self.path + query, compression=None)
        # nginx lists every upstream it tried ("dead:port, live:port"): the last one holds it.
        self.served_by.append(self.sock.response.headers["X-Served-By"].split(", ")[-1])
        if not query:
            snapshot = json.loads(await self.sock.recv())
            assert snapshot["type"] == "snapshot"
            self.last = snapshot["seq"]

    async def until(self, seq: int, timeout: float = 30) -> None:
        async with asyncio.timeout(timeout):
            while self.last < seq:
                try:
                    frame = json.loads(await self.sock.recv())
                except websockets.ConnectionClosed:
                    await self.connect()
                    continue
                assert frame["type"] != "snapshot", "resumed by a snapshot: events were lost"
                if frame["type"] != "event":
                    continue
                if frame["seq"] > self.last + 1:
                    await self.sock.send(json.dumps({"type": "resume", "since": self.last}))
                    continue
                if frame["seq"] == self.last + 1:
                    self.events.append(frame)
                    self.last = frame["seq"]


def put_result(base: str, room: LiveRoom, match: int, order: list[int]) -> int:
    response = httpx.put(
        f"{base}/api/matches/{room.matches[match].pk}/",
        json={"results": room.rows(order)},
        headers={"Authorization": f"Bearer {room.host_token}"},
        timeout=15,
    )
    assert response.status_code == 200, response.text
    return response.json()["seq"]


@contextlib.contextmanager
def stack(redis_url: str, prefix: Path) -> Iterator[tuple[list[AsgiServer], NginxProxy]]:
    env = {"DATABASE_URL": database_url_of_this_run(), "REDIS_URL": redis_url}
    servers: list[AsgiServer] = []
    proxy = None
    try:
        for _ in range(3):
            servers.append(AsgiServer(env, server="uvicorn").start())
        proxy = NginxProxy([s.port for s in servers], prefix).start()
        yield servers, proxy
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()


async def host_submits(proxy: NginxProxy, room: LiveRoom) -> int:
    """The host's `result.submit` over its own socket through the proxy; the ack's seq."""
    headers = {"Authorization": f"Bearer {room.host_token}"}
    async with websockets.connect(proxy.ws + room.path, additional_headers=headers) as host:
        assert json.loads(await host.recv())["type"] == "snapshot"
        frame = {"type": "result.submit", "id": "px-1", "match": room.matches[0].pk}
        await host.send(json.dumps(frame | {"results": room.rows([3, 1, 0, 2])}))
        while True:
            reply = json.loads(await host.recv())
            if reply["type"] in ("ack", "error"):
                assert reply["type"] == "ack", reply
                return reply["seq"]


async def test_spectators_behind_the_proxy_span_processes_and_survive_one_stopping(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    room = await sync_to_async(live_room)(teams=4)
    with stack(redis_server.url, tmp_path / "nginx") as (servers, proxy):
        spectators = [Spectator(proxy.ws, room.path) for _ in range(6)]
        for spectator in spectators:
            await spectator.connect()
        # Round robin, no stickiness: six sockets, two on each of the three processes.
        landed = [s.served_by[0] for s in spectators]
        assert sorted(landed.count(addr) for addr in set(landed)) == [2, 2, 2]
        assert {addr.rsplit(":", 1)[1] for addr in landed} == {str(s.port) for s in servers}

        await host_submits(proxy, room)
        last = await sync_to_async(put_result)(proxy.http, room, 1, [0, 1, 2, 3])
        await asyncio.gather(*(s.until(last) for s in spectators))
        first = [e["seq"] for e in spectators[0].events]
        assert first == list(range(1, last + 1))
        assert all(s.events == spectators[0].events for s in spectators)
        assert [e["name"] for e in spectators[0].events].count("match.result") == 2

        # Stop the process holding spectators[0]; a result lands while its clients are away.
        stopped = landed[0]
        victim = next(s for s in servers if stopped.endswith(f":{s.port}"))
        await sync_to_async(victim.stop)()
        after = await sync_to_async(put_result)(proxy.http, room, 0, [2, 3, 1, 0])
        assert after > last
        await asyncio.gather(*(s.until(after) for s in spectators))
        for spectator in spectators:
            assert [e["seq"] for e in spectator.events] == list(range(1, after + 1))
            assert spectator.events == spectators[0].events
            if spectator.served_by[0] == stopped:
                # One reconnect with `since`, to a process still running.
                assert len(spectator.served_by) == 2 and spectator.served_by[1] != stopped
            else:
                assert spectator.served_by == [spectator.served_by[0]]  # never disturbed
        for spectator in spectators:
            await spectator.sock.close()
