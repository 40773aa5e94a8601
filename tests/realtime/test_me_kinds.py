"""Every notification kind reaches the recipient's /ws/me/ socket when its real flow commits
(tests/support/notification_flows.py), and nothing arrives for a flow rolled back."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from tests.support.notification_flows import FLOWS, Flow
from tests.support.sockets import OpenClient, WsClient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("notification_pusher"),
]


async def _socket_of(ws: OpenClient, flow: Flow) -> WsClient:
    client = await ws("/ws/me/", token=str(AccessToken.for_user(flow.recipients[0])))
    await client.send({"type": "ping"})
    assert (await client.recv())["type"] == "pong"  # subscribed before the flow fires
    return client


async def _kinds_until(client: WsClient, kind: str) -> list[str]:
    """The notification kinds pushed, up to and including `kind`."""
    seen: list[str] = []
    while kind not in seen:
        frame = await client.recv(timeout=5)
        assert frame["type"] == "notification", frame
        seen.append(frame["notification"]["kind"])
    return seen


async def test_every_kind_is_pushed_on_its_recipients_socket_after_commit(ws: OpenClient) -> None:
    for make in FLOWS:
        flow = await sync_to_async(make)()
        client = await _socket_of(ws, flow)
        await sync_to_async(flow.fire)()
        assert flow.kind in await _kinds_until(client, flow.kind), make.__name__
        await client.close()


def _fire_and_roll_back(flow: Flow) -> None:
    try:
        with transaction.atomic():
            flow.fire()
            raise RuntimeError("roll back")
    except RuntimeError:
        pass


@pytest.mark.parametrize("name", ["registration_confirmed", "match_starting", "team_invite"])
async def test_a_rolled_back_flow_pushes_nothing(ws: OpenClient, name: str) -> None:
    make = next(f for f in FLOWS if f.__name__ == name)
    flow = await sync_to_async(make)()
    client = await _socket_of(ws, flow)
    await sync_to_async(_fire_and_roll_back)(flow)
    assert await client.nothing(0.5)
    await sync_to_async(flow.fire)()  # the same flow committed: now it is pushed
    assert flow.kind in await _kinds_until(client, flow.kind)
    await client.close()
