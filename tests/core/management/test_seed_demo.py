"""core/management/commands/seed_demo.py: the demo teams are ready to register, and seeding
again changes nothing."""

import io

import pytest
from django.core.management import call_command

from core.models import Team, TeamMembership, User

pytestmark = pytest.mark.django_db


def roster(name: str) -> list[tuple[str, str]]:
    team = Team.objects.get(name=name, game__slug="bgmi", disbanded_at__isnull=True)
    return [(m.user.username, m.role) for m in team.memberships.select_related("user")]


def test_two_bgmi_squads_of_verified_players_with_in_game_ids() -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert roster("Demo Alpha") == [
        ("player1", "captain"),
        ("player2", "member"),
        ("player3", "member"),
        ("player4", "member"),
    ]
    assert roster("Demo Bravo") == [
        ("player5", "captain"),
        ("player6", "member"),
        ("player7", "member"),
        ("player8", "member"),
    ]
    for player in User.objects.filter(username__in=[f"player{i}" for i in range(1, 9)]):
        assert player.is_email_verified
        assert player.game_profiles.get(game__slug="bgmi").in_game_id
    assert "Demo Alpha (captain player1" in out.getvalue()
    assert "Demo Bravo (captain player5" in out.getvalue()


def test_seeding_again_changes_nothing() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    before = list(TeamMembership.objects.values_list("team_id", "user_id", "role").order_by("id"))
    teams = Team.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Team.objects.count() == teams
    assert (
        list(TeamMembership.objects.values_list("team_id", "user_id", "role").order_by("id"))
        == before
    )


def test_a_player_already_on_another_team_of_the_game_stays_there() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    alpha = Team.objects.get(name="Demo Alpha")
    TeamMembership.objects.filter(team=alpha, user__username="player4").delete()
    other = Team.objects.create(game=alpha.game, name="Elsewhere", tag="ELS")
    TeamMembership.objects.create(
        team=other, user=User.objects.get(username="player4"), role=TeamMembership.Role.CAPTAIN
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert [u for u, _ in roster("Demo Alpha")] == ["player1", "player2", "player3"]
    assert "player4 stays on Elsewhere, not Demo Alpha." in out.getvalue()
