"""Team rosters: join requests, invites, leave, remove, transfer, size limits and the live lock."""

import pytest
from rest_framework.test import APIClient

from core.models import Registration, Team, TeamInvite, TeamJoinRequest, TeamMembership, Tournament
from core.selectors.teams import team_is_locked
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)

pytestmark = pytest.mark.django_db
TEAMS = "/api/accounts/teams/"


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def roles(team: Team) -> dict[int, str]:
    return dict(team.memberships.values_list("user_id", "role"))


def member_of(team: Team):  # type: ignore[no-untyped-def]
    return team.memberships.filter(role="member").first().user


def go_live(team: Team, tournament_status: str = Tournament.Status.LIVE) -> Registration:
    tournament = TournamentFactory(game=team.game, status=tournament_status)
    return Registration.objects.create(
        tournament=tournament,
        team=team,
        registered_by=captain_of(team),
        status=Registration.Status.CONFIRMED,
    )


def request_to_join(team: Team, user) -> int:  # type: ignore[no-untyped-def]
    response = client_for(user).post(f"{TEAMS}{team.pk}/join-request/", {"message": "hi"})
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def invite(team: Team, user, role: str = "member"):  # type: ignore[no-untyped-def]
    return client_for(captain_of(team)).post(
        f"{TEAMS}{team.pk}/invites/", {"username": user.username, "role": role}
    )


# --- join requests ---


def test_join_request_flow_accept() -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    rid = request_to_join(team, player)
    captain = client_for(captain_of(team))
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
    response = client_for(captain_of(team)).post(f"{TEAMS}{team.pk}/join-requests/{rid}/reject/")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert player.pk not in roles(team)
    # A new request is possible once the old one is decided.
    request_to_join(team, player)


def test_join_request_refusals() -> None:
    team = team_with_roster(size=2)
    player = UserFactory()
    request_to_join(team, player)
    duplicate = client_for(player).post(f"{TEAMS}{team.pk}/join-request/")
    assert duplicate.status_code == 409
    member = client_for(member_of(team)).post(f"{TEAMS}{team.pk}/join-request/")
    assert member.status_code == 409
    elsewhere = team_with_roster(size=1)  # same game: a player is on one team per game
    assert (
        client_for(member_of(team)).post(f"{TEAMS}{elsewhere.pk}/join-request/").status_code == 409
    )
    assert client_for(HostFactory()).post(f"{TEAMS}{team.pk}/join-request/").status_code == 400
    assert client_for(player).post(f"{TEAMS}999999/join-request/").status_code == 404


def test_only_the_captain_handles_join_requests() -> None:
    team = team_with_roster(size=2)
    rid = request_to_join(team, UserFactory())
    for user in (member_of(team), UserFactory()):
        client = client_for(user)
        assert client.get(f"{TEAMS}{team.pk}/join-requests/").status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/").status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/join-requests/{rid}/reject/").status_code == 403
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"


def test_another_teams_request_id_is_404() -> None:
    team, other = team_with_roster(size=1), team_with_roster(size=1)
    rid = request_to_join(other, UserFactory())
    response = client_for(captain_of(team)).post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/")
    assert response.status_code == 404
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"


def test_accept_respects_squad_and_substitute_limits() -> None:
    team = team_with_roster(size=4)  # BGMI: squad of 4, one substitute
    first, second = UserFactory(), UserFactory()
    r1, r2 = request_to_join(team, first), request_to_join(team, second)
    captain = client_for(captain_of(team))
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
    client_for(captain_of(a)).post(f"{TEAMS}{a.pk}/join-requests/{rid}/accept/")
    assert TeamJoinRequest.objects.get(pk=other_rid).status == "cancelled"
    assert TeamInvite.objects.get(team=ff).status == "pending"  # another game: untouched
    late = client_for(captain_of(b)).post(f"{TEAMS}{b.pk}/join-requests/{other_rid}/accept/")
    assert late.status_code == 409


# --- invites ---


