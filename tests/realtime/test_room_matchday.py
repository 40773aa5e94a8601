"""Match day in a real room socket: a check-in over REST reaches spectators as
`registration.status`; a dispute accepted with a correction is followed by `match.result` with
the next version and the `standings` events, then `match.dispute`, and the history shows both
versions with their actor and face (the first submitted over the websocket)."""

from datetime import timedelta
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from core.models import Registration, Tournament
from tests.factories import captain_of
from tests.support.api import client_as
from tests.support.rooms import live_room
from tests.support.sockets import OpenClient, WsClient

pytestmark = pytest.mark.django_db(transaction=True)


async def _until(client: WsClient, name: str) -> list[dict[str, Any]]:
    got = [await client.recv_type("event")]
    while got[-1]["name"] != name:
        got.append(await client.recv_type("event"))
    return got


@sync_to_async
def _open_checkin(tournament_id: int) -> tuple[str, int]:
    """A confirmed team's tournament moved back before its start, with check-in open."""
    now = timezone.now()
    Tournament.objects.filter(pk=tournament_id).update(
        status=Tournament.Status.REGISTRATION_CLOSED,
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(hours=2),
        checkin_opens_at=now - timedelta(minutes=5),
        checkin_closes_at=now + timedelta(minutes=30),
        starts_at=now + timedelta(hours=1),
    )
    registration = Registration.objects.filter(tournament_id=tournament_id).first()
    response = client_as(captain_of(registration.team)).post(
        f"/api/tournaments/{tournament_id}/check-in/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()["checked_in_at"], registration.pk


async def test_a_check_in_reaches_the_room(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    spectator = await ws(room.path)
    await spectator.recv_type("snapshot")
    checked_in_at, registration_id = await _open_checkin(room.tournament.pk)
    assert checked_in_at
    event = (await _until(spectator, "registration.status"))[-1]
    assert event["data"]["registration"] == registration_id
    assert (event["data"]["status"], event["data"]["checked_in"]) == ("confirmed", True)
    late = await ws(room.path)  # a page opened now sees who is in from the snapshot
    checkin = (await late.recv_type("snapshot"))["checkin"]
    flags = {t["id"]: t["checked_in"] for t in checkin["teams"]}
    assert flags == {t.pk: t.pk == event["data"]["team"] for t in room.teams}


@sync_to_async
def _dispute_and_accept(room: Any, match_id: int) -> list[dict[str, Any]]:
    opened = client_as(captain_of(room.teams[1])).post(
        f"/api/matches/{match_id}/disputes/",
        {"reason": "We won.", "evidence": [{"kind": "text", "value": "Caster saw it."}]},
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    host = client_as(room.host)
    resolved = host.post(
        f"/api/matches/{match_id}/disputes/{opened.json()['id']}/resolve/",
        {"action": "accept", "reason": "Replay checked.", "results": room.rows([1, 0, 2, 3])},
        format="json",
    )
    assert (resolved.status_code, resolved.json()["status"]) == (200, "accepted")
    history = host.get(f"/api/matches/{match_id}/history/")
    assert history.status_code == 200
    return history.json()


async def test_an_accepted_dispute_is_a_new_version_in_the_room_and_the_history(
    ws: OpenClient,
) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectator = await ws(room.path)
    await host.recv_type("snapshot")
    await spectator.recv_type("snapshot")
    match = room.matches[0]
    await host.send(
        {
            "type": "result.submit",
            "id": "final-1",
            "match": match.pk,
            "results": room.rows(),
            "final": True,
        }
    )
    await host.recv_type("ack")
    await _until(spectator, "match.result")
    history = await _dispute_and_accept(room, match.pk)
    events = await _until(spectator, "match.dispute")  # opened
    events = await _until(spectator, "match.dispute")  # accepted, after the correction
    names = [e["name"] for e in events]
    assert names == ["match.result", "match.dispute"]  # v2: the standings ride in the result
    assert events[0]["data"]["version"] == 2
    assert events[0]["data"]["results"][0]["team"] == room.teams[1].pk
    assert [(h["version"], h["actor"]["id"], h["face"]) for h in history] == [
        (1, room.host.pk, "websocket"),
        (2, room.host.pk, "rest"),
    ]
    assert history[1]["before"] == history[0]["after"]
