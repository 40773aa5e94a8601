"""realtime/consumers/me.py, /ws/me/: the signed-in user's notifications as they are created."""

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from core import hooks
from core.models import HostProfile, User
from core.services import notifications
from core.services.account_deletion import account_delete
from core.services.hosts import host_approve
from realtime import broadcast, closecodes
from tests.factories import PASSWORD, UserFactory
from tests.support.sockets import OpenClient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("notification_pusher"),
]


@sync_to_async
def notify(user: User, *, fail: bool = False) -> None:
    try:
        with transaction.atomic():
            notifications.notifications_send(
                users=[user], kind="registration.confirmed", title="You're in", body="Cup 1"
            )
            if fail:
                raise RuntimeError("roll back")
    except RuntimeError:
        pass


async def test_anonymous_is_closed_4401(ws: OpenClient) -> None:
    client = await ws("/ws/me/")
    assert await client.closed_with() == closecodes.AUTH_FAILED


async def test_user_receives_own_notifications_only_after_commit(ws: OpenClient) -> None:
    alice = await sync_to_async(UserFactory)()
    bob = await sync_to_async(UserFactory)()
    a = await ws("/ws/me/", token=str(AccessToken.for_user(alice)))
    b = await ws("/ws/me/", token=str(AccessToken.for_user(bob)))
    await a.send({"type": "ping"})
    assert (await a.recv())["type"] == "pong"  # subscribed before anything is sent
    await b.send({"type": "ping"})
    assert (await b.recv())["type"] == "pong"
    await notify(alice, fail=True)
    assert await a.nothing(0.3)
    await notify(alice)
    frame = await a.recv()
    assert frame["type"] == "notification"
    assert frame["notification"]["kind"] == "registration.confirmed"
    assert frame["notification"]["title"] == "You're in"
    assert await b.nothing(0.3)
    await a.close()
    await b.close()


async def test_host_approval_reaches_the_hosts_socket(ws: OpenClient) -> None:
    def make() -> tuple[User, User]:
        host = UserFactory(role="host")
        HostProfile.objects.create(user=host, status=HostProfile.Status.SUBMITTED)
        return host, UserFactory(is_staff=True)

    host, staff = await sync_to_async(make)()
    client = await ws("/ws/me/", token=str(AccessToken.for_user(host)))
    await client.send({"type": "ping"})
    assert (await client.recv())["type"] == "pong"
    await sync_to_async(host_approve)(actor=staff, host_user_id=host.pk)
    frame = await client.recv()
    assert frame["notification"]["kind"] == "host.approved"
    await client.close()


async def test_deleting_the_account_closes_its_sockets_4401(ws: OpenClient) -> None:
    alice = await sync_to_async(UserFactory)()
    bob = await sync_to_async(UserFactory)()
    a = await ws("/ws/me/", token=str(AccessToken.for_user(alice)))
    b = await ws("/ws/me/", token=str(AccessToken.for_user(bob)))
    for client in (a, b):
        await client.send({"type": "ping"})
        assert (await client.recv())["type"] == "pong"
    previous = hooks.install(close_user_sockets=broadcast.close_user_sockets)
    try:
        await sync_to_async(account_delete)(actor=alice, password=PASSWORD)
    finally:
        hooks.restore(previous)
    assert await a.closed_with() == closecodes.AUTH_FAILED
    await b.send({"type": "ping"})
    assert (await b.recv())["type"] == "pong"  # another user's socket stays
    await b.close()
