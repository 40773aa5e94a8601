"""Crowning the winner: completes the final round and the tournament, and adds everyone's
career stats (team stats on Team, player stats on PlayerStats)."""

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from core.errors import Conflict, ValidationError
from core.events import event_append
from core.models import (
    GroupTeam,
    Match,
    MatchResult,
    PlayerMatchKills,
    PlayerStats,
    Registration,
    RegistrationPlayer,
    Round,
    Team,
    Tournament,
    User,
)
from core.selectors.standings import ROUND, Scope, standings_rows

from .competition import disputes_hold, round_complete
from .guards import RoundStateConflict, host_tournament
from .locks import lock_player_stats, lock_round, lock_teams
from .notify import notify_winner
from .stats import stats_record_finish


def final_round_of(tournament: Tournament) -> Round | None:
    rounds = Round.objects.filter(tournament=tournament)
    return (
        rounds.filter(is_final=True).order_by("-number").first()
        or rounds.order_by("-number").first()
    )


def tournament_select_winner(
    *,
    actor: User,
    tournament: Tournament,
    team_id: int | None = None,
    override_reason: str = "",
) -> Round:
    """Confirm rank 1 of the final round (or, among teams sharing rank 1, the host's choice),
    complete the round and the tournament, and update career stats. Events: round.status
    (if the round was still open), winner, tournament.status."""
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        if t.status != Tournament.Status.LIVE:
            raise Conflict(f"Only a live tournament can be completed (it is {t.status}).")
        final = _final_round_locked(t)
        if final.status != Round.Status.COMPLETED:
            disputes_hold(final, actor=actor, override_reason=override_reason)
        rows = standings_rows(Scope(ROUND, final.pk, t.pk, final.pk))
        winner_row = _winner_row(rows, team_id)
        _complete(t, final, winner_id=winner_row["team"]["id"])
        _record_placings(t, rows, winner_id=final.winner_id)
        event_append(
            tournament=t.pk, name="winner", data={"team": winner_row["team"], "standings": rows}
        )
        event_append(tournament=t.pk, name="tournament.status", data={"status": t.status})
        _update_career_stats(t, winner_id=final.winner_id)
        notify_winner(t, winner_row["team"])
        return final


def round_finish(
    *, actor: User, tournament: Tournament, round_: Round, override_reason: str = ""
) -> Round:
    """The host completes a round: a round before the final advances its qualified teams
    (competition.round_complete); completing the final round (flagged `is_final`: a later round
    may yet be added to an unflagged one) crowns the winner, as select-winner does (teams tied
    at rank 1 are the host's choice there)."""
    final = final_round_of(tournament)
    crowning = final is not None and final.pk == round_.pk and round_.is_final
    if crowning and round_.status != Round.Status.COMPLETED:
        return tournament_select_winner(
            actor=actor, tournament=tournament, override_reason=override_reason
        )
    return round_complete(
        actor=actor, tournament=tournament, round_=round_, override_reason=override_reason
    )


def _final_round_locked(tournament: Tournament) -> Round:
    final = final_round_of(tournament)
    if final is None:
        raise RoundStateConflict("The tournament has no rounds.")
    final = lock_round(final.pk)
    if Match.objects.filter(group__round=final, status=Match.Status.LIVE).exists():
        raise RoundStateConflict("A match of the final round is still live.")
    return final


def _winner_row(rows: list[dict[str, Any]], team_id: int | None) -> dict[str, Any]:
    """Rank 1 of the final round's standings; among teams sharing it, the host's `team_id`.
    The refusals name the teams that may be chosen."""
    leaders = [r for r in rows if r["rank"] == 1 and r["matches"] > 0]
    if not leaders:
        raise RoundStateConflict("No results in the final round yet.")
    choices = ", ".join(f"{r['team']['name']} (team {r['team']['id']})" for r in leaders)
    teams = [{"id": r["team"]["id"], "name": r["team"]["name"]} for r in leaders]
    if team_id is None:
        if len(leaders) > 1:
            raise Conflict(
                f"Teams share rank 1: choose the winner among {choices}.",
                details={"tied": [r["team"]["id"] for r in leaders], "teams": teams},
            )
        return leaders[0]
    matching = [r for r in leaders if r["team"]["id"] == team_id]
    if not matching:
        raise ValidationError(
            f"The winner must be a team at rank 1 of the final round: {choices}.",
            details={"team": [f"Choose one of {choices}."], "teams": teams},
        )
    return matching[0]


