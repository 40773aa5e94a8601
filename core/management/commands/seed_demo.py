"""Demo data for the embedded setup. Idempotent: running it again changes nothing."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.models import Game, HostProfile, PlayerGameProfile, User

DEMO_PASSWORD = "scrimverse-demo"  # noqa: S105 - printed on purpose: local demo accounts only
ADMIN = ("admin", "admin@example.com")
HOST = ("demo_host", "host@example.com")
PLAYERS = [(f"player{i}", f"player{i}@example.com") for i in range(1, 9)]


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
        call_command("seed_demo_live", stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready. Sign in at /admin/ as "
                f"{ADMIN[0]} / {DEMO_PASSWORD}; host: {HOST[0]}; players: player1..player8 "
                f"(all with password {DEMO_PASSWORD})."
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
