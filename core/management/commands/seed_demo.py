"""Demo data for the embedded setup. Idempotent: running it again changes nothing."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.models import Game, HostProfile, PlayerGameProfile, Team, TeamMembership, User
from core.selectors.teams import active_teams

DEMO_PASSWORD = "scrimverse-demo"  # noqa: S105 - printed on purpose: local demo accounts only
ADMIN = ("admin", "admin@example.com")
HOST = ("demo_host", "host@example.com")
PLAYERS = [(f"player{i}", f"player{i}@example.com") for i in range(1, 9)]
# Two BGMI squads ready to register (verified players with in-game ids); the first is captain.
TEAMS_GAME = "bgmi"
TEAMS = [
    ("Demo Alpha", "ALPHA", ["player1", "player2", "player3", "player4"]),
    ("Demo Bravo", "BRAVO", ["player5", "player6", "player7", "player8"]),
]


class Command(BaseCommand):
    help = "Create demo accounts (an admin, a verified host, players); safe to run repeatedly."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            admin = self._user(*ADMIN, role=User.Role.PLAYER, staff=True)
            host = self._user(*HOST, role=User.Role.HOST)
            HostProfile.objects.update_or_create(
                user=host,
                defaults={
                    "status": HostProfile.Status.APPROVED,
                    "organization": "Demo Esports",
                    "reviewed_by": admin,
                    "reviewed_at": timezone.now(),
                },
            )
            games = list(Game.objects.all())
            for number, (username, email) in enumerate(PLAYERS, start=1):
                player = self._user(username, email, role=User.Role.PLAYER)
                for game in games:
                    PlayerGameProfile.objects.get_or_create(
                        user=player,
                        game=game,
                        defaults={
                            "in_game_name": f"{username.title()}",
                            "in_game_id": f"5{number:03d}{game.pk:04d}",
                        },
                    )
            game = Game.objects.get(slug=TEAMS_GAME)
            for name, tag, usernames in TEAMS:
                self._team(game, name, tag, usernames)
        call_command("seed_demo_live", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in at /admin/ as "
                f"{ADMIN[0]} / {DEMO_PASSWORD}; host: {HOST[0]}; players: player1..player8 "
                f"(all with password {DEMO_PASSWORD}). Teams ready to register ({game.name}): "
                "Demo Alpha (captain player1, with player2..player4) and Demo Bravo "
                "(captain player5, with player6..player8)."
            )
        )

    def _user(self, username: str, email: str, *, role: str, staff: bool = False) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "email": email,
                "role": role,
                "display_name": username.replace("_", " ").title(),
                "email_verified_at": timezone.now(),
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _team(self, game: Game, name: str, tag: str, usernames: list[str]) -> None:
        """The team, with each of its players who is not on another team of the game (a player
        is on one team per game); the first of them to join captains it."""
        users = [User.objects.get(username=u) for u in usernames]
        team = active_teams().filter(game=game, name__iexact=name).first()
        if team is None:
            team = Team.objects.create(game=game, name=name, tag=tag, created_by=users[0])
        for user in users:
            if team.memberships.filter(user=user).exists():
                continue
            elsewhere = active_teams().filter(game=game, memberships__user=user).first()
            if elsewhere is not None:
                self.stdout.write(
                    self.style.WARNING(f"{user.username} stays on {elsewhere.name}, not {name}.")
                )
                continue
            has_captain = team.memberships.filter(role=TeamMembership.Role.CAPTAIN).exists()
            role = TeamMembership.Role.MEMBER if has_captain else TeamMembership.Role.CAPTAIN
            TeamMembership.objects.create(team=team, user=user, role=role)
