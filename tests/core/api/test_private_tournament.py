"""A private tournament's competition over REST is for the people its live room admits: the host,
staff and the players of its registrations. Its detail stays open by id (the invitation link)."""

import pytest
from rest_framework.test import APIClient

from core.models import Tournament
from core.services.announcements import announcement_create
from core.services.results import match_result_submit
from tests.factories import HostFactory, UserFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.events import submission
from tests.support.rooms import LiveRoom, live_room

pytestmark = pytest.mark.django_db


def _private_room() -> LiveRoom:
    room = live_room(teams=3)
    Tournament.objects.filter(pk=room.tournament.pk).update(
        visibility=Tournament.Visibility.PRIVATE
    )
    match_result_submit(
        actor=room.host, match_id=room.matches[0].pk, submission=submission(room.rows())
    )
    announcement_create(
        actor=room.host, tournament_id=room.tournament.pk, message="Lobby in 5", request_id=None
    )
    return room


def _reads(room: LiveRoom) -> list[str]:
    base = f"/api/tournaments/{room.tournament.pk}"
    return [
        f"{base}/rounds/",
        f"{base}/groups/",
        f"{base}/matches/",
        f"{base}/standings/",
        f"{base}/standings/?group={room.group.pk}",
        f"{base}/top-fraggers/",
        f"{base}/announcements/",
        f"{base}/registrations/",
        f"/api/matches/{room.matches[0].pk}/",
    ]


def _statuses(client: APIClient, paths: list[str]) -> dict[str, int]:
    return {path: client.get(path).status_code for path in paths}


def test_outsiders_are_refused_every_read_of_the_competition() -> None:
    room = _private_room()
    another_host = HostFactory()
    outsider_team = team_with_roster()
    for client in (APIClient(), client_as(UserFactory()), client_as(another_host)):
        statuses = _statuses(client, _reads(room))
        assert set(statuses.values()) == {403}, statuses
    body = client_as(captain_of(outsider_team)).get(_reads(room)[3]).json()
    assert body["code"] == "forbidden"
    assert "private" in body["message"]


def test_the_host_staff_and_its_players_read_it() -> None:
    room = _private_room()
    player = room.teams[1].memberships.first().user
    staff = UserFactory(is_staff=True)
    for user in (room.host, staff, player):
        statuses = _statuses(client_as(user), _reads(room))
        assert set(statuses.values()) == {200}, (user, statuses)
    rows = client_as(player).get(_reads(room)[3]).json()["rows"]
    assert len(rows) == 3


def test_its_detail_stays_open_by_id() -> None:
    room = _private_room()
    response = APIClient().get(f"/api/tournaments/{room.tournament.pk}/")
    assert (response.status_code, response.json()["visibility"]) == (200, "private")


@pytest.mark.usefixtures("read_cache_on")
def test_a_players_standings_are_never_served_to_anyone_else() -> None:
    room = _private_room()
    path = _reads(room)[3]
    player = room.teams[0].memberships.first().user
    for _ in range(2):
        assert client_as(player).get(path).status_code == 200
        assert APIClient().get(path).status_code == 403


def test_a_public_tournament_is_open_to_anyone() -> None:
    room = live_room(teams=3)
    statuses = _statuses(APIClient(), _reads(room))
    assert set(statuses.values()) == {200}, statuses
