"""realtime/commands.py, the host commands of docs/protocol.md: the same services as REST, acks,
duplicates, refusals."""

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError
from rest_framework_simplejwt.tokens import AccessToken

from core.models import Announcement, MatchResult
from tests.factories import HostFactory
from tests.support.api import client_as
from tests.support.rooms import live_room
from tests.support.sockets import OpenClient

pytestmark = pytest.mark.django_db(transaction=True)
Rows = list[dict[str, Any]]


async def test_result_submit_acks_and_every_spectator_gets_result_and_standings(
    ws: OpenClient,
) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectator = await ws(room.path)
    snap = await spectator.recv_type("snapshot")
    await host.recv_type("snapshot")
    group = snap["rounds"][0]["groups"][0]
    assert [m["version"] for m in group["matches"]] == [0, 0]
    assert len(group["standings"]) == 4 and all(r["total"] == 0 for r in group["standings"])

    match = room.matches[0]
    await host.send(
        {
            "type": "result.submit",
            "id": "c0ffee-1",
            "match": match.pk,
            "results": room.rows([2, 0, 1, 3]),
            "final": True,
            "version": 0,
        }
    )
    ack = await host.recv_type("ack")
    assert ack["id"] == "c0ffee-1" and ack["duplicate"] is False
    got = []
    while not got or got[-1]["seq"] < ack["seq"]:
        got.append(await spectator.recv_type("event"))
    assert [e["seq"] for e in got] == list(range(1, ack["seq"] + 1))
    # Protocol v2: the round going live, then ONE frame with the result and all standings.
    assert [e["name"] for e in got] == ["round.status", "match.result"]
    result = got[-1]["data"]
    assert result["match"] == match.pk and result["version"] == 1
    assert result["status"] == "completed"
    gkey = f"group:{room.group.pk}"
    keys = set(result["standings"]) | set(result["scopes"])
    assert keys == {gkey, f"round:{match.group.round_id}", f"tournament:{room.tournament.pk}"}
    assert all(source in result["standings"] for source in result["scopes"].values())
    leader = result["standings"][gkey][0]
    assert leader["team"] == room.teams[2].pk and leader["rank"] == 1
    assert {t["id"] for t in result["teams"]} == {t.pk for t in room.teams}
    await spectator.close()
    await host.close()


async def test_duplicate_command_id_is_not_applied_twice(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    await host.recv_type("snapshot")
    command = {
        "type": "result.submit",
        "id": "dup-1",
        "match": room.matches[0].pk,
        "results": room.rows(),
    }
    await host.send(command)
    first = await host.recv_type("ack")
    await host.send(command)
    again = await host.recv_type("ack")
    assert (again["duplicate"], again["seq"]) == (True, first["seq"])
    assert await sync_to_async(MatchResult.objects.filter(match=room.matches[0]).count)() == 4
    announce = {"type": "announce", "id": "dup-2", "message": "Match 2 in 5 minutes"}
    await host.send(announce)
    await host.send(announce)
    acks = [await host.recv_type("ack"), await host.recv_type("ack")]
    assert [a["duplicate"] for a in acks] == [False, True]
    assert await sync_to_async(Announcement.objects.count)() == 1
    await host.close()


async def test_stale_version_is_a_conflict(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    await host.recv_type("snapshot")
    match = room.matches[0].pk
    await host.send(
        {"type": "result.submit", "id": "v1", "match": match, "results": room.rows(), "version": 0}
    )
    await host.recv_type("ack")
    await host.send(
        {"type": "result.submit", "id": "v2", "match": match, "results": room.rows(), "version": 0}
    )
    error = await host.recv_type("error")
    assert (error["code"], error["id"]) == ("conflict", "v2")
    await host.close()


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda rows: [*rows[:1], {**rows[1], "placement": 1}, *rows[2:]], "validation_error"),
        (lambda rows: [{**rows[0], "placement": 26}, *rows[1:]], "validation_error"),
        (lambda rows: [{**rows[0], "kills": 100}, *rows[1:]], "validation_error"),
        (lambda rows: [{**rows[0], "team": 999999}, *rows[1:]], "validation_error"),
    ],
)
async def test_invalid_results_are_refused_and_nothing_is_broadcast(
    ws: OpenClient, mutate: Callable[[Rows], Rows], code: str
) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectator = await ws(room.path)
    await host.recv_type("snapshot")
    await spectator.recv_type("snapshot")
    await host.send(
        {
            "type": "result.submit",
            "id": "bad",
            "match": room.matches[0].pk,
            "results": mutate(room.rows()),
        }
    )
    error = await host.recv_type("error")
    assert error["code"] == code and error["message"]
    assert await spectator.nothing(0.5)
    await host.close()
    await spectator.close()


