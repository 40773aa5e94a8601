"""Teams as the roster tests drive them over REST: join requests, invites, roles, a live lock."""

from typing import Any

from core.models import Registration, Team, Tournament, User
from tests.factories import TournamentFactory, captain_of
from tests.support.api import client_as

TEAMS = "/api/accounts/teams/"


def roles(team: Team) -> dict[int, str]:
    """user id → role of every member."""
    return dict(team.memberships.values_list("user_id", "role"))


def member_of(team: Team) -> User:
    """A member of the team who is not its captain."""
    return team.memberships.filter(role="member").first().user


def go_live(team: Team, tournament_status: str = Tournament.Status.LIVE) -> Registration:
    """A confirmed registration of the team in a tournament of this status."""
    tournament = TournamentFactory(game=team.game, status=tournament_status)
    return Registration.objects.create(
        tournament=tournament,
        team=team,
        registered_by=captain_of(team),
        status=Registration.Status.CONFIRMED,
    )


def request_to_join(team: Team, user: User) -> int:
    """The id of the user's new join request to the team."""
    response = client_as(user).post(f"{TEAMS}{team.pk}/join-request/", {"message": "hi"})
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def invite(team: Team, user: User, role: str = "member") -> Any:
    """The captain invites the user by username; the REST response."""
    return client_as(captain_of(team)).post(
        f"{TEAMS}{team.pk}/invites/", {"username": user.username, "role": role}
    )
