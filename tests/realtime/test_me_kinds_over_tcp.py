"""Every notification kind over a real socket: a uvicorn server process on the production
websocket protocol serves /ws/me/, this process runs each kind's real flow
(tests/support/notification_flows.py), and the push crosses the Redis channel layer to the
server, which writes it to the recipient's TCP socket. Needs PostgreSQL and Redis (the server
shares this run's test database and channel layer); CI's first pass has both."""

import asyncio
import json

import pytest
import websockets
from asgiref.sync import sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from tests.support.notification_flows import FLOWS, Flow
from tests.support.servers import AsgiServer, uvicorn_on_this_run
from tests.support.sockets import ORIGIN

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("notification_pusher"),
    pytest.mark.timeout(300),
]


async def _kinds_until(sock: websockets.ClientConnection, kind: str) -> list[str]:
    seen: list[str] = []
    async with asyncio.timeout(10):
        while kind not in seen:
            frame = json.loads(await sock.recv())
            assert frame["type"] == "notification", frame
            seen.append(frame["notification"]["kind"])
    return seen


async def _check(server: AsgiServer, flow: Flow) -> list[str]:
    headers = {
        "Authorization": f"Bearer {AccessToken.for_user(flow.recipients[0])}",
        "Origin": ORIGIN.decode(),
    }
    url = f"{server.ws}/ws/me/"
    async with websockets.connect(url, additional_headers=headers, compression=None) as sock:
        await sock.send(json.dumps({"type": "ping"}))
        assert json.loads(await sock.recv())["type"] == "pong"  # subscribed
        await sync_to_async(flow.fire)()
        return await _kinds_until(sock, flow.kind)


async def test_every_kind_reaches_its_recipient_over_tcp() -> None:
    server = await sync_to_async(uvicorn_on_this_run)()
    try:
        for make in FLOWS:
            flow = await sync_to_async(make)()
            assert flow.kind in await _check(server, flow), make.__name__
    finally:
        server.stop()