async def test_unknown_match_is_not_found_and_wrong_types_are_bad_messages(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    other = await sync_to_async(live_room)(prefix="Other")
    host = await ws(room.path, token=room.host_token)
    await host.recv_type("snapshot")
    await host.send(
        {"type": "result.submit", "id": "n1", "match": other.matches[0].pk, "results": room.rows()}
    )
    assert (await host.recv_type("error"))["code"] == "not_found"
    await host.send(
        {"type": "result.submit", "id": "n2", "match": room.matches[0].pk, "results": "x"}
    )
    assert (await host.recv_type("error"))["code"] == "bad_message"
    await host.send({"type": "match.status", "id": "n3", "match": room.matches[0].pk, "status": 5})
    assert (await host.recv_type("error"))["code"] == "bad_message"
    await host.close()


async def test_host_of_another_tournament_cannot_command_and_nothing_is_sent(
    ws: OpenClient,
) -> None:
    room = await sync_to_async(live_room)()
    other = await sync_to_async(live_room)(prefix="Other")
    intruder = await ws(room.path, token=other.host_token)
    spectator = await ws(room.path)
    await intruder.recv_type("snapshot")
    await spectator.recv_type("snapshot")
    await intruder.send(
        {"type": "result.submit", "id": "x1", "match": room.matches[0].pk, "results": room.rows()}
    )
    assert (await intruder.recv_type("error"))["code"] == "forbidden"
    assert await spectator.nothing(0.5)
    await intruder.close()
    await spectator.close()


async def test_match_status_and_announce_reach_the_room(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectator = await ws(room.path)
    await host.recv_type("snapshot")
    await spectator.recv_type("snapshot")
    await host.send(
        {"type": "match.status", "id": "s1", "match": room.matches[1].pk, "status": "live"}
    )
    assert (await host.recv_type("ack"))["id"] == "s1"
    status = await spectator.recv_type("event")
    while status["name"] != "match.status":
        status = await spectator.recv_type("event")
    assert status["data"]["match"] == room.matches[1].pk and status["data"]["status"] == "live"
    await host.send({"type": "announce", "id": "s2", "message": "GLHF"})
    ack = await host.recv_type("ack")
    event = await spectator.recv_type("event")
    assert event["name"] == "announcement" and event["data"]["message"] == "GLHF"
    assert ack["seq"] == event["seq"]
    await host.close()
    await spectator.close()


async def test_rest_and_socket_results_produce_identical_events(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    spectator = await ws(room.path)
    await spectator.recv_type("snapshot")
    host = await ws(room.path, token=room.host_token)
    await host.recv_type("snapshot")
    rows = room.rows([1, 0, 3, 2])
    await host.send(
        {"type": "result.submit", "id": "r-ws", "match": room.matches[0].pk, "results": rows}
    )
    first = await host.recv_type("ack")
    over_socket = [await spectator.recv_type("event") for _ in range(first["seq"])]

    def rest_put() -> int:
        path = f"/api/matches/{room.matches[1].pk}/"
        return client_as(room.host).put(path, {"results": rows}, format="json").status_code

    assert await sync_to_async(rest_put)() == 200
    expected = len([e for e in over_socket if e["name"] != "round.status"])
    over_rest = [await spectator.recv_type("event") for _ in range(expected)]
    assert await spectator.nothing(0.3)
    strip = lambda e: (e["name"], e["data"].get("scope"))  # noqa: E731
    # The socket's submit also took the round live (round.status) — the REST one did not need to.
    assert [strip(e) for e in over_socket if e["name"] != "round.status"] == [
        strip(e) for e in over_rest
    ]
    seqs = [e["seq"] for e in over_socket + over_rest]
    assert seqs == list(range(1, len(seqs) + 1))
    await spectator.close()
    await host.close()


async def test_staff_may_command_a_room(ws: OpenClient) -> None:
    room = await sync_to_async(live_room)()
    staff = await sync_to_async(HostFactory)(is_staff=True)
    client = await ws(room.path, token=str(AccessToken.for_user(staff)))
    await client.recv_type("snapshot")
    await client.send({"type": "announce", "id": "st1", "message": "from staff"})
    frame = await client.recv()
    while frame["type"] == "event":
        frame = await client.recv()
    assert frame["type"] in ("ack", "error")
    await client.close()


async def test_database_failure_answers_unavailable_and_nothing_is_applied(
    ws: OpenClient, monkeypatch: Any
) -> None:
    room = await sync_to_async(live_room)()
    host = await ws(room.path, token=room.host_token)
    spectator = await ws(room.path)
    await host.recv_type("snapshot")
    await spectator.recv_type("snapshot")

    def database_down(**kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr("realtime.commands.match_result_submit", database_down)
    command = {
        "type": "result.submit",
        "id": "u1",
        "match": room.matches[0].pk,
        "results": room.rows(),
    }
    await host.send(command)
    error = await host.recv_type("error")
    assert (error["code"], error["id"]) == ("unavailable", "u1")
    assert await spectator.nothing(0.3)
    monkeypatch.undo()
    await host.send(command)  # the same id again, once the database is back: applied once
    ack = await host.recv_type("ack")
    assert ack["duplicate"] is False
    await host.close()
    await spectator.close()
