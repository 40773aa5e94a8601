"""core/services/teams.py: join requests and invites (over REST, as players and captains use
them: squad and substitute limits, refusals, one team per game), and team creation and edits
called directly. Leaving, removal, captaincy and the live lock: test_teams_membership.py."""

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import Team, TeamInvite, TeamJoinRequest, TeamMembership
from core.services import teams as svc
from tests.factories import (
    HostFactory,
    TeamFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.teams import TEAMS, invite, member_of, request_to_join, roles

pytestmark = pytest.mark.django_db


# --- join requests ---


def test_join_request_flow_accept() -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    rid = request_to_join(team, player)
    captain = client_as(captain_of(team))
    listed = captain.get(f"{TEAMS}{team.pk}/join-requests/").json()["results"]
    assert [(r["id"], r["user"]["id"], r["message"]) for r in listed] == [(rid, player.pk, "hi")]
    response = captain.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/")
    assert response.status_code == 200, response.json()
    assert response.json() == {"team": team.pk, "user": player.pk, "role": "member"}
    assert roles(team)[player.pk] == "member"
    assert TeamJoinRequest.objects.get(pk=rid).status == "accepted"
    # Accepting again is a conflict, not a second membership.
    again = captain.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/")
    assert again.status_code == 409


def test_join_request_reject() -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    rid = request_to_join(team, player)
    response = client_as(captain_of(team)).post(f"{TEAMS}{team.pk}/join-requests/{rid}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert player.pk not in roles(team)
    # A new request is possible once the old one is decided.
    request_to_join(team, player)


def test_join_request_refusals() -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    request_to_join(team, player)
    duplicate = client_as(player).post(f"{TEAMS}{team.pk}/join-request/")
    assert duplicate.status_code == 409
    member = client_as(member_of(team)).post(f"{TEAMS}{team.pk}/join-request/")
    assert member.status_code == 409
    elsewhere = team_with_roster(size=1)  # same game: a player is on one team per game
    assert (
        client_as(member_of(team)).post(f"{TEAMS}{elsewhere.pk}/join-request/").status_code == 409
    )
    assert client_as(HostFactory()).post(f"{TEAMS}{team.pk}/join-request/").status_code == 400
    assert client_as(player).post(f"{TEAMS}999999/join-request/").status_code == 404


def test_only_the_captain_handles_join_requests() -> None:
    team = team_with_roster(size=2)
    rid = request_to_join(team, UserFactory())
    for user in (member_of(team), UserFactory()):
        client = client_as(user)
        assert client.get(f"{TEAMS}{team.pk}/join-requests/").status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/").status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/join-requests/{rid}/reject/").status_code == 403
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"


def test_another_teams_request_id_is_404() -> None:
    team, other = team_with_roster(size=1), team_with_roster(size=1)
    rid = request_to_join(other, UserFactory())
    response = client_as(captain_of(team)).post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/")
    assert response.status_code == 404
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"


def test_accept_respects_squad_and_substitute_limits() -> None:
    team = team_with_roster(size=4)  # BGMI: squad of 4, one substitute
    first, second = UserFactory(), UserFactory()
    r1, r2 = request_to_join(team, first), request_to_join(team, second)
    captain = client_as(captain_of(team))
    full = captain.post(f"{TEAMS}{team.pk}/join-requests/{r1}/accept/", {"role": "member"})
    assert full.status_code == 409 and "substitute" in full.json()["message"]
    assert TeamJoinRequest.objects.get(pk=r1).status == "pending"  # rolled back
    sub = captain.post(f"{TEAMS}{team.pk}/join-requests/{r1}/accept/", {"role": "substitute"})
    assert sub.status_code == 200
    no_room = captain.post(f"{TEAMS}{team.pk}/join-requests/{r2}/accept/", {"role": "substitute"})
    assert no_room.status_code == 409
    bad_role = captain.post(f"{TEAMS}{team.pk}/join-requests/{r2}/accept/", {"role": "captain"})
    assert bad_role.status_code == 400
    assert team.memberships.count() == 5


def test_joining_cancels_other_pending_requests_and_invites_in_that_game() -> None:
    a, b = team_with_roster(size=1), team_with_roster(size=1)
    ff = team_with_roster(size=1, game_obj=game("free-fire"))
    player = UserFactory()
    rid = request_to_join(a, player)
    other_rid = request_to_join(b, player)
    assert invite(ff, player).status_code == 201
    client_as(captain_of(a)).post(f"{TEAMS}{a.pk}/join-requests/{rid}/accept/")
    assert TeamJoinRequest.objects.get(pk=other_rid).status == "cancelled"
    assert TeamInvite.objects.get(team=ff).status == "pending"  # another game: untouched
    late = client_as(captain_of(b)).post(f"{TEAMS}{b.pk}/join-requests/{other_rid}/accept/")
    assert late.status_code == 409


# --- invites ---


def test_invite_by_username_or_email_and_accept() -> None:
    team = team_with_roster(size=2)
    by_name, by_email = UserFactory(), UserFactory(email="Mixed.Case@Example.com")
    assert invite(team, by_name, role="substitute").status_code == 201
    response = client_as(captain_of(team)).post(
        f"{TEAMS}{team.pk}/invites/", {"email": "mixed.case@example.com"}
    )
    assert response.status_code == 201 and response.json()["invited_user"]["id"] == by_email.pk
    captain_list = client_as(captain_of(team)).get(f"{TEAMS}{team.pk}/invites/").json()
    assert captain_list["count"] == 2

    mine = client_as(by_name).get(f"{TEAMS}invites/").json()["results"]
    assert [(i["team"]["id"], i["role"]) for i in mine] == [(team.pk, "substitute")]
    accepted = client_as(by_name).post(f"{TEAMS}invites/{mine[0]['id']}/accept/")
    assert accepted.status_code == 200
    assert roles(team)[by_name.pk] == "substitute"
    assert client_as(by_name).get(f"{TEAMS}invites/").json()["count"] == 0


def test_invite_decline() -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    iid = invite(team, player).json()["id"]
    response = client_as(player).post(f"{TEAMS}invites/{iid}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert client_as(player).post(f"{TEAMS}invites/{iid}/accept/").status_code == 409
    assert player.pk not in roles(team)


def test_invite_refusals() -> None:
    team = team_with_roster(size=2)
    captain = client_as(captain_of(team))
    player = UserFactory()
    assert invite(team, player).status_code == 201
    assert invite(team, player).status_code == 409  # already pending
    assert invite(team, member_of(team)).status_code == 409  # already on the team
    other = team_with_roster(size=1)
    assert invite(team, captain_of(other)).status_code == 409  # on another bgmi team
    assert captain.post(f"{TEAMS}{team.pk}/invites/", {"username": "nobody"}).status_code == 404
    assert captain.post(f"{TEAMS}{team.pk}/invites/", {}).status_code == 400
    assert invite(team, UserFactory(), role="captain").status_code == 400
    assert invite(team, HostFactory()).status_code == 400


def test_only_the_captain_invites_and_sees_invites() -> None:
    team = team_with_roster(size=2)
    target = UserFactory()
    for user in (member_of(team), UserFactory()):
        client = client_as(user)
        assert client.get(f"{TEAMS}{team.pk}/invites/").status_code == 403
        # The captain check comes first, so no one else learns whether a username exists.
        refused = client.post(f"{TEAMS}{team.pk}/invites/", {"username": target.username})
        assert refused.status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/invites/", {"username": "ghost"}).status_code == 403
    assert not TeamInvite.objects.exists()


def test_another_players_invite_is_404() -> None:
    team = team_with_roster(size=1)
    iid = invite(team, UserFactory()).json()["id"]
    intruder = client_as(UserFactory())
    assert intruder.post(f"{TEAMS}invites/{iid}/accept/").status_code == 404
    assert intruder.post(f"{TEAMS}invites/{iid}/decline/").status_code == 404
    assert TeamInvite.objects.get(pk=iid).status == "pending"


def test_invite_accept_rechecks_limits() -> None:
    team = team_with_roster(size=3)
    first, second = UserFactory(), UserFactory()
    i1, i2 = invite(team, first).json()["id"], invite(team, second).json()["id"]
    assert client_as(first).post(f"{TEAMS}invites/{i1}/accept/").status_code == 200
    full = client_as(second).post(f"{TEAMS}invites/{i2}/accept/")
    assert full.status_code == 409
    assert TeamInvite.objects.get(pk=i2).status == "pending"
    assert team.memberships.count() == 4


# --- the services called directly -------------------------------------------------------------


def test_team_create_makes_the_creator_captain_with_trimmed_names() -> None:
    user = UserFactory()
    team = svc.team_create(actor=user, game=game(), name="  Soul  ", tag=" SL ", bio="gg")
    assert (team.name, team.tag, team.bio, team.created_by) == ("Soul", "SL", "gg", user)
    assert roles(team) == {user.pk: "captain"}


def test_team_create_refusals() -> None:
    TeamFactory(name="Taken", game=game())
    with pytest.raises(Conflict) as taken:
        svc.team_create(actor=UserFactory(), game=game(), name="tAKEN", tag="TK")
    assert "name" in taken.value.details
    with pytest.raises(ValidationError, match="Only player accounts"):
        svc.team_create(actor=HostFactory(), game=game(), name="Hosts", tag="HS")
    captain = captain_of(team_with_roster(size=1))
    with pytest.raises(Conflict, match="one team per game"):
        svc.team_create(actor=captain, game=game(), name="Second", tag="SC")
    assert svc.team_create(actor=captain, game=game("free-fire"), name="Second", tag="SC")


def test_team_update_changes_only_what_is_given_and_only_for_the_captain() -> None:
    team = team_with_roster(size=2, name="Before", tag="BF")
    updated = svc.team_update(actor=captain_of(team), team=team, bio="New bio")
    assert (updated.name, updated.tag, updated.bio) == ("Before", "BF", "New bio")
    with pytest.raises(PermissionDenied):
        svc.team_update(actor=member_of(team), team=team, name="Hijack")
    TeamFactory(name="Other", game=team.game)
    with pytest.raises(Conflict):
        svc.team_update(actor=captain_of(team), team=team, name="OTHER")
    team.refresh_from_db()
    assert team.name == "Before"


def test_roles_other_than_member_or_substitute_are_refused() -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    request = svc.team_join_request_create(actor=player, team=team, message="me")
    with pytest.raises(ValidationError, match="member or substitute"):
        svc.team_join_request_accept(actor=captain_of(team), join_request=request, role="captain")
    with pytest.raises(ValidationError, match="member or substitute"):
        svc.team_invite_create(actor=captain_of(team), team=team, invitee=player, role="captain")
    assert TeamJoinRequest.objects.get(pk=request.pk).status == "pending"
    assert not TeamMembership.objects.filter(user=player).exists()


def test_an_invite_is_only_its_invitees_and_is_decided_once() -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    sent = svc.team_invite_create(actor=captain_of(team), team=team, invitee=player)
    for call in (svc.team_invite_accept, svc.team_invite_decline):
        with pytest.raises(NotFound):
            call(actor=UserFactory(), invite=sent)
    assert svc.team_invite_decline(actor=player, invite=sent).status == TeamInvite.Status.DECLINED
    with pytest.raises(Conflict, match="already declined"):
        svc.team_invite_decline(actor=player, invite=sent)
    with pytest.raises(Conflict, match="already declined"):
        svc.team_invite_accept(actor=player, invite=sent)
    assert not Team.objects.filter(memberships__user=player).exists()
