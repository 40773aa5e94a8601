"""Helpers shared by the tournament and registration tests."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.models import Team, TeamMembership, Tournament
from tests.factories import TournamentFactory, game


def roster_ids(team: Team) -> list[int]:
    """Member ids, captain first: the first squad_size of them make a valid roster."""
    ids = list(
        TeamMembership.objects.filter(team=team).order_by("id").values_list("user_id", flat=True)
    )
    return ids


def register_body(team: Team, size: int | None = None) -> dict[str, Any]:
    squad = size if size is not None else team.game.squad_size
    return {"team": team.pk, "players": roster_ids(team)[:squad]}


def create_body(**overrides: Any) -> dict[str, Any]:
    """A valid POST body for /api/tournaments/ or /api/scrims/ (times from now)."""
    now = timezone.now()
    body = {
        "game": game().pk,
        "title": "Friday Scrims",
        "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=1)).isoformat(),
        "starts_at": (now + timedelta(days=2)).isoformat(),
        "max_teams": 25,
    }
    body.update(overrides)
    return body


def open_tournament(**kwargs: Any) -> Tournament:
    return TournamentFactory(**kwargs)


@pytest.fixture
def fast_passwords(settings):  # type: ignore[no-untyped-def]
    """Rosters create many users; hashing their passwords with PBKDF2 would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
