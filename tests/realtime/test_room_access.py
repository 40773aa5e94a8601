"""realtime/auth.py, origin.py, limits.py and the room consumer (docs/protocol.md):
authentication, origins, close codes, limits and bad input on the live room."""

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client as HttpClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from core import hooks
from core.models import Tournament, User
from core.services.account_deletion import account_delete
from realtime import broadcast, closecodes
from realtime.limits import MAX_FRAME_BYTES
from realtime.routing import websocket_application
from realtime.tickets import ticket_issue
from tests.factories import PASSWORD, HostFactory, TournamentFactory, UserFactory
from tests.support.sockets import OpenClient, WsClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def make_tournament(**kwargs: Any) -> Tournament:
    return TournamentFactory(**kwargs)


@sync_to_async
def make_user(**kwargs: Any) -> User:
    return UserFactory(**kwargs)


def access_for(user: User) -> str:
    return str(AccessToken.for_user(user))


async def test_spectator_gets_snapshot_without_credentials(ws: OpenClient) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    snap = await client.recv_type("snapshot")
    assert snap["seq"] == 0
    assert snap["tournament"]["id"] == t.pk
    assert snap["spectators"] >= 1
    await client.close()


async def test_unknown_and_draft_tournaments_close_4404(ws: OpenClient) -> None:
    client = await ws("/ws/tournaments/999999/")
    assert await client.closed_with() == closecodes.NOT_FOUND
    draft = await make_tournament(status=Tournament.Status.DRAFT)
    client = await ws(f"/ws/tournaments/{draft.pk}/")
    assert await client.closed_with() == closecodes.NOT_FOUND


@pytest.mark.parametrize(
    "header",
    [
        "Bearer not-a-jwt",
        # alg none
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0."
        "eyJ1c2VyX2lkIjoxLCJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.",
    ],
)
async def test_bad_authorization_header_closes_4401(header: str) -> None:
    t = await make_tournament()
    client = WsClient(f"/ws/tournaments/{t.pk}/", [(b"authorization", header.encode())])
    await client.open()
    assert await client.closed_with() == closecodes.AUTH_FAILED
    assert websocket_application  # the same app the server runs


async def test_refresh_token_is_not_an_access_credential(ws: OpenClient) -> None:
    t = await make_tournament()
    user = await make_user()
    refresh = await sync_to_async(lambda: str(RefreshToken.for_user(user)))()
    client = await ws(f"/ws/tournaments/{t.pk}/", token=refresh)
    assert await client.closed_with() == closecodes.AUTH_FAILED


async def test_ticket_is_single_use(ws: OpenClient) -> None:
    t = await make_tournament()
    user = await make_user()
    ticket = await sync_to_async(ticket_issue)(user_id=user.pk)
    first = await ws(f"/ws/tournaments/{t.pk}/?ticket={ticket}")
    assert (await first.recv_type("snapshot"))["type"] == "snapshot"
    second = await ws(f"/ws/tournaments/{t.pk}/?ticket={ticket}")
    assert await second.closed_with() == closecodes.AUTH_FAILED
    await first.close()