def _complete(tournament: Tournament, final: Round, *, winner_id: int) -> None:
    """The final round (with its winner), any later round never played and the tournament
    become completed; the round's `round.status` event when it was still open."""
    now = timezone.now()
    final.winner_id = winner_id
    final.qualified = []
    was_open = final.status != Round.Status.COMPLETED
    final.status = Round.Status.COMPLETED
    final.completed_at = final.completed_at or now
    final.save(update_fields=["winner", "qualified", "status", "completed_at"])
    if was_open:
        event_append(
            tournament=tournament.pk,
            name="round.status",
            data={"round": final.pk, "status": final.status, "qualified": []},
        )
    # Rounds never played (a final flagged early) are closed with it, each with its event, so a
    # room shows every round completed.
    unplayed = list(
        Round.objects.filter(tournament=tournament)
        .exclude(status=Round.Status.COMPLETED)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    Round.objects.filter(pk__in=unplayed).update(status=Round.Status.COMPLETED, completed_at=now)
    for round_id in unplayed:
        event_append(
            tournament=tournament.pk,
            name="round.status",
            data={"round": round_id, "status": Round.Status.COMPLETED, "qualified": []},
        )
    tournament.status = Tournament.Status.COMPLETED
    tournament.save(update_fields=["status", "updated_at"])


def _record_placings(tournament: Tournament, rows: list[dict[str, Any]], *, winner_id: int) -> None:
    """The prize split per placing: the crowned team first, then the final round's standings in
    their listed order (the official tie-break order, docs/scoring.md)."""
    ordered = sorted(rows, key=lambda r: r["team"]["id"] != winner_id)  # stable: keeps the rest
    prizes = {e["place"]: e["amount"] for e in tournament.prize_split}
    tournament.placings = [
        {
            "place": place,
            "team": {"id": row["team"]["id"], "name": row["team"]["name"]},
            "amount": prizes.get(place, 0),
        }
        for place, row in enumerate(ordered, start=1)
    ]
    tournament.save(update_fields=["placings", "updated_at"])
    stats_record_finish(
        tournament=tournament, places={p["team"]["id"]: p["place"] for p in tournament.placings}
    )


STAT_FIELDS = ["events_played", "wins", "matches_played", "total_kills", "total_points"]


def _update_career_stats(tournament: Tournament, *, winner_id: int) -> None:
    """Constant queries whatever the field size: aggregate once, then bulk_update."""
    team_ids = set(
        GroupTeam.objects.filter(round__tournament=tournament).values_list("team_id", flat=True)
    )
    totals = {
        row["team_id"]: row
        for row in MatchResult.objects.filter(tournament=tournament)
        .exclude(match__status=Match.Status.CANCELLED)
        .values("team_id")
        .annotate(matches=Count("id"), kills=Sum("kills"), points=Sum("total"))
    }
    teams = lock_teams(team_ids)
    for team in teams:
        played = totals.get(team.pk, {})
        team.events_played += 1
        team.wins += team.pk == winner_id
        team.matches_played += played.get("matches", 0)
        team.total_kills += played.get("kills") or 0
        team.total_points += played.get("points") or 0
    Team.objects.bulk_update(teams, STAT_FIELDS)
    _update_player_stats(tournament, team_ids, totals, winner_id=winner_id)


def _update_player_stats(
    tournament: Tournament,
    team_ids: set[int],
    totals: dict[int, dict[str, Any]],
    *,
    winner_id: int,
) -> None:
    """Each confirmed player's per-game stats: their team's matches and points, their kills."""
    roster = list(
        RegistrationPlayer.objects.filter(
            tournament=tournament,
            registration__status=Registration.Status.CONFIRMED,
            registration__team_id__in=team_ids,
        ).values_list("user_id", "registration__team_id")
    )
    kills: dict[int, int] = defaultdict(int)
    for user_id, player_kills in (
        PlayerMatchKills.objects.filter(result__tournament=tournament)
        .exclude(result__match__status=Match.Status.CANCELLED)
        .values("user_id")
        .annotate(k=Sum("kills"))
        .values_list("user_id", "k")
    ):
        kills[user_id] = player_kills or 0
    game_id = tournament.game_id
    PlayerStats.objects.bulk_create(
        [PlayerStats(user_id=user_id, game_id=game_id) for user_id, _ in roster],
        ignore_conflicts=True,
    )
    stats = {
        s.user_id: s for s in lock_player_stats(game_id=game_id, user_ids=[u for u, _ in roster])
    }
    for user_id, team_id in roster:
        s, played = stats[user_id], totals.get(team_id, {})
        s.events_played += 1
        s.wins += team_id == winner_id
        s.matches_played += played.get("matches", 0)
        s.total_kills += kills.get(user_id, 0)
        s.total_points += played.get("points") or 0
    PlayerStats.objects.bulk_update(list(stats.values()), STAT_FIELDS)
