"""Match day reads for the host: who has checked in, a match's disputes, a match's result
history. Each costs a fixed number of queries whatever the number of rows."""

from typing import Any

from django.db.models import QuerySet

from core.errors import PermissionDenied
from core.models import (
    Match,
    MatchDispute,
    Registration,
    ResultChange,
    TeamMembership,
    Tournament,
    User,
)


def checkin_board(*, tournament: Tournament) -> dict[str, Any]:
    """The check-in window and the confirmed teams in and out (no-shows after the close)."""
    rows = list(
        Registration.objects.filter(
            tournament=tournament,
            status__in=[Registration.Status.CONFIRMED, Registration.Status.NO_SHOW],
        )
        .select_related("team")
        .order_by("team__name", "id")
    )

    def line(r: Registration) -> dict[str, Any]:
        team = {"id": r.team_id, "name": r.team.name, "tag": r.team.tag}
        return {"registration": r.pk, "team": team, "checked_in_at": r.checked_in_at}

    confirmed = [r for r in rows if r.status == Registration.Status.CONFIRMED]
    return {
        "opens_at": tournament.checkin_opens_at,
        "closes_at": tournament.checkin_closes_at,
        "closed_at": tournament.checkin_closed_at,
        "checked_in": [line(r) for r in confirmed if r.checked_in_at is not None],
        "not_checked_in": [line(r) for r in confirmed if r.checked_in_at is None],
        "no_shows": [line(r) for r in rows if r.status == Registration.Status.NO_SHOW],
    }


def match_disputes(*, viewer: User, match: Match) -> QuerySet[MatchDispute]:
    """The host and staff see every dispute of the match; a member of a team sees its team's;
    anyone else is refused."""
    qs = (
        MatchDispute.objects.filter(match=match)
        .select_related("team", "opened_by", "resolved_by")
        .order_by("created_at", "id")
    )
    if viewer.is_staff or viewer.pk == match.tournament.host_id:
        return qs
    teams = TeamMembership.objects.filter(user=viewer).values("team_id")
    if not qs.filter(team__in=teams).exists():
        raise PermissionDenied("A match's disputes are for its host, staff and the teams in them.")
    return qs.filter(team__in=teams)


def dispute_get(*, pk: int) -> MatchDispute | None:
    return (
        MatchDispute.objects.filter(pk=pk)
        .select_related("team", "opened_by", "resolved_by", "tournament")
        .first()
    )


def match_history(*, match_id: int) -> QuerySet[ResultChange]:
    """Every accepted result of the match, oldest first."""
    return (
        ResultChange.objects.filter(match_id=match_id)
        .select_related("actor")
        .order_by("version", "id")
    )
