"""Tournaments and registrations as the tests need them: REST bodies, rosters, and a live
tournament with a confirmed field (built straight into the tables the engine reads)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from core.models import (
    Registration,
    RegistrationPlayer,
    Team,
    TeamMembership,
    Tournament,
)
from tests.factories import HostFactory, TournamentFactory, game, team_with_roster


def roster_ids(team: Team) -> list[int]:
    """Member ids, captain first: the first squad_size of them make a valid roster."""
    return list(
        TeamMembership.objects.filter(team=team).order_by("id").values_list("user_id", flat=True)
    )


def register_body(team: Team, size: int | None = None) -> dict[str, Any]:
    """A POST body for …/register/: the team and the first `size` (default: a squad) members."""
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


def confirm(tournament: Tournament, team: Team) -> Registration:
    """A confirmed registration with the team's members as its roster (the registration service
    is tested on its own; the competition engine only reads these rows)."""
    registration = Registration.objects.create(
        tournament=tournament,
        team=team,
        registered_by=team.memberships.get(role=TeamMembership.Role.CAPTAIN).user,
        status=Registration.Status.CONFIRMED,
    )
    RegistrationPlayer.objects.bulk_create(
        RegistrationPlayer(
            registration=registration,
            tournament=tournament,
            user=m.user,
            in_game_name=m.user.username,
            in_game_id=str(m.user.pk),
        )
        for m in team.memberships.select_related("user")
    )
    return registration


def live_tournament(
    *,
    teams: int,
    kind: str = Tournament.Kind.TOURNAMENT,
    roster: int = 1,
    prefix: str = "Team",
    **kwargs: Any,
) -> tuple[Tournament, list[Team]]:
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
