"""Reads for rounds, groups, matches, announcements, notifications and the leaderboards."""

from django.db.models import Prefetch, QuerySet

from core.errors import NotFound, ValidationError
from core.models import (
    Announcement,
    Group,
    GroupTeam,
    Match,
    Notification,
    PlayerStats,
    Round,
    Team,
    Tournament,
    User,
)


def _int_param(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationError(f"{name} must be an id.", details={name: ["Must be an id."]})
    return int(value)


def round_list(*, tournament: Tournament) -> QuerySet[Round]:
    return Round.objects.filter(tournament=tournament).order_by("number")


def round_get(*, tournament: Tournament, round_id: int | str | None) -> Round:
    pk = _int_param(str(round_id) if round_id is not None else None, "round")
    found = Round.objects.filter(tournament=tournament, pk=pk).first() if pk else None
    if found is None:
        raise NotFound("No such round in this tournament.")
    return found


def group_get(*, tournament: Tournament, group_id: int | str | None) -> Group:
    pk = _int_param(str(group_id) if group_id is not None else None, "group")
    found = Group.objects.filter(tournament=tournament, pk=pk).first() if pk else None
    if found is None:
        raise NotFound("No such group in this tournament.")
    return found


def group_list(*, tournament: Tournament, round_id: str | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(tournament=tournament)
    if (pk := _int_param(round_id, "round")) is not None:
        qs = qs.filter(round_id=pk)
    entries = GroupTeam.objects.select_related("team").order_by("seed", "id")
    return qs.prefetch_related(Prefetch("entries", queryset=entries)).order_by(
        "round__number", "name"
    )


def match_list(
    *, tournament: Tournament, round_id: str | None = None, group_id: str | None = None
) -> QuerySet[Match]:
    qs = Match.objects.filter(tournament=tournament).select_related("group")
    if (pk := _int_param(round_id, "round")) is not None:
        qs = qs.filter(group__round_id=pk)
    if (pk := _int_param(group_id, "group")) is not None:
        qs = qs.filter(group_id=pk)
    return qs.order_by("group__round__number", "group__name", "number")


def match_get(*, pk: int) -> Match:
    match = Match.objects.select_related("tournament", "group").filter(pk=pk).first()
    if match is None:
        raise NotFound("No such match.")
    return match


def announcement_list(*, tournament: Tournament) -> QuerySet[Announcement]:
    return Announcement.objects.filter(tournament=tournament, hidden_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _game_filter(game: str | None) -> dict:
    if not game:
        return {}
    return {"game_id": int(game)} if game.isdigit() else {"game__slug": game}


LEADERBOARD_ORDER = ("-total_points", "-wins", "-total_kills")


def team_leaderboard(*, game: str | None = None) -> QuerySet[Team]:
    return (
        Team.objects.filter(events_played__gt=0, **_game_filter(game))
        .select_related("game")
        .order_by(*LEADERBOARD_ORDER, "name", "id")
    )


def player_leaderboard(*, game: str | None = None) -> QuerySet[PlayerStats]:
    return (
        PlayerStats.objects.filter(events_played__gt=0, **_game_filter(game))
        .select_related("user", "game")
        .order_by(*LEADERBOARD_ORDER, "user__username", "id")
    )
