"""`match_result_submit`: the main path (ARCHITECTURE.md), shared by REST and the live rooms."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, ValidationError
from core.events import event_append
from core.models import (
    GroupTeam,
    IdempotencyRecord,
    Match,
    MatchResult,
    PlayerMatchKills,
    Registration,
    RegistrationPlayer,
    Round,
    Tournament,
    User,
)
from core.scoring import match_points, points_table_from_dict
from core.selectors.standings import (
    GROUP,
    ROUND,
    TOURNAMENT,
    Scope,
    result_json,
    standings_event_data,
)

from .competition import RoundStateConflict, lock_round, require_host, round_mark_live
from .notifications import notifications_send

MAX_KILLS = 99


@dataclass(slots=True)
class ResultOutcome:
    """What a submit answers (REST body, websocket ack), stored for idempotent replays."""

    match: int
    version: int
    status: str
    seq: int
    results: list[dict[str, Any]] = field(default_factory=list)
    duplicate: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "match": self.match,
            "version": self.version,
            "status": self.status,
            "seq": self.seq,
            "results": self.results,
        }


def _invalid(message: str, field_name: str = "results") -> ValidationError:
    return ValidationError(message, details={field_name: [message]})


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _invalid(f"{what} must be an integer")
    return value


def _clean_rows(rows: Any, match: Match) -> list[dict[str, Any]]:
    """PROTOCOL.md result.submit rules: unique placements within 1..teams in the group, kills
    0..99, teams of the match's group, per-player kills only for the team's confirmed roster."""
    if not isinstance(rows, list) or not rows:
        raise _invalid("results must be a non-empty list, one row per team that played")
    group_teams = set(
        GroupTeam.objects.filter(group_id=match.group_id).values_list("team_id", flat=True)
    )
    lobby = len(group_teams)
    roster: dict[int, set[int]] = {}
    for team_id, user_id in RegistrationPlayer.objects.filter(
        tournament_id=match.tournament_id,
        active=True,
        registration__status=Registration.Status.CONFIRMED,
        registration__team_id__in=group_teams,
    ).values_list("registration__team_id", "user_id"):
        roster.setdefault(team_id, set()).add(user_id)
    seen_teams: set[int] = set()
    seen_places: set[int] = set()
    cleaned = []
    for row in rows:
        if not isinstance(row, dict):
            raise _invalid("each result row must be an object")
        team = _int(row.get("team"), "team")
        placement = _int(row.get("placement"), "placement")
        kills = _int(row.get("kills", 0), "kills")
        if team not in group_teams:
            raise _invalid(f"team {team} is not in this match's group")
        if team in seen_teams:
            raise _invalid(f"team {team} appears twice")
        if not 1 <= placement <= lobby:
            raise _invalid(f"placement {placement} is out of range 1..{lobby}")
        if placement in seen_places:
            raise _invalid(f"placement {placement} is given to two teams")
        if not 0 <= kills <= MAX_KILLS:
            raise _invalid(f"kills {kills} of team {team} are out of range 0..{MAX_KILLS}")
        players = []
        seen_players: set[int] = set()
        for line in row.get("players") or []:
            if not isinstance(line, dict):
                raise _invalid("each player line must be an object")
            player = _int(line.get("player"), "player")
            player_kills = _int(line.get("kills", 0), "player kills")
            if player not in roster.get(team, set()):
                raise _invalid(f"player {player} is not on team {team}'s roster")
            if player in seen_players:
                raise _invalid(f"player {player} appears twice")
            if not 0 <= player_kills <= MAX_KILLS:
                raise _invalid(f"kills {player_kills} of player {player} are out of range 0..99")
            seen_players.add(player)
            players.append((player, player_kills))
        seen_teams.add(team)
        seen_places.add(placement)
        cleaned.append({"team": team, "placement": placement, "kills": kills, "players": players})
    return sorted(cleaned, key=lambda r: r["placement"])


def _fingerprint(match_id: int, rows: Any, final: bool, version: int | None) -> str:
    payload = json.dumps([match_id, rows, final, version], sort_keys=True, default=str)
    return f"match_result:{match_id}:" + hashlib.sha256(payload.encode()).hexdigest()[:48]


def emit_standings(*, tournament_id: int, round_id: int, group_id: int) -> int:
    """One `standings` event per affected scope; returns the last seq."""
    last = 0
    for scope in (
        Scope(GROUP, group_id, tournament_id, round_id),
        Scope(ROUND, round_id, tournament_id, round_id),
        Scope(TOURNAMENT, tournament_id, tournament_id),
    ):
        last = event_append(
            tournament=tournament_id, name="standings", data=standings_event_data(scope)
        ).seq
    return last


def match_status_data(match: Match, round_id: int) -> dict[str, Any]:
    return {
        "match": match.pk,
        "round": round_id,
        "group": match.group_id,
        "number": match.number,
        "status": match.status,
    }


def match_result_submit(
    *,
    actor: User,
    match: Match,
    rows: Any,
    final: bool = False,
    version: int | None = None,
    request_id: str | None = None,
) -> ResultOutcome:
    """Record the whole result of one match (replacing any earlier one), recompute standings and
    append match.result + standings events, all in one transaction. Retried with the same
    `request_id` by the same user, it answers the first outcome without applying anything."""
    if request_id is not None and not 0 < len(request_id) <= 64:
        raise _invalid("the idempotency key must be 1..64 characters", "request_id")
    with transaction.atomic():
        # Round first (lock order), so the round cannot complete under a submit.
        round_id = (
            Match.objects.filter(pk=match.pk).values_list("group__round_id", flat=True).first()
        )
        if round_id is None:
            raise NotFound("No such match.")
        round_ = lock_round(round_id)
        locked = (
            Match.objects.select_for_update(of=("self",))
            .select_related("tournament")
            .get(pk=match.pk)
        )
        tournament = locked.tournament
        require_host(actor, tournament)
        fingerprint = _fingerprint(locked.pk, rows, final, version)
        if request_id is not None:
            record = IdempotencyRecord.objects.filter(user=actor, key=request_id).first()
            if record is not None:
                if record.fingerprint != fingerprint:
                    raise Conflict("This idempotency key was used for a different request.")
                return ResultOutcome(**record.outcome, duplicate=True)
        if tournament.status != Tournament.Status.LIVE:
            raise Conflict(
                f"Results are taken while the tournament is live (it is {tournament.status})."
            )
        if round_.status == Round.Status.COMPLETED:
            raise RoundStateConflict("The round is completed: its results are final.")
        if locked.status == Match.Status.CANCELLED:
            raise Conflict("The match is cancelled.")
        if version is not None and _int(version, "version") != locked.result_version:
            raise Conflict(
                f"The result is at version {locked.result_version}, not {version}.",
                details={"version": locked.result_version},
            )
        cleaned = _clean_rows(rows, locked)
        table = points_table_from_dict(tournament.points_table)

        MatchResult.objects.filter(match=locked).delete()
        results = []
        for row in cleaned:
            points = match_points(table, placement=row["placement"], kills=row["kills"])
            results.append(
                MatchResult(
                    match=locked,
                    tournament=tournament,
                    round=round_,
                    team_id=row["team"],
                    placement=row["placement"],
                    kills=row["kills"],
                    placement_points=points.placement_points,
                    kill_points=points.kill_points,
                    total=points.total,
                )
            )
        MatchResult.objects.bulk_create(results)
        if any(row["players"] for row in cleaned):
            ids = dict(MatchResult.objects.filter(match=locked).values_list("team_id", "id"))
            PlayerMatchKills.objects.bulk_create(
                PlayerMatchKills(result_id=ids[row["team"]], user_id=user_id, kills=kills)
                for row in cleaned
                for user_id, kills in row["players"]
            )

        locked.result_version += 1
        new_status = Match.Status.COMPLETED if final else Match.Status.LIVE
        status_changed = new_status != locked.status
        locked.status = new_status
        locked.completed_at = timezone.now() if final else None
        locked.save(update_fields=["result_version", "status", "completed_at", "updated_at"])

        round_mark_live(round_)
        if status_changed:
            event_append(
                tournament=tournament.pk,
                name="match.status",
                data=match_status_data(locked, round_.pk),
            )
        lines = [result_json(r) for r in results]
        event_append(
            tournament=tournament.pk,
            name="match.result",
            data={
                "match": locked.pk,
                "group": locked.group_id,
                "version": locked.result_version,
                "results": lines,
            },
        )
        seq = emit_standings(
            tournament_id=tournament.pk, round_id=round_.pk, group_id=locked.group_id
        )
        if final and status_changed:
            # "Results published": once per match (corrections are seen live, not re-notified).
            from .matches import players_of_group  # matches imports this module

            notifications_send(
                users=players_of_group(locked),
                kind="match.results",
                title=f"Match {locked.number} results are in",
                body=tournament.title,
                data={"tournament": tournament.pk, "match": locked.pk},
            )
        outcome = ResultOutcome(locked.pk, locked.result_version, locked.status, seq, lines)
        if request_id is not None:
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        user=actor,
                        key=request_id,
                        fingerprint=fingerprint,
                        outcome=outcome.as_dict(),
                    )
            except IntegrityError as exc:  # the same key, at the same moment, on another match
                raise Conflict("This idempotency key is being used by another request.") from exc
        return outcome
