from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Tournament
from tests.core.engine_helpers import confirm, recording
from tests.factories import HostFactory, TournamentFactory, team_with_roster


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # Hundreds of factory users: the production hasher would take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def recorder():  # type: ignore[no-untyped-def]
    with recording() as rec:
        yield rec


def live_tournament(
    *,
    teams: int,
    kind: str = Tournament.Kind.TOURNAMENT,
    roster: int = 1,
    prefix: str = "Team",
    **kwargs,
):  # type: ignore[no-untyped-def]
    """A live tournament with `teams` confirmed registrations named Team 01, Team 02, …"""
    now = timezone.now()
    tournament = TournamentFactory(
        kind=kind,
        host=HostFactory(),
        status=Tournament.Status.LIVE,
        max_teams=max(teams, 2),
        registration_opens_at=now - timedelta(days=3),
        registration_closes_at=now - timedelta(days=2),
        starts_at=now - timedelta(days=1),
        **kwargs,
    )
    field = [
        team_with_roster(size=roster, name=f"{prefix} {i:02d}", tag=f"{prefix[0]}{i:02d}")
        for i in range(1, teams + 1)
    ]
    for team in field:
        confirm(tournament, team)
    return tournament, field


def client_for(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client
