"""core/services/matches.py: room credentials released to the group's players only (and the
notice they get), match status changes with their events, and the service called directly:
refused changes, allowed moves, idempotent retries, the credentials notice sent once."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.events import format_at
from core.models import Announcement, Match, Notification, Team, Tournament
from core.services.matches import (
    CredentialsNotReleased,
    match_credentials_get,
    match_credentials_notify,
    match_update,
)
from tests.factories import UserFactory
from tests.support.api import client_as
from tests.support.events import logged
from tests.support.rooms import live_room
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _two_groups() -> tuple[Tournament, list[Team], APIClient, list[dict[str, Any]], int]:
    """A live tournament of 4 teams in 2 auto-seeded groups, and a match of the first group."""
    tournament, field = live_tournament(teams=4, roster=2)
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "R1", "qualify_per_group": 1}).json()["id"]
    groups = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 2}, format="json"
    ).json()
    match_id = host.post(f"{base}/matches/", {"group": groups[0]["id"], "map": "Miramar"}).json()[
        "id"
    ]
    return tournament, field, host, groups, match_id


def test_credentials_released_to_the_groups_players_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _tournament, field, host, groups, match_id = _two_groups()
    by_id = {t.pk: t for t in field}
    mine = by_id[groups[0]["teams"][0]["id"]].memberships.first().user
    other_group = by_id[groups[1]["teams"][0]["id"]].memberships.first().user
    _, strangers = live_tournament(teams=1, prefix="Else")
    other_tournament = strangers[0].memberships.first().user
    url = f"/api/matches/{match_id}/credentials/"
    later = timezone.now() + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        r = host.patch(
            f"/api/matches/{match_id}/",
            {"room_id": "R-77", "room_password": "pw", "credentials_release_at": later.isoformat()},
            format="json",
        )
    assert r.status_code == 200 and r.json()["has_credentials"] is True
    assert "room_password" not in r.json()
    assert host.get(url).json()["room_id"] == "R-77"  # the host, before release
    early = client_as(mine).get(url)
    assert early.status_code == 403 and early.json()["code"] == "credentials_not_released"
    assert Notification.objects.count() == 0  # the notice waits for the release time

    with django_capture_on_commit_callbacks(execute=True):
        host.patch(
            f"/api/matches/{match_id}/",
            {"credentials_release_at": timezone.now().isoformat()},
            format="json",
        )
    assert client_as(mine).get(url).json() == {
        "match": match_id,
        "room_id": "R-77",
        "room_password": "pw",
        "release_at": client_as(mine).get(url).json()["release_at"],
    }
    assert client_as(other_group).get(url).status_code == 403
    assert client_as(other_tournament).get(url).status_code == 403
    assert APIClient().get(url).status_code in (401, 403)

    told = set(
        Notification.objects.filter(kind="match.credentials").values_list("user_id", flat=True)
    )
    group_players = {
        m.user_id for t in groups[0]["teams"] for m in by_id[t["id"]].memberships.all()
    }
    assert told == group_players and len(told) == 4
    assert len(mail.outbox) == 4 and "Room ready" in mail.outbox[0].subject
    assert "pw" not in mail.outbox[0].body  # the password stays behind the login

    me = client_as(mine)
    listed = me.get("/api/accounts/notifications/?unread=1").json()
    assert listed["count"] == 1
    nid = listed["results"][0]["id"]
    assert me.post(f"/api/accounts/notifications/{nid}/read/").json()["read_at"] is not None
    assert (
        client_as(other_group).post(f"/api/accounts/notifications/{nid}/read/").status_code == 404
    )
    assert me.post("/api/accounts/notifications/read-all/").json() == {"updated": 0}


def test_match_status_changes_emit_events() -> None:
    tournament, field, host, _groups, match_id = _two_groups()
    assert (
        host.patch(f"/api/matches/{match_id}/", {"status": "completed"}, format="json").status_code
        == 409
    )
    assert (
        host.patch(f"/api/matches/{match_id}/", {"status": "live"}, format="json").status_code
        == 200
    )
    assert [f["name"] for f in logged(tournament)] == ["round.status", "match.status"]
    assert logged(tournament)[1]["data"]["status"] == "live"
    ann = host.post(
        f"/api/tournaments/{tournament.pk}/announcements/", {"message": "Go!"}, format="json"
    )
    assert ann.status_code == 201
    created = Announcement.objects.get(pk=ann.json()["id"])
    assert logged(tournament)[-1]["data"] == {
        "id": created.pk,
        "message": "Go!",
        "at": format_at(created.created_at),
    }
    assert (
        client_as(field[0].memberships.first().user)
        .post(f"/api/tournaments/{tournament.pk}/announcements/", {"message": "x"}, format="json")
        .status_code
        == 403
    )


def test_unknown_fields_and_illegal_moves_are_refused() -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    with pytest.raises(ValidationError, match="Cannot change result_version"):
        match_update(actor=room.host, match_id=match.pk, changes={"result_version": 5})
    with pytest.raises(Conflict):
        match_update(actor=room.host, match_id=match.pk, changes={"status": "completed"})
    with pytest.raises(PermissionDenied):
        match_update(actor=UserFactory(), match_id=match.pk, changes={"map": "Sanhok"})
    with pytest.raises(NotFound, match="in this tournament"):
        match_update(
            actor=room.host, match_id=match.pk, changes={"map": "x"}, tournament_id=match.pk + 999
        )
    match.refresh_from_db()
    assert (match.status, match.map) == (Match.Status.SCHEDULED, "Erangel")
    assert logged(room.tournament) == []


def test_a_retried_update_is_answered_from_its_record() -> None:
    room = live_room(teams=2)
    match_id = room.matches[0].pk
    changes = {"status": "live"}
    first = match_update(actor=room.host, match_id=match_id, changes=changes, request_id="m-1")
    again = match_update(actor=room.host, match_id=match_id, changes=changes, request_id="m-1")
    assert (first.duplicate, again.duplicate) == (False, True)
    assert first.seq == again.seq == 2  # round.status, then match.status: once
    assert first.match.status == Match.Status.LIVE
    assert [f["name"] for f in logged(room.tournament)] == ["round.status", "match.status"]
    with pytest.raises(Conflict, match="different command"):
        match_update(
            actor=room.host, match_id=match_id, changes={"status": "cancelled"}, request_id="m-1"
        )


def test_the_credentials_notice_goes_out_once_from_the_release_time(
    django_capture_on_commit_callbacks: Any,
) -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    later = timezone.now() + timedelta(hours=1)
    Match.objects.filter(pk=match.pk).update(room_id="R-1", credentials_release_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        assert match_credentials_notify(match_id=match.pk) == 0  # too early
        assert match_credentials_notify(match_id=match.pk, now=later) == 2
        assert match_credentials_notify(match_id=match.pk, now=later) == 0  # already told
    assert Notification.objects.filter(kind="match.credentials").count() == 2
    assert len(mail.outbox) == 2


def test_credentials_are_for_the_host_and_released_players() -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    player = room.teams[0].memberships.first().user
    with pytest.raises(NotFound, match="not set"):
        match_credentials_get(actor=room.host, match=match)
    match.room_id, match.room_password = "R-9", "pw"
    match.credentials_release_at = timezone.now() + timedelta(minutes=5)
    match.save()
    assert match_credentials_get(actor=room.host, match=match)["room_password"] == "pw"
    with pytest.raises(CredentialsNotReleased) as early:
        match_credentials_get(actor=player, match=match)
    assert early.value.details["release_at"] == match.credentials_release_at.isoformat()
    with pytest.raises(PermissionDenied, match="players of this match's group"):
        match_credentials_get(actor=UserFactory(), match=match)
    match.credentials_release_at = timezone.now() - timedelta(seconds=1)
    assert match_credentials_get(actor=player, match=match)["room_id"] == "R-9"


def test_room_credentials_without_a_release_time_say_so_and_now_releases_them() -> None:
    room = live_room(teams=2)
    match = room.matches[0]
    player = room.teams[0].memberships.first().user
    host = client_as(room.host)
    url = f"/api/matches/{match.pk}/"
    body = host.patch(url, {"room_id": "R-5", "room_password": "pw"}, format="json").json()
    assert (body["has_credentials"], body["credentials_released"]) == (True, False)
    refused = client_as(player).get(f"{url}credentials/")
    assert refused.status_code == 403
    assert refused.json()["details"] == {"release_at": None}
    assert "no release time is set" in refused.json()["message"]
    body = host.patch(url, {"credentials_release_at": "now"}, format="json").json()
    assert body["credentials_released"] is True
    assert client_as(player).get(f"{url}credentials/").json()["room_id"] == "R-5"
    bad = host.patch(url, {"credentials_release_at": "soon"}, format="json")
    assert bad.status_code == 400 and "credentials_release_at" in bad.json()["details"]
