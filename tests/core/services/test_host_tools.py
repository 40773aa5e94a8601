"""core/services/host_tools.py over REST: a round's matches in bulk (rotation, start, interval,
scrim limit), a match moved or cancelled with a reason (the room's `match.schedule` event, the
players' notification), a group's room credentials released at once."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.models import Match, Notification, Tournament
from core.services.competition import group_create, round_create
from tests.factories import UserFactory
from tests.support.api import client_as
from tests.support.events import logged
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db
START = datetime(2027, 1, 16, 14, 0, tzinfo=UTC)


def _round(kind: str = Tournament.Kind.TOURNAMENT) -> tuple[Tournament, Any, list]:
    t, field = live_tournament(teams=4, kind=kind)
    round_ = round_create(actor=t.host, tournament=t, name="Day 1", is_final=True)
    groups = [
        group_create(
            actor=t.host, tournament=t, round_=round_, name=n, team_ids=[f.pk for f in pair]
        )
        for n, pair in (("A", field[:2]), ("B", field[2:]))
    ]
    return t, round_, groups


def test_bulk_matches_rotate_maps_and_space_their_starts() -> None:
    t, round_, groups = _round()
    response = client_as(t.host).post(
        f"/api/tournaments/{t.pk}/rounds/{round_.pk}/matches/",
        {
            "count": 3,
            "maps": ["Erangel", "Miramar"],
            "starts_at": START.isoformat(),
            "interval_minutes": 30,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    made = response.json()
    assert [(m["group"], m["number"], m["map"]) for m in made] == [
        (groups[0].pk, 1, "Erangel"),
        (groups[0].pk, 2, "Miramar"),
        (groups[0].pk, 3, "Erangel"),
        (groups[1].pk, 1, "Erangel"),
        (groups[1].pk, 2, "Miramar"),
        (groups[1].pk, 3, "Erangel"),
    ]
    starts = [m["scheduled_at"] for m in made[:3]]
    assert starts == [
        (START + timedelta(minutes=30 * i)).isoformat().replace("+00:00", "Z") for i in range(3)
    ]
    assert (
        client_as(UserFactory())
        .post(f"/api/tournaments/{t.pk}/rounds/{round_.pk}/matches/", {"count": 1}, format="json")
        .status_code
        == 403
    )


def test_a_scrim_stops_at_its_match_limit() -> None:
    t, round_, _ = _round(kind=Tournament.Kind.SCRIM)
    response = client_as(t.host).post(
        f"/api/scrims/{t.pk}/rounds/{round_.pk}/matches/", {"count": 4}, format="json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "scrim_limit")
    assert Match.objects.filter(tournament=t).count() == 0


def test_reschedule_and_cancel_tell_the_room_and_the_players() -> None:
    t, round_, groups = _round()
    host = client_as(t.host)
    host.post(f"/api/tournaments/{t.pk}/rounds/{round_.pk}/matches/", {"count": 2}, format="json")
    first, second = Match.objects.filter(group=groups[0]).order_by("number")
    moved = host.post(
        f"/api/matches/{first.pk}/reschedule/",
        {"scheduled_at": START.isoformat(), "reason": "Server maintenance."},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    cancelled = host.post(
        f"/api/matches/{second.pk}/cancel/", {"reason": "Lobby crashed."}, format="json"
    )
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    schedule = [e["data"] for e in logged(t) if e["name"] == "match.schedule"]
    assert [(d["match"], d["status"], d["reason"]) for d in schedule] == [
        (first.pk, "scheduled", "Server maintenance."),
        (second.pk, "cancelled", "Lobby crashed."),
    ]
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"match.rescheduled", "match.cancelled"} <= kinds
    again = host.post(
        f"/api/matches/{second.pk}/reschedule/",
        {"scheduled_at": START.isoformat(), "reason": "x"},
        format="json",
    )
    assert again.status_code == 409


def test_a_groups_credentials_are_released_at_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t, round_, groups = _round()
    host = client_as(t.host)
    host.post(f"/api/tournaments/{t.pk}/rounds/{round_.pk}/matches/", {"count": 2}, format="json")
    url = f"/api/tournaments/{t.pk}/groups/{groups[0].pk}/release-credentials/"
    assert host.post(url, {"at": "now"}, format="json").status_code == 409  # no room ids yet
    Match.objects.filter(group=groups[0]).update(room_id="1234", room_password="pw")
    with django_capture_on_commit_callbacks(execute=True):
        released = host.post(url, {"at": "now"}, format="json")
    assert released.status_code == 200, released.json()
    assert [m["credentials_released"] for m in released.json()] == [True, True]
    assert Notification.objects.filter(kind="match.credentials").exists()