def test_invite_by_username_or_email_and_accept() -> None:
    team = team_with_roster(size=2)
    by_name, by_email = UserFactory(), UserFactory(email="Mixed.Case@Example.com")
    assert invite(team, by_name, role="substitute").status_code == 201
    response = client_for(captain_of(team)).post(
        f"{TEAMS}{team.pk}/invites/", {"email": "mixed.case@example.com"}
    )
    assert response.status_code == 201 and response.json()["invited_user"]["id"] == by_email.pk
    captain_list = client_for(captain_of(team)).get(f"{TEAMS}{team.pk}/invites/").json()
    assert captain_list["count"] == 2

    mine = client_for(by_name).get(f"{TEAMS}invites/").json()["results"]
    assert [(i["team"]["id"], i["role"]) for i in mine] == [(team.pk, "substitute")]
    accepted = client_for(by_name).post(f"{TEAMS}invites/{mine[0]['id']}/accept/")
    assert accepted.status_code == 200
    assert roles(team)[by_name.pk] == "substitute"
    assert client_for(by_name).get(f"{TEAMS}invites/").json()["count"] == 0


def test_invite_decline() -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    iid = invite(team, player).json()["id"]
    response = client_for(player).post(f"{TEAMS}invites/{iid}/decline/")
    assert response.status_code == 200 and response.json()["status"] == "declined"
    assert client_for(player).post(f"{TEAMS}invites/{iid}/accept/").status_code == 409
    assert player.pk not in roles(team)


def test_invite_refusals() -> None:
    team = team_with_roster(size=2)
    captain = client_for(captain_of(team))
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
        client = client_for(user)
        assert client.get(f"{TEAMS}{team.pk}/invites/").status_code == 403
        # The captain check comes first, so no one else learns whether a username exists.
        refused = client.post(f"{TEAMS}{team.pk}/invites/", {"username": target.username})
        assert refused.status_code == 403
        assert client.post(f"{TEAMS}{team.pk}/invites/", {"username": "ghost"}).status_code == 403
    assert not TeamInvite.objects.exists()


def test_another_players_invite_is_404() -> None:
    team = team_with_roster(size=1)
    iid = invite(team, UserFactory()).json()["id"]
    intruder = client_for(UserFactory())
    assert intruder.post(f"{TEAMS}invites/{iid}/accept/").status_code == 404
    assert intruder.post(f"{TEAMS}invites/{iid}/decline/").status_code == 404
    assert TeamInvite.objects.get(pk=iid).status == "pending"


def test_invite_accept_rechecks_limits() -> None:
    team = team_with_roster(size=3)
    first, second = UserFactory(), UserFactory()
    i1, i2 = invite(team, first).json()["id"], invite(team, second).json()["id"]
    assert client_for(first).post(f"{TEAMS}invites/{i1}/accept/").status_code == 200
    full = client_for(second).post(f"{TEAMS}invites/{i2}/accept/")
    assert full.status_code == 409
    assert TeamInvite.objects.get(pk=i2).status == "pending"
    assert team.memberships.count() == 4


# --- leave, remove, transfer ---


def test_member_leaves() -> None:
    team = team_with_roster(size=2)
    member = member_of(team)
    response = client_for(member).post(f"{TEAMS}{team.pk}/leave/")
    assert response.status_code == 200 and response.json() == {"team_deleted": False}
    assert member.pk not in roles(team)
    assert client_for(member).post(f"{TEAMS}{team.pk}/leave/").status_code == 403


def test_captain_must_transfer_before_leaving_unless_alone() -> None:
    team = team_with_roster(size=2)
    captain = client_for(captain_of(team))
    assert captain.post(f"{TEAMS}{team.pk}/leave/").status_code == 409
    solo = team_with_roster(size=1)
    response = client_for(captain_of(solo)).post(f"{TEAMS}{solo.pk}/leave/")
    assert response.status_code == 200 and response.json() == {"team_deleted": True}
    assert not Team.objects.filter(pk=solo.pk).exists()


