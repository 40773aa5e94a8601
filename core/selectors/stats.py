"""Reads of the match statistics (core/services/stats.py keeps them): profiles from the running
totals, the 30-day leaderboards from the period's lines (index game, played_at), the MVP from the
top fraggers. Each read is a fixed number of queries, whatever the number of matches."""

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from core.errors import NotFound
from core.models import MatchStatLine, StatTotal, Team, User

from .competition import _game_filter
from .standings import top_fraggers

PERIOD_DAYS = {"30d": 30}
MVP_RULE = "most kills in the tournament; ties: fewer matches, then the lower user id"
ORDER = ("-points", "-wins", "-kills")


def _profile_row(total: StatTotal) -> dict[str, Any]:
    matches = total.matches
    return {
        "game": total.game.slug,
        "tournaments_played": total.tournaments,
        "matches": matches,
        "wins": total.wins,
        "kills": total.kills,
        "points": total.points,
        "average_placement": round(total.placement_sum / matches, 2) if matches else None,
        "kills_per_match": round(total.kills / matches, 2) if matches else None,
        "best_finish": total.best_finish,
    }


def player_game_rows(*, user_id: int) -> list[dict[str, Any]]:
    """Per game, the player's totals, by game slug (one query; the profile reads it)."""
    qs = StatTotal.objects.filter(user_id=user_id).select_related("game").order_by("game__slug")
    return [_profile_row(t) for t in qs]


def team_game_rows(*, team_id: int) -> list[dict[str, Any]]:
    """The team's totals: one row, a team plays one game (one query; the team page reads it)."""
    qs = StatTotal.objects.filter(team_id=team_id, user__isnull=True).select_related("game")
    return [_profile_row(t) for t in qs]


def player_stats(*, user_id: int) -> list[dict[str, Any]]:
    """Per game, the player's totals (an active account, else NotFound). Two queries."""
    if not User.objects.filter(pk=user_id, is_active=True).exists():
        raise NotFound("No such player.")
    return player_game_rows(user_id=user_id)


def team_stats(*, team_id: int) -> list[dict[str, Any]]:
    """The team's totals (one row: a team plays one game; else NotFound). Two queries."""
    if not Team.objects.filter(pk=team_id).exists():
        raise NotFound("No such team.")
    return team_game_rows(team_id=team_id)


def team_match_history(*, team_id: int) -> QuerySet[MatchStatLine]:
    """The team's final matches, newest first (paginate it)."""
    return (
        MatchStatLine.objects.filter(team_id=team_id, user__isnull=True)
        .select_related("tournament", "match")
        .order_by("-played_at", "-id")
    )


def tournament_mvp(*, tournament_id: int) -> dict[str, Any] | None:
    """The MVP by MVP_RULE: the first of the top fraggers (its order is the tie-break)."""
    rows = top_fraggers(tournament_id=tournament_id, limit=1)
    return rows[0] if rows else None


def _period_lines(game: str | None, period: str, *, players: bool) -> QuerySet:
    since = timezone.now() - timedelta(days=PERIOD_DAYS[period])
    return MatchStatLine.objects.filter(
        played_at__gte=since, user__isnull=not players, **_game_filter(game)
    )


def _sums() -> dict[str, Any]:
    return {
        "tournaments": Count("tournament_id", distinct=True),
        "matches": Count("id"),
        "wins": Count("id", filter=Q(placement=1)),
        "kills": Sum("kills"),
        "points": Sum("points"),
        "placement_sum": Sum("placement"),
    }


TOTAL_FIELDS = ("tournaments", "matches", "wins", "kills", "points", "placement_sum")


def team_match_leaderboard(*, game: str | None, period: str) -> QuerySet:
    """Teams by match points, then WWCDs, then kills (dict rows; paginate it)."""
    keys = ("team_id", "team__name", "team__tag", "game__slug")
    if period == "all":
        qs = StatTotal.objects.filter(user__isnull=True, matches__gt=0, **_game_filter(game))
        return qs.values(*keys, *TOTAL_FIELDS).order_by(*ORDER, "team__name", "team_id")
    rows = _period_lines(game, period, players=False).values(*keys).annotate(**_sums())
    return rows.order_by(*ORDER, "team__name", "team_id")


def player_match_leaderboard(*, game: str | None, period: str) -> QuerySet:
    """Players by match points, then WWCDs, then kills (dict rows; paginate it)."""
    keys = ("user_id", "user__username", "user__display_name", "game__slug")
    if period == "all":
        qs = StatTotal.objects.filter(user__isnull=False, matches__gt=0, **_game_filter(game))
        return qs.values(*keys, *TOTAL_FIELDS).order_by(*ORDER, "user__username", "user_id")
    rows = _period_lines(game, period, players=True).values(*keys).annotate(**_sums())
    return rows.order_by(*ORDER, "user__username", "user_id")
