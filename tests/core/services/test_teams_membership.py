"""core/services/teams.py: leaving a team, removing a member, handing over the captaincy, and
every roster change refused while the team plays a live tournament (over REST)."""

import pytest

from core.models import Team, TeamInvite, TeamJoinRequest, TeamMembership
from core.selectors.teams import team_is_locked
from tests.factories import UserFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.teams import TEAMS, go_live, invite, member_of, request_to_join, roles

pytestmark = pytest.mark.django_db


# --- leave, remove, transfer ---


def test_member_leaves() -> None:
    team = team_with_roster(size=2)
    member = member_of(team)
    response = client_as(member).post(f"{TEAMS}{team.pk}/leave/")
    assert response.status_code == 200 and response.json() == {"team_deleted": False}
    assert member.pk not in roles(team)
    assert client_as(member).post(f"{TEAMS}{team.pk}/leave/").status_code == 403


def test_captain_must_transfer_before_leaving_unless_alone() -> None:
    team = team_with_roster(size=2)
    captain = client_as(captain_of(team))
    assert captain.post(f"{TEAMS}{team.pk}/leave/").status_code == 409
    solo = team_with_roster(size=1)
    response = client_as(captain_of(solo)).post(f"{TEAMS}{solo.pk}/leave/")
    assert response.status_code == 200 and response.json() == {"team_deleted": True}
    assert not Team.objects.filter(pk=solo.pk).exists()


def test_captain_removes_a_member() -> None:
    team = team_with_roster(size=3)
    member = member_of(team)
    captain = client_as(captain_of(team))
    response = captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk})
    assert response.status_code == 200
    assert member.pk not in [m["user"]["id"] for m in response.json()["members"]]
    assert captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk}).status_code == 400
    self_remove = captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": captain_of(team).pk})
    assert self_remove.status_code == 400
    other_member = member_of(team)
    refused = client_as(other_member).post(
        f"{TEAMS}{team.pk}/remove-member/", {"user": captain_of(team).pk}
    )
    assert refused.status_code == 403


def test_transfer_captaincy_swaps_roles() -> None:
    team = team_with_roster(size=2)
    old = captain_of(team)
    sub = UserFactory()
    TeamMembership.objects.create(team=team, user=sub, role="substitute")
    response = client_as(old).post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": sub.pk})
    assert response.status_code == 200, response.json()
    # The old captain takes the new captain's old seat, so the limits still hold.
    assert roles(team)[sub.pk] == "captain" and roles(team)[old.pk] == "substitute"
    assert team.memberships.filter(role="captain").count() == 1
    # The old captain has no captain powers now.
    again = client_as(old).post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": old.pk})
    assert again.status_code == 403


def test_transfer_to_a_non_member_is_400() -> None:
    team = team_with_roster(size=2)
    outsider = UserFactory()
    captain = client_as(captain_of(team))
    response = captain.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": outsider.pk})
    assert response.status_code == 400 and "user" in response.json()["details"]
    assert captain.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {}).status_code == 400
    member = client_as(member_of(team))
    assert (
        member.post(
            f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": member_of(team).pk}
        ).status_code
        == 403
    )


# --- the live lock ---


def test_every_roster_change_is_refused_while_live() -> None:
    team = team_with_roster(size=3)
    captain, member = captain_of(team), member_of(team)
    rid = request_to_join(team, UserFactory())
    invited = UserFactory()
    iid = invite(team, invited, role="substitute").json()["id"]
    go_live(team)
    assert team_is_locked(team)
    assert client_as(UserFactory()).get(f"{TEAMS}{team.pk}/").json()["is_locked"] is True
    before = roles(team)
    c = client_as(captain)
    attempts = [
        c.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/"),
        client_as(invited).post(f"{TEAMS}invites/{iid}/accept/"),
        client_as(member).post(f"{TEAMS}{team.pk}/leave/"),
        c.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk}),
        c.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": member.pk}),
        c.delete(f"{TEAMS}{team.pk}/"),
    ]
    assert [r.status_code for r in attempts] == [409] * 6
    assert "live" in attempts[0].json()["message"]
    assert roles(team) == before
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"
    assert TeamInvite.objects.get(pk=iid).status == "pending"
