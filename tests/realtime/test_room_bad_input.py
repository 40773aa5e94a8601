"""The live room's answers to frames no client should send, and to errors no handler expects
(docs/protocol.md, "Limits and closing"): deep JSON and NUL characters are `bad_message` like any
other malformed frame, and an unexpected error closes with 1011 (logged once), never a drop."""

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from rest_framework_simplejwt.tokens import AccessToken

from core.models import Tournament
from realtime import closecodes
from tests.factories import TournamentFactory
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def make_tournament(**kwargs: Any) -> Tournament:
    return TournamentFactory(**kwargs)


@pytest.mark.parametrize("depth", [65, 1000])
async def test_json_nested_too_deep_is_a_bad_message(ws: OpenClient, depth: int) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    await client.recv_type("snapshot")
    frame = '{"type":"ping","pad":' + "[" * depth + "]" * depth + "}"
    await client.send(frame)
    error = await client.recv_type("error")
    assert error["code"] == "bad_message" and "nested deeper than 64" in error["message"]
    await client.send({"type": "ping"})  # still usable
    assert (await client.recv_type("pong"))["type"] == "pong"
    await client.close()


async def test_a_nul_character_anywhere_is_a_bad_message(ws: OpenClient) -> None:
    t = await make_tournament(status=Tournament.Status.LIVE)
    token = str(await sync_to_async(AccessToken.for_user)(t.host))
    host = await ws(f"/ws/tournaments/{t.pk}/", token=token)
    await host.recv_type("snapshot")
    await host.send({"type": "announce", "id": "n-1", "message": "hi\u0000there"})
    error = await host.recv_type("error")
    assert error["code"] == "bad_message" and error["message"].startswith("message: NUL")
    await host.close()


async def test_an_unexpected_error_closes_with_1011_and_is_logged_once(
    ws: OpenClient, monkeypatch: Any, caplog: Any
) -> None:
    t = await make_tournament()
    client = await ws(f"/ws/tournaments/{t.pk}/")
    await client.recv_type("snapshot")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("realtime.consumers.room._parse", broken)
    await client.send({"type": "ping"})
    assert await client.closed_with() == closecodes.SERVER_ERROR
    logged = [r for r in caplog.records if "unexpected error; closing with 1011" in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None