async def test_ticket_endpoint_needs_a_jwt_and_issues_a_ticket(client: HttpClient) -> None:
    user = await make_user()
    anonymous = await sync_to_async(client.post)("/api/realtime/tickets/")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"
    response = await sync_to_async(client.post)(
        "/api/realtime/tickets/", HTTP_AUTHORIZATION=f"Bearer {access_for(user)}"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["expires_in"] == 30 and len(body["ticket"]) >= 32


async def test_foreign_origin_is_refused_allowed_one_accepted(ws: OpenClient) -> None:
    t = await make_tournament()
    foreign = WebsocketCommunicator(
        websocket_application,
        f"/ws/tournaments/{t.pk}/",
        headers=[(b"origin", b"https://evil.example")],
    )
    connected, _ = await foreign.connect()
    assert not connected
    allowed = await ws(f"/ws/tournaments/{t.pk}/", origin=b"http://localhost:8000")
    assert (await allowed.recv_type("snapshot"))["type"] == "snapshot"
    no_origin = await ws(f"/ws/tournaments/{t.pk}/", origin=None)
    assert (await no_origin.recv_type("snapshot"))["type"] == "snapshot"
    await allowed.close()
    await no_origin.close()


async def test_private_tournament_closes_4403_for_strangers_not_for_host(ws: OpenClient) -> None:
    host = await sync_to_async(HostFactory)()
    t = await make_tournament(host=host, visibility=Tournament.Visibility.PRIVATE)
    stranger = await make_user()
    client = await ws(f"/ws/tournaments/{t.pk}/", token=access_for(stranger))
    assert await client.closed_with() == closecodes.FORBIDDEN
    anonymous = await ws(f"/ws/tournaments/{t.pk}/")
    assert await anonymous.closed_with() == closecodes.FORBIDDEN
    own = await ws(f"/ws/tournaments/{t.pk}/", token=access_for(host))
    assert (await own.recv_type("snapshot"))["type"] == "snapshot"
    await own.close()


async def test_ping_pong_and_bad_messages(ws: OpenClient) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    await client.recv_type("snapshot")
    await client.send({"type": "ping"})
    assert await client.recv_type("pong") == {"type": "pong"}
    for bad in ["not json", "[1,2]", '{"no":"type"}', '{"type":"dance"}', '{"type":"resume"}']:
        await client.send(bad)
        error = await client.recv_type("error")
        assert error["code"] == "bad_message", bad
        assert set(error) == {"type", "id", "code", "message", "details"}
    await client.send({"type": "result.submit", "id": "x" * 65, "match": 1, "results": []})
    assert (await client.recv_type("error"))["code"] == "bad_message"
    # The socket is still usable after bad input.
    await client.send({"type": "ping"})
    assert (await client.recv_type("pong"))["type"] == "pong"
    await client.close()


async def test_spectator_host_commands_are_forbidden(ws: OpenClient) -> None:
    t = await make_tournament()
    player = await make_user()
    for token in (None, access_for(player)):
        client = await ws(f"/ws/tournaments/{t.pk}/", token=token)
        await client.recv_type("snapshot")
        for command in (
            {"type": "announce", "id": "a1", "message": "hi"},
            {"type": "match.status", "id": "a2", "match": 1, "status": "live"},
            {"type": "result.submit", "id": "a3", "match": 1, "results": []},
        ):
            await client.send(command)
            error = await client.recv_type("error")
            assert (error["code"], error["id"]) == ("forbidden", command["id"])
        await client.close()


async def test_other_hosts_commands_are_forbidden(ws: OpenClient) -> None:
    t = await make_tournament()
    other_host = await sync_to_async(HostFactory)()
    client = await ws(f"/ws/tournaments/{t.pk}/", token=access_for(other_host))
    await client.recv_type("snapshot")
    await client.send({"type": "announce", "id": "b1", "message": "not mine"})
    assert (await client.recv_type("error"))["code"] == "forbidden"
    await client.close()


async def test_oversized_frame_closes_1009(ws: OpenClient) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    await client.recv_type("snapshot")
    await client.send('{"type":"ping","pad":"' + "x" * MAX_FRAME_BYTES + '"}')
    assert await client.closed_with() == closecodes.TOO_BIG


async def test_flooding_is_rate_limited_then_closed_4429(ws: OpenClient) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    await client.recv_type("snapshot")
    for _ in range(100):
        await client.send({"type": "ping"})
    codes = []
    while True:
        out = await client.comm.receive_output(3)
        if out["type"] == "websocket.close":
            close_code = out["code"]
            break
        codes.append(out.get("text", ""))
    assert any('"rate_limited"' in text for text in codes)
    assert sum('"pong"' in text for text in codes) == 40  # the burst, then refusals
    assert close_code == closecodes.RATE_LIMITED


async def test_a_flooding_socket_does_not_disturb_others(ws: OpenClient) -> None:
    t = await make_tournament()
    calm = await ws(f"/ws/tournaments/{t.pk}/")
    await calm.recv_type("snapshot")
    noisy = await ws(f"/ws/tournaments/{t.pk}/")
    await noisy.recv_type("snapshot")
    for _ in range(80):
        await noisy.send("garbage")
    await calm.send({"type": "ping"})
    assert (await calm.recv_type("pong"))["type"] == "pong"
    await asyncio.sleep(0)
    await calm.close()


async def test_session_cookie_identifies_the_host_and_a_stale_one_is_anonymous() -> None:
    host = await sync_to_async(HostFactory)()
    t = await make_tournament(host=host, visibility=Tournament.Visibility.PRIVATE)

    def login_cookie() -> str:
        http = HttpClient()
        http.force_login(host)
        return http.cookies[settings.SESSION_COOKIE_NAME].value

    cookie = await sync_to_async(login_cookie)()
    header = f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()
    own = WsClient(
        f"/ws/tournaments/{t.pk}/", [(b"origin", b"http://localhost:8000"), (b"cookie", header)]
    )
    await own.open()
    assert (await own.recv_type("snapshot"))["tournament"]["id"] == t.pk
    await own.send({"type": "announce", "id": "sess-1", "message": "via session"})
    answer = await own.recv_type("ack")
    assert answer["id"] == "sess-1"
    await own.close()
    stale = WsClient(f"/ws/tournaments/{t.pk}/", [(b"cookie", b"sessionid=not-a-session")])
    await stale.open()
    assert await stale.closed_with() == closecodes.FORBIDDEN  # anonymous, private room


async def test_deleting_the_account_closes_its_room_sockets_4401(ws: OpenClient) -> None:
    """Through the channel layer's hub-wide group, as every process would hear it; a spectator
    without credentials and another user's socket in the same room stay open."""
    t = await make_tournament()
    alice, bob = await make_user(), await make_user()
    a = await ws(f"/ws/tournaments/{t.pk}/", token=access_for(alice))
    b = await ws(f"/ws/tournaments/{t.pk}/", token=access_for(bob))
    anon = await ws(f"/ws/tournaments/{t.pk}/")
    for client in (a, b, anon):
        await client.recv_type("snapshot")
    previous = hooks.install(close_user_sockets=broadcast.close_user_sockets)
    try:
        await sync_to_async(account_delete)(actor=alice, password=PASSWORD)
    finally:
        hooks.restore(previous)
    assert await a.closed_with() == closecodes.AUTH_FAILED
    for client in (b, anon):
        await client.send({"type": "ping"})
        assert (await client.recv_type("pong"))["type"] == "pong"
        await client.close()
