"""Every row lock a service takes: the one place `select_for_update` is written.

Each `lock_<row>` runs inside the caller's transaction, returns the locked row (with what its
callers read of its relations) and raises NotFound when there is no such row; a caller that owes
its user another answer catches that. The lock is held until the transaction ends, so keep the
transaction short and take locks in this order everywhere, so that writers queue instead of
deadlocking:

    team → user → join request / invite          (rosters: core/services/teams.py says why)
    tournament → registration
    tournament → round → match → dispute → event sequence  (a result, a status change or a
                                                          dispute starts at the round)

(the event sequence is a conditional UPDATE in core/events.py, not a lock here).
`of=("self",)` where a row is read with joined relations: only the row itself is locked, not the
game or host rows it is read with (PostgreSQL would otherwise lock those too).
"""

from typing import TypeVar

from django.db import transaction
from django.db.models import Model, Q, QuerySet

from core.errors import NotFound
from core.models import (
    HostProfile,
    Match,
    MatchDispute,
    PlayerStats,
    Registration,
    Round,
    SentEmail,
    StatTotal,
    Team,
    TeamInvite,
    TeamJoinRequest,
    Tournament,
    User,
)

M = TypeVar("M", bound=Model)


def _one(queryset: QuerySet[M], missing: str) -> M:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a row lock needs the caller's transaction")
    row = queryset.first()
    if row is None:
        raise NotFound(missing)
    return row


def lock_user(user_id: int, *, only_active: bool = False) -> User:
    queryset = User.objects.select_for_update().filter(pk=user_id)
    if only_active:
        queryset = queryset.filter(is_active=True)
    return _one(queryset, "No such user.")


def lock_team(team_id: int) -> Team:
    """A team that is not disbanded, with its game."""
    queryset = (
        Team.objects.select_for_update(of=("self",))
        .select_related("game")
        .filter(pk=team_id, disbanded_at__isnull=True)
    )
    return _one(queryset, "Team not found.")


def lock_teams(team_ids: set[int]) -> list[Team]:
    """Several teams at once, in id order (the same order for every writer)."""
    return list(Team.objects.select_for_update().filter(pk__in=team_ids).order_by("pk"))


def lock_host_profile(user_id: int) -> HostProfile:
    queryset = HostProfile.objects.select_for_update(of=("self",)).select_related("user")
    return _one(queryset.filter(user_id=user_id), "No host verification for this user.")


def lock_or_create_host_profile(user: User) -> HostProfile:
    profile, _ = HostProfile.objects.select_for_update().get_or_create(user=user)
    return profile


def lock_tournament(tournament_id: int) -> Tournament:
    """The tournament with its game and host (every writer reads them)."""
    queryset = (
        Tournament.objects.select_for_update(of=("self",))
        .select_related("game", "host")
        .filter(pk=tournament_id)
    )
    return _one(queryset, "No such tournament.")


def lock_registration(tournament: Tournament, registration_id: int) -> Registration:
    queryset = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("team", "registered_by")
        .filter(pk=registration_id, tournament=tournament)
    )
    return _one(queryset, "No such registration in this tournament.")


def lock_round(round_id: int) -> Round:
    return _one(Round.objects.select_for_update().filter(pk=round_id), "No such round.")


def lock_round_of_match(match_id: int, *, tournament_id: int | None = None) -> Round:
    """The round of a match (of `tournament_id`, when given), found and locked in one statement
    (only the round's row: OF self)."""
    # One filter() call: both conditions hold for the same match (one join, not two).
    same_match: dict[str, int] = {"groups__matches__id": match_id}
    if tournament_id is not None:
        same_match["groups__matches__tournament_id"] = tournament_id
    where = " in this tournament" if tournament_id is not None else ""
    queryset = Round.objects.select_for_update(of=("self",)).filter(**same_match)
    return _one(queryset, f"No such match{where}.")


def lock_match(match_id: int) -> Match:
    """The match with its tournament (the caller locks the match's round first)."""
    queryset = (
        Match.objects.select_for_update(of=("self",))
        .select_related("tournament")
        .filter(pk=match_id)
    )
    return _one(queryset, "No such match.")


def lock_join_request(join_request_id: int) -> TeamJoinRequest:
    return _one(
        TeamJoinRequest.objects.select_for_update().filter(pk=join_request_id),
        "Join request not found.",
    )


def lock_invite(invite_id: int) -> TeamInvite:
    return _one(TeamInvite.objects.select_for_update().filter(pk=invite_id), "Invite not found.")


def lock_or_create_sent_email(*, key: str, template: str, to: str) -> SentEmail:
    """The record of one email (created on its first delivery), locked while it is sent: a
    second delivery of the same task waits, then finds it sent."""
    SentEmail.objects.bulk_create(
        [SentEmail(key=key, template=template, to=to)], ignore_conflicts=True
    )
    return _one(SentEmail.objects.select_for_update().filter(key=key), "No such email.")


def lock_player_stats(*, game_id: int, user_ids: list[int]) -> list[PlayerStats]:
    queryset = PlayerStats.objects.select_for_update().filter(game_id=game_id, user_id__in=user_ids)
    return list(queryset.order_by("pk"))


def lock_stat_totals(*, game_id: int, team_ids: list[int], user_ids: list[int]) -> list[StatTotal]:
    """Match statistics' totals of these teams and players (core/services/stats.py creates the
    missing ones first), teams by id, then players by id: the rows, held until commit."""
    who = Q(team_id__in=team_ids, user__isnull=True) | Q(user_id__in=user_ids)
    queryset = StatTotal.objects.select_for_update().filter(who, game_id=game_id)
    return list(queryset.order_by("team_id", "user_id"))


def lock_dispute(dispute_id: int) -> MatchDispute:
    """A dispute (the caller locks its match's round and match first)."""
    queryset = MatchDispute.objects.select_for_update(of=("self",)).select_related("team")
    return _one(queryset.filter(pk=dispute_id), "No such dispute.")
