"""The demo's live scrim: 16 teams in one lobby, six matches, ready for `simulate_live`."""

from datetime import timedelta

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

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
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
        # One hash for all demo players: hashing 64 passwords would take half a minute.
        password = make_password("scrimverse-demo")
        now = timezone.now()
        table = validate_points_table(game.default_points_preset)
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
            points_table=table,
            published_at=now - timedelta(days=2),
        )
        teams = []
        for number, (name, tag) in enumerate(TEAM_NAMES, start=1):
            team = Team.objects.create(game=game, name=name, tag=tag)
            registration = Registration.objects.create(
                tournament=tournament,
                team=team,
                registered_by=host,
                status=Registration.Status.CONFIRMED,
            )
            for slot in range(game.squad_size):
                user = User.objects.create(
                    username=f"{tag.lower()}_{slot + 1}",
                    email=f"{tag.lower()}_{slot + 1}@demo.example.com",
                    password=password,
                    display_name=f"{tag} {slot + 1}",
                    email_verified_at=now,
                )
                role = TeamMembership.Role.CAPTAIN if slot == 0 else TeamMembership.Role.MEMBER
                TeamMembership.objects.create(team=team, user=user, role=role)
                ign = f"{tag}{slot + 1}"
                in_game_id = f"5{number:02d}{slot:02d}0042"
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
            teams.append(team)
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