def test_captain_removes_a_member() -> None:
    team = team_with_roster(size=3)
    member = member_of(team)
    captain = client_for(captain_of(team))
    response = captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk})
    assert response.status_code == 200
    assert member.pk not in [m["user"]["id"] for m in response.json()["members"]]
    assert captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk}).status_code == 400
    self_remove = captain.post(f"{TEAMS}{team.pk}/remove-member/", {"user": captain_of(team).pk})
    assert self_remove.status_code == 400
    other_member = member_of(team)
    refused = client_for(other_member).post(
        f"{TEAMS}{team.pk}/remove-member/", {"user": captain_of(team).pk}
    )
    assert refused.status_code == 403


def test_transfer_captaincy_swaps_roles() -> None:
    team = team_with_roster(size=2)
    old = captain_of(team)
    sub = UserFactory()
    TeamMembership.objects.create(team=team, user=sub, role="substitute")
    response = client_for(old).post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": sub.pk})
    assert response.status_code == 200, response.json()
    # The old captain takes the new captain's old seat, so the limits still hold.
    assert roles(team)[sub.pk] == "captain" and roles(team)[old.pk] == "substitute"
    assert team.memberships.filter(role="captain").count() == 1
    # The old captain has no captain powers now.
    again = client_for(old).post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": old.pk})
    assert again.status_code == 403


def test_transfer_to_a_non_member_is_400() -> None:
    team = team_with_roster(size=2)
    outsider = UserFactory()
    captain = client_for(captain_of(team))
    response = captain.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": outsider.pk})
    assert response.status_code == 400 and "user" in response.json()["details"]
    assert captain.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {}).status_code == 400
    member = client_for(member_of(team))
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
    assert client_for(UserFactory()).get(f"{TEAMS}{team.pk}/").json()["is_locked"] is True
    before = roles(team)
    c = client_for(captain)
    attempts = [
        c.post(f"{TEAMS}{team.pk}/join-requests/{rid}/accept/"),
        client_for(invited).post(f"{TEAMS}invites/{iid}/accept/"),
        client_for(member).post(f"{TEAMS}{team.pk}/leave/"),
        c.post(f"{TEAMS}{team.pk}/remove-member/", {"user": member.pk}),
        c.post(f"{TEAMS}{team.pk}/transfer-captaincy/", {"user": member.pk}),
        c.delete(f"{TEAMS}{team.pk}/"),
    ]
    assert [r.status_code for r in attempts] == [409] * 6
    assert "live" in attempts[0].json()["message"]
    assert roles(team) == before
    assert TeamJoinRequest.objects.get(pk=rid).status == "pending"
    assert TeamInvite.objects.get(pk=iid).status == "pending"


@pytest.mark.parametrize(
    "tournament_status",
    [Tournament.Status.REGISTRATION_CLOSED, Tournament.Status.COMPLETED],
)
def test_not_locked_outside_a_live_tournament(tournament_status: str) -> None:
    team = team_with_roster(size=2)
    go_live(team, tournament_status)
    assert not team_is_locked(team)
    response = client_for(member_of(team)).post(f"{TEAMS}{team.pk}/leave/")
    assert response.status_code == 200


def test_withdrawn_registration_in_a_live_tournament_does_not_lock() -> None:
    team = team_with_roster(size=2)
    registration = go_live(team)
    registration.status = Registration.Status.WITHDRAWN
    registration.save()
    assert not team_is_locked(team)


@pytest.mark.parametrize("pending", [1, 6])
def test_request_and_invite_lists_have_constant_queries(
    pending: int,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    team = team_with_roster(size=1)
    player = UserFactory()
    for _ in range(pending):
        other = team_with_roster(size=1)
        TeamJoinRequest.objects.create(team=team, user=UserFactory())
        TeamInvite.objects.create(team=other, invited_user=player, invited_by=captain_of(other))
    captain = client_for(captain_of(team))
    with django_assert_num_queries(4):  # team, captain check, count, page
        assert len(captain.get(f"{TEAMS}{team.pk}/join-requests/").json()["results"]) == pending
    with django_assert_num_queries(2):  # count, page
        assert len(client_for(player).get(f"{TEAMS}invites/").json()["results"]) == pending
