"""core/api/teams/: create, list, the public page, edits and deletion; access, mass assignment,
query counts, schema (the roster endpoints: tests/core/services/test_teams*.py)."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.models import Registration, Team, TeamMembership, Tournament
from tests.factories import (
    GameProfileFactory,
    HostFactory,
    TeamFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.teams import TEAMS

pytestmark = pytest.mark.django_db


def png_bytes(size: tuple[int, int] = (64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def register(team: Team, status: str, tournament_status: str) -> Registration:
    tournament = TournamentFactory(game=team.game, status=tournament_status)
    return Registration.objects.create(
        tournament=tournament, team=team, registered_by=captain_of(team), status=status
    )


# --- create ---


def test_create_makes_the_creator_captain() -> None:
    user = UserFactory()
    GameProfileFactory(user=user, game=game("bgmi"), in_game_name="Ghost")
    response = client_as(user).post(TEAMS, {"name": "Soul", "tag": "SOUL", "game": "bgmi"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Soul" and body["game"]["slug"] == "bgmi"
    assert body["my_role"] == "captain"
    assert body["members"] == [
        {
            "user": {"id": user.pk, "username": user.username, "display_name": ""},
            "role": "captain",
            "in_game_name": "Ghost",
            "joined_at": body["members"][0]["joined_at"],
        }
    ]
    team = Team.objects.get(pk=body["id"])
    assert team.created_by == user


def test_create_ignores_mass_assigned_stats_and_creator() -> None:
    user, other = UserFactory(), UserFactory()
    response = client_as(user).post(
        TEAMS,
        {
            "name": "Soul",
            "tag": "SOUL",
            "game": "bgmi",
            "wins": 50,
            "total_points": 999,
            "created_by": other.pk,
            "captain": other.pk,
        },
    )
    assert response.status_code == 201
    team = Team.objects.get(pk=response.json()["id"])
    assert (team.wins, team.total_points, team.created_by) == (0, 0, user)
    assert list(team.memberships.values_list("user_id", "role")) == [(user.pk, "captain")]


def test_name_is_unique_per_game_case_insensitively() -> None:
    TeamFactory(name="Soul", game=game("bgmi"))
    response = client_as(UserFactory()).post(TEAMS, {"name": "sOUL", "tag": "SL", "game": "bgmi"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert "name" in response.json()["details"]
    # The same name in another game is fine.
    other_game = client_as(UserFactory()).post(
        TEAMS, {"name": "Soul", "tag": "SL", "game": "free-fire"}
    )
    assert other_game.status_code == 201


@pytest.mark.parametrize("tag", ["A", "TOOLONGTAG", ""])
def test_tag_must_be_2_to_8_characters(tag: str) -> None:
    response = client_as(UserFactory()).post(TEAMS, {"name": "Soul", "tag": tag, "game": "bgmi"})
    assert response.status_code == 400
    assert "tag" in response.json()["details"]


def test_unknown_game_is_400() -> None:
    response = client_as(UserFactory()).post(TEAMS, {"name": "S", "tag": "SS", "game": "chess"})
    assert response.status_code == 400


def test_one_team_per_game_per_player() -> None:
    team = team_with_roster(size=1)
    captain = captain_of(team)
    response = client_as(captain).post(TEAMS, {"name": "Second", "tag": "SEC", "game": "bgmi"})
    assert response.status_code == 409
    assert team.name in response.json()["message"]
    assert (
        client_as(captain)
        .post(TEAMS, {"name": "Second", "tag": "SEC", "game": "free-fire"})
        .status_code
        == 201
    )


def test_hosts_cannot_create_teams() -> None:
    response = client_as(HostFactory()).post(TEAMS, {"name": "S", "tag": "SS", "game": "bgmi"})
    assert response.status_code == 400
    assert not Team.objects.exists()


def test_anonymous_cannot_create() -> None:
    response = client_as().post(TEAMS, {"name": "Soul", "tag": "SOUL", "game": "bgmi"})
    assert response.status_code == 401


def test_logo_upload_is_validated_and_reencoded() -> None:
    user = UserFactory()
    logo = SimpleUploadedFile("logo.png", png_bytes(), content_type="image/png")
    response = client_as(user).post(
        TEAMS, {"name": "Soul", "tag": "SOUL", "game": "bgmi", "logo": logo}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    team = Team.objects.get()
    assert team.logo.name.startswith("team_logos/") and team.logo.name.endswith(".png")
    with Image.open(team.logo.path) as stored:
        assert stored.size == (64, 64)


def test_non_image_logo_is_400() -> None:
    fake = SimpleUploadedFile("logo.png", b"<?php echo 1; ?>" * 10, content_type="image/png")
    response = client_as(UserFactory()).post(
        TEAMS, {"name": "Soul", "tag": "SOUL", "game": "bgmi", "logo": fake}, format="multipart"
    )
    assert response.status_code == 400
    assert "logo" in response.json()["details"]
    assert not Team.objects.exists()


def test_oversized_logo_is_400(settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 100
    logo = SimpleUploadedFile("logo.png", png_bytes((300, 300)), content_type="image/png")
    response = client_as(UserFactory()).post(
        TEAMS, {"name": "Soul", "tag": "SOUL", "game": "bgmi", "logo": logo}, format="multipart"
    )
    assert response.status_code == 400
    assert "logo" in response.json()["details"]


# --- list ---


def test_list_filters_by_search_game_and_mine() -> None:
    alpha = team_with_roster(size=2, name="Alpha Wolves", tag="AW")
    team_with_roster(size=1, name="Bravo", tag="BRV")
    ff = team_with_roster(size=1, name="Wolfpack", tag="WP", game_obj=game("free-fire"))
    client = client_as(captain_of(alpha))

    def names(query: str) -> list[str]:
        response = client.get(TEAMS + query)
        assert response.status_code == 200
        return [row["name"] for row in response.json()["results"]]

    assert names("") == ["Alpha Wolves", "Bravo", "Wolfpack"]
    assert names("?search=wol") == ["Alpha Wolves", "Wolfpack"]
    assert names("?search=brv") == ["Bravo"]
    assert names("?game=free-fire") == ["Wolfpack"]
    assert names("?mine=1") == ["Alpha Wolves"]
    row = client.get(TEAMS + "?mine=1").json()["results"][0]
    assert row["member_count"] == 2  # the whole roster, not only the caller's row
    assert row["captain"] == {"id": captain_of(alpha).pk, "username": captain_of(alpha).username}
    assert client_as().get(TEAMS + "?mine=1").status_code == 401
    assert ff.pk in [r["id"] for r in client_as().get(TEAMS).json()["results"]]


def test_list_is_paginated() -> None:
    for _ in range(3):
        TeamFactory()
    body = client_as().get(TEAMS + "?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


@pytest.mark.parametrize("teams", [2, 12])
def test_list_query_count_is_constant(teams: int, django_assert_num_queries: Any) -> None:
    for _ in range(teams):
        team_with_roster(size=3)
    client = client_as(UserFactory())
    with django_assert_num_queries(2):  # count + page
        response = client.get(TEAMS + "?mine=0")
    assert len(response.json()["results"]) == teams


# --- detail ---


def test_detail_shows_roster_roles_in_game_names_and_stats() -> None:
    team = team_with_roster(size=3)
    team.wins, team.total_kills = 2, 40
    team.save()
    sub = UserFactory()
    TeamMembership.objects.create(team=team, user=sub, role="substitute")  # no game profile
    body = client_as().get(f"{TEAMS}{team.pk}/").json()
    assert [m["role"] for m in body["members"]] == ["captain", "member", "member", "substitute"]
    captain = captain_of(team)
    assert body["members"][0]["in_game_name"] == captain.game_profiles.get().in_game_name
    assert body["members"][3]["in_game_name"] is None
    assert (body["wins"], body["total_kills"], body["events_played"]) == (2, 40, 0)
    assert body["is_locked"] is False and body["my_role"] is None


def test_detail_of_missing_team_is_404() -> None:
    response = client_as().get(f"{TEAMS}999999/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("size", [1, 5])
def test_detail_query_count_is_constant(size: int, django_assert_num_queries: Any) -> None:
    team = team_with_roster(size=min(size, 4))
    for _ in range(size - min(size, 4)):
        TeamMembership.objects.create(team=team, user=UserFactory(), role="substitute")
    client = client_as(captain_of(team))
    # team (+ game, live flag), roster (+ users, names), match statistics (running totals)
    with django_assert_num_queries(3):
        response = client.get(f"{TEAMS}{team.pk}/")
    assert len(response.json()["members"]) == size
    assert response.json()["my_role"] == "captain"


# --- edit ---


def test_captain_edits_profile_and_stats_are_not_writable() -> None:
    team = team_with_roster(size=2)
    other = UserFactory()
    response = client_as(captain_of(team)).patch(
        f"{TEAMS}{team.pk}/",
        {
            "name": "Renamed",
            "bio": "We win",
            "wins": 9,
            "created_by": other.pk,
            "game": "free-fire",
        },
    )
    assert response.status_code == 200, response.json()
    team.refresh_from_db()
    assert (team.name, team.bio, team.wins, team.game.slug) == ("Renamed", "We win", 0, "bgmi")


def test_rename_to_a_taken_name_is_409() -> None:
    TeamFactory(name="Taken")
    team = team_with_roster(size=1)
    response = client_as(captain_of(team)).patch(f"{TEAMS}{team.pk}/", {"name": "TAKEN"})
    assert response.status_code == 409


def test_non_captains_cannot_edit_or_delete() -> None:
    team = team_with_roster(size=2)
    member = team.memberships.get(role="member").user
    for user in (member, UserFactory()):
        client = client_as(user)
        assert client.patch(f"{TEAMS}{team.pk}/", {"name": "Hijack"}).status_code == 403
        assert client.delete(f"{TEAMS}{team.pk}/").status_code == 403
    assert client_as().patch(f"{TEAMS}{team.pk}/", {"name": "x"}).status_code == 401
    team.refresh_from_db()
    assert team.name != "Hijack"


# --- delete ---


def test_captain_deletes_a_team_without_history() -> None:
    team = team_with_roster(size=2)
    response = client_as(captain_of(team)).delete(f"{TEAMS}{team.pk}/")
    assert response.status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()


@pytest.mark.parametrize(
    "tournament_status",
    [Tournament.Status.REGISTRATION_OPEN, Tournament.Status.LIVE, Tournament.Status.PUBLISHED],
)
@pytest.mark.parametrize("status", [Registration.Status.CONFIRMED, "pending_payment"])
def test_delete_refused_with_an_active_registration(status: str, tournament_status: str) -> None:
    team = team_with_roster(size=1)
    register(team, status, tournament_status)
    response = client_as(captain_of(team)).delete(f"{TEAMS}{team.pk}/")
    assert response.status_code == 409
    assert Team.objects.get(pk=team.pk).disbanded_at is None


def test_team_with_history_is_disbanded_and_its_name_freed() -> None:
    team = team_with_roster(size=2, name="Oldies")
    register(team, Registration.Status.CONFIRMED, Tournament.Status.COMPLETED)
    register(team, Registration.Status.WITHDRAWN, Tournament.Status.REGISTRATION_OPEN)
    captain = captain_of(team)
    assert client_as(captain).delete(f"{TEAMS}{team.pk}/").status_code == 204
    team.refresh_from_db()
    assert team.disbanded_at is not None and not team.memberships.exists()
    assert client_as().get(f"{TEAMS}{team.pk}/").status_code == 404
    assert team.pk not in [r["id"] for r in client_as().get(TEAMS).json()["results"]]
    # Name and the players are free again.
    response = client_as(captain).post(TEAMS, {"name": "Oldies", "tag": "OLD", "game": "bgmi"})
    assert response.status_code == 201


def test_schema_documents_every_team_endpoint() -> None:
    response = client_as().get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    base = "/api/accounts/teams/"
    expected = {
        base: {"get", "post"},
        base + "{team_id}/": {"get", "patch", "delete"},
        base + "{team_id}/join-request/": {"post"},
        base + "{team_id}/join-requests/": {"get"},
        base + "{team_id}/join-requests/{request_id}/accept/": {"post"},
        base + "{team_id}/join-requests/{request_id}/reject/": {"post"},
        base + "{team_id}/invites/": {"get", "post"},
        base + "{team_id}/leave/": {"post"},
        base + "{team_id}/remove-member/": {"post"},
        base + "{team_id}/transfer-captaincy/": {"post"},
        base + "invites/": {"get"},
        base + "invites/{invite_id}/accept/": {"post"},
        base + "invites/{invite_id}/decline/": {"post"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    create = paths[base]["post"]
    assert "requestBody" in create and "201" in create["responses"]
