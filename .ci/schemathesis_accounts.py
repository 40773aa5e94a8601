"""For .ci/schemathesis.py, in the server's environment: migrate, seed the demo data, build the
signed-in roles' world, and print one JSON line (the last): each role's access token and the ids
the run pins its path parameters to (.ci/schemathesis.toml), so that operations reach real
objects instead of answering 404 to random ids.

- host: a host account, email verified, verification approved, hosting a free BGMI tournament
  open for registration with two confirmed teams, a round, a group and a match, and a draft scrim;
- player: a verified player, captain of one of those teams (a join request waiting, an invite from
  a Free Fire team, a notification).
"""

import json
import os
import sys
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from core.models import (  # noqa: E402
    Game,
    HostProfile,
    PlayerGameProfile,
    Team,
    TeamMembership,
    Tournament,
    User,
)
from core.scoring import validate_points_table  # noqa: E402
from core.services import competition, notifications, registrations, teams  # noqa: E402
from core.services.tokens import token_pair_for  # noqa: E402
from core.services.tournaments import tournament_create  # noqa: E402

PASSWORD = "schemathesis-Not-a-secret-1"  # noqa: S105 - a throwaway CI database


def user(username: str, role: str = User.Role.PLAYER) -> User:
    account = User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        role=role,
        email_verified_at=timezone.now(),
    )
    for game in Game.objects.all():
        PlayerGameProfile.objects.create(
            user=account, game=game, in_game_name=username.title(), in_game_id=f"51{account.pk:08d}"
        )
    return account


def squad(captain: User, game: Game, name: str, tag: str) -> Team:
    team = Team.objects.create(game=game, name=name, tag=tag, created_by=captain)
    TeamMembership.objects.create(team=team, user=captain, role=TeamMembership.Role.CAPTAIN)
    for n in range(1, game.squad_size):
        mate = user(f"{tag.lower()}_mate{n}")
        TeamMembership.objects.create(team=team, user=mate, role=TeamMembership.Role.MEMBER)
    return team


def host_account() -> User:
    host = user("fuzz_host", User.Role.HOST)
    HostProfile.objects.create(
        user=host,
        status=HostProfile.Status.APPROVED,
        organization="Fuzz Esports",
        reviewed_at=timezone.now(),
    )
    return host


def open_tournament(host: User, game: Game) -> Tournament:
    """Published and open (as if its plan fee were paid): the state most operations act on."""
    now = timezone.now()
    return Tournament.objects.create(
        game=game,
        host=host,
        title="Fuzz Cup",
        status=Tournament.Status.REGISTRATION_OPEN,
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=20),
        starts_at=now + timedelta(days=21),
        max_teams=16,
        points_table=validate_points_table(game.default_points_preset),
        published_at=now - timedelta(days=1),
    )


def draft_scrim(host: User, game: Game) -> Tournament:
    starts = timezone.now() + timedelta(days=30)
    return tournament_create(
        actor=host,
        game=game,
        kind=Tournament.Kind.SCRIM,
        title="Fuzz Scrim",
        registration_opens_at=starts - timedelta(days=5),
        registration_closes_at=starts - timedelta(days=1),
        starts_at=starts,
        max_teams=12,
    )


def register(tournament: Tournament, team: Team) -> int:
    captain = team.memberships.get(role=TeamMembership.Role.CAPTAIN).user
    roster = list(team.memberships.values_list("user_id", flat=True))
    return registrations.registration_create(
        actor=captain, tournament=tournament, team=team, players=roster
    ).pk


def world() -> dict[str, object]:
    bgmi, free_fire = Game.objects.get(slug="bgmi"), Game.objects.get(slug="free-fire")
    host, player = host_account(), user("fuzz_player")
    team = squad(player, bgmi, "Fuzz Squad", "FUZZ")
    rival = squad(user("fuzz_rival"), bgmi, "Fuzz Rivals", "RIVAL")
    tournament, scrim = open_tournament(host, bgmi), draft_scrim(host, bgmi)
    registration = register(tournament, team)
    register(tournament, rival)
    round_ = competition.round_create(actor=host, tournament=tournament, name="Final")
    group = competition.group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[team.pk, rival.pk]
    )
    match = competition.match_create(actor=host, tournament=tournament, group=group, number=1)
    applicant = user("fuzz_applicant")
    join = teams.team_join_request_create(actor=applicant, team=team, message="Let me in")
    ff_captain = user("fuzz_ff_captain")
    ff_team = Team.objects.create(game=free_fire, name="Fuzz Fire", tag="FIRE")
    TeamMembership.objects.create(team=ff_team, user=ff_captain, role=TeamMembership.Role.CAPTAIN)
    invite = teams.team_invite_create(actor=ff_captain, team=ff_team, invitee=player)
    (note,) = notifications.notifications_send(users=[player], kind="fuzz", title="Welcome")
    return {
        "tokens": {
            "host": token_pair_for(host)["access"],
            "player": token_pair_for(player)["access"],
        },
        "ids": {
            "TOURNAMENT": tournament.pk,
            "SCRIM": scrim.pk,
            "ROUND": round_.pk,
            "MATCH": match.pk,
            "REGISTRATION": registration,
            "TEAM": team.pk,
            "JOIN_REQUEST": join.pk,
            "INVITE": invite.pk,
            "NOTIFICATION": note.pk,
            "HOST": host.pk,
            "PLAYER": player.pk,
        },
    }


def main() -> None:
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=StringIO())
    print(json.dumps(world()))


if __name__ == "__main__":
    main()
