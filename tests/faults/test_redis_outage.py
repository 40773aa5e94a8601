"""Redis down under a running server (docs/quality.md, "Faults"): it is an optimisation for all
but the channel layer, so sign-in, throttled endpoints, reads and joins keep working from the
database, nothing answers 500, and no snapshot is older than what the process itself committed.

Real processes: the production server (uvicorn) on this run's test database, and a private
redis-server (cache and channel layer) that each test stops and starts."""

import json

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from core.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.rooms import LiveRoom, live_room
from tests.support.servers import AsgiServer, RedisServer, database_url_of_this_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(120),
]


def _server(redis: RedisServer) -> AsgiServer:
    env = {"DATABASE_URL": database_url_of_this_run(), "REDIS_URL": redis.url}
    return AsgiServer(env, server="uvicorn").start()


def _put(server: AsgiServer, room: LiveRoom, order: list[int]) -> int:
    response = httpx.put(
        f"{server.http}/api/matches/{room.matches[0].pk}/",
        json={"results": room.rows(order)},
        headers={"Authorization": f"Bearer {room.host_token}"},
        timeout=20,
    )
    assert response.status_code == 200, response.text
    return response.json()["seq"]


async def _snapshot_seq(url: str) -> int:
    async with websockets.connect(url, compression=None) as sock:
        frame = json.loads(await sock.recv())
        assert frame["type"] == "snapshot", frame
        return frame["seq"]


def test_sign_in_reads_and_readiness_carry_on_while_redis_is_down(
    redis_server: RedisServer,
) -> None:
    # The server checks as production does: the suite's own fast hasher is not in its list.
    user = UserFactory()
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    User.objects.filter(pk=user.pk).update(password=hashed)
    server = _server(redis_server)
    try:
        redis_server.stop()
        credentials = {"username": user.username, "password": PASSWORD}
        login = httpx.post(f"{server.http}/api/accounts/login/", json=credentials, timeout=20)
        assert login.status_code == 200, login.text  # the throttle fails open, logged
        assert httpx.get(f"{server.http}/api/tournaments/", timeout=20).status_code == 200
        ready = httpx.get(f"{server.http}/readyz", timeout=20)
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["database"] == "ok"
        bearer = {"Authorization": f"Bearer {login.json()['access']}"}
        ticket = httpx.post(f"{server.http}/api/realtime/tickets/", headers=bearer, timeout=20)
        assert ticket.status_code == 503 and ticket.json()["code"] == "unavailable"
    finally:
        server.stop()
    assert '" 500' not in server.log.read_text()  # uvicorn's access log: no request was a 500


async def test_a_join_during_the_outage_gets_what_this_process_committed(
    redis_server: RedisServer,
) -> None:
    room: LiveRoom = await sync_to_async(live_room)(teams=4)
    server = await sync_to_async(_server)(redis_server)
    url = server.ws + room.path
    try:
        async with websockets.connect(url, compression=None) as watcher:
            first = json.loads(await watcher.recv())  # the room is warm: its snapshot cached
            redis_server.stop()
            committed = await sync_to_async(_put)(server, room, [3, 2, 1, 0])
            assert committed > first["seq"]
            # A new spectator now: not dropped, and not handed the cached, older snapshot.
            assert await _snapshot_seq(url) == committed
            redis_server.start()
            # The first join after Redis is back is served too.
            assert await _snapshot_seq(url) == committed
    finally:
        await sync_to_async(server.stop)()
    log = server.log.read_text()
    assert "Exception in ASGI application" not in log, log[-3000:]


async def test_the_first_join_after_an_outage_is_served(redis_server: RedisServer) -> None:
    room: LiveRoom = await sync_to_async(live_room)(teams=2)
    server = await sync_to_async(_server)(redis_server)
    try:
        redis_server.stop()
        seq = await _snapshot_seq(server.ws + room.path)  # a cold room, Redis down
        redis_server.start()
        assert await _snapshot_seq(server.ws + room.path) == seq
        later = await sync_to_async(_put)(server, room, [1, 0])
        assert await _snapshot_seq(server.ws + room.path) == later
    finally:
        await sync_to_async(server.stop)()
