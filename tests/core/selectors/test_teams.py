"""core/selectors/teams.py: when a team is locked (a confirmed seat in a live tournament), and the
request and invite lists' constant query counts."""

from typing import Any

import pytest

from core.models import Registration, TeamInvite, TeamJoinRequest, Tournament
from core.selectors.teams import team_is_locked
from tests.factories import UserFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.teams import TEAMS, go_live, member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "tournament_status",
    [Tournament.Status.REGISTRATION_CLOSED, Tournament.Status.COMPLETED],
)
def test_not_locked_outside_a_live_tournament(tournament_status: str) -> None:
    team = team_with_roster(size=2)
    go_live(team, tournament_status)
    assert not team_is_locked(team)
    response = client_as(member_of(team)).post(f"{TEAMS}{team.pk}/leave/")
    assert response.status_code == 200


def test_withdrawn_registration_in_a_live_tournament_does_not_lock() -> None:
    team = team_with_roster(size=2)
    registration = go_live(team)
    registration.status = Registration.Status.WITHDRAWN
    registration.save()
    assert not team_is_locked(team)


@pytest.mark.parametrize("pending", [1, 6])
def test_request_and_invite_lists_have_constant_queries(
    pending: int, django_assert_num_queries: Any
) -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    for _ in range(pending):
        other = team_with_roster(size=1)
        TeamJoinRequest.objects.create(team=team, user=UserFactory())
        TeamInvite.objects.create(team=other, invited_user=player, invited_by=captain_of(other))
    captain = client_as(captain_of(team))
    with django_assert_num_queries(4):  # team, captain check, count, page
        assert len(captain.get(f"{TEAMS}{team.pk}/join-requests/").json()["results"]) == pending
    with django_assert_num_queries(2):  # count, page
        assert len(client_as(player).get(f"{TEAMS}invites/").json()["results"]) == pending
