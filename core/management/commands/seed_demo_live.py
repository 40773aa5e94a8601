"""The demo's live scrim: 16 teams in one lobby, six matches, ready for `simulate_live`."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.models import (
    Game,
    PlayerGameProfile,
    Registration,
    RegistrationPlayer,
    Team,
    TeamMembership,
    Tournament,
    User,
)
from core.scoring import validate_points_table
from core.services.competition import group_create, match_create, round_create

DEMO_TITLE = "Demo Scrim — BGMI Evening Lobby"
TEAM_NAMES = [
    ("Soul", "SOUL"), ("GodLike", "GDL"), ("Team XSpark", "TX"), ("Blind", "BLD"),
    ("Orangutan", "OG"), ("Revenant", "RNT"), ("Medal", "MDL"), ("Gladiators", "GE"),
    ("Big Brother", "BB"), ("Enigma", "ENG"), ("Hydra", "HYD"), ("Velocity", "VG"),
    ("Nebula", "NBL"), ("Stalwart", "STW"), ("Carnival", "CRN"), ("Marcos", "MG"),
]  # fmt: skip
MAPS = ["Erangel", "Miramar", "Sanhok", "Erangel", "Miramar", "Vikendi"]


def _ws(site: str) -> str:
    return "ws" + site.removeprefix("http")


def demo_tournament() -> Tournament | None:
    return Tournament.objects.filter(title=DEMO_TITLE).first()


class Command(BaseCommand):
    help = "Create the demo live scrim (idempotent) and print its pages."

    def handle(self, *args: Any, **options: Any) -> None:
        tournament = demo_tournament() or self._create()
        site = settings.FRONTEND_URL
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo live scrim #{tournament.pk}: {site}/live/{tournament.pk}/ "
                f"and overlay {site}/overlay/{tournament.pk}/ — play it with "
                f"`.venv/bin/python manage.py simulate_live {tournament.pk}"
                + ("" if site == "http://localhost:8000" else f" --url {_ws(site)}")
                + "`"
            )
        )

    @transaction.atomic
    def _create(self) -> Tournament:
        host = User.objects.get(username="demo_host")
        game = Game.objects.get(slug="bgmi")
        now = timezone.now()
        tournament = Tournament.objects.create(
            kind=Tournament.Kind.SCRIM,
            game=game,
            host=host,
            title=DEMO_TITLE,
            description="A demo scrim: run simulate_live to watch the board change.",
            status=Tournament.Status.LIVE,
            plan=Tournament.Plan.FEATURED,
            plan_rank=1,
            registration_opens_at=now - timedelta(days=2),
            registration_closes_at=now - timedelta(hours=2),
            starts_at=now - timedelta(hours=1),
            max_teams=25,
            points_table=validate_points_table(game.default_points_preset),
            published_at=now - timedelta(days=2),
        )
        # One hash for all demo players: hashing 64 passwords would take half a minute.
        password = make_password("scrimverse-demo")
        teams = [
            _registered_team(tournament, number, name, tag, password=password)
            for number, (name, tag) in enumerate(TEAM_NAMES, start=1)
        ]
        round_ = round_create(actor=host, tournament=tournament, name="Scrim", is_final=True)
        group = group_create(
            actor=host,
            tournament=tournament,
            round_=round_,
            name="A",
            team_ids=[t.pk for t in teams],
        )
        for number, map_name in enumerate(MAPS, start=1):
            match_create(
                actor=host,
                tournament=tournament,
                group=group,
                number=number,
                map_name=map_name,
                scheduled_at=now + timedelta(minutes=30 * number),
            )
        return tournament


def _registered_team(
    tournament: Tournament, number: int, name: str, tag: str, *, password: str
) -> Team:
    """A team of verified players with in-game ids, confirmed in the tournament."""
    game = tournament.game
    team = Team.objects.create(game=game, name=name, tag=tag)
    registration = Registration.objects.create(
        tournament=tournament,
        team=team,
        registered_by=tournament.host,
        status=Registration.Status.CONFIRMED,
    )
    for slot in range(game.squad_size):
        user = User.objects.create(
            username=f"{tag.lower()}_{slot + 1}",
            email=f"{tag.lower()}_{slot + 1}@demo.example.com",
            password=password,
            display_name=f"{tag} {slot + 1}",
            email_verified_at=timezone.now(),
        )
        role = TeamMembership.Role.CAPTAIN if slot == 0 else TeamMembership.Role.MEMBER
        TeamMembership.objects.create(team=team, user=user, role=role)
        ign, in_game_id = f"{tag}{slot + 1}", f"5{number:02d}{slot:02d}0042"
        PlayerGameProfile.objects.create(
            user=user, game=game, in_game_name=ign, in_game_id=in_game_id
        )
        RegistrationPlayer.objects.create(
            registration=registration,
            tournament=tournament,
            user=user,
            in_game_name=ign,
            in_game_id=in_game_id,
        )
    return team
