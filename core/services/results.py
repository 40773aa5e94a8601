"""`match_result_submit`: the main path (docs/architecture.md), shared by REST and the rooms."""

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import public_reads
from core.errors import Conflict
from core.events import event_append
from core.models import (
    GroupTeam,
    Match,
    MatchDispute,
    MatchResult,
    PlayerMatchKills,
    Registration,
    RegistrationPlayer,
    ResultChange,
    Round,
    Tournament,
    User,
)
from core.rules.results import ResultRow, ResultSubmission, check_result_rows
from core.scoring import match_points, points_table_from_dict
from core.selectors.standings import change_standings, result_json, result_lines

from .audit import audit_record
from .competition import round_mark_live
from .guards import LockedMatch, RoundStateConflict, host_match
from .idempotency import fingerprint_of, idempotent_apply
from .matches import match_status_data, players_of_group
from .notifications import notifications_send
from .stats import stats_replace_match

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ResultOutcome:
    """What a submit answers (REST body, websocket ack), stored for idempotent replays."""

    match: int
    version: int
    status: str
    seq: int
    results: list[dict[str, Any]] = field(default_factory=list)
    duplicate: bool = False

    def stored(self) -> dict[str, Any]:
        # Not asdict(): it deep-copies every result line, and these are fresh dicts already.
        return {
            "match": self.match,
            "version": self.version,
            "status": self.status,
            "seq": self.seq,
            "results": self.results,
        }


def match_result_submit(
    *,
    actor: User,
    match_id: int,
    submission: ResultSubmission,
    request_id: str | None = None,
    tournament_id: int | None = None,
    face: str = ResultChange.Face.REST,
    dispute: MatchDispute | None = None,
) -> ResultOutcome:
    """Record the whole result of one match (replacing any earlier one), recompute standings and
    append one match.result event carrying them, all in one transaction. Retried with the same
    `request_id` by the same user, it answers the first outcome without applying anything.
    Every accepted submit is kept in the match's history (ResultChange): who, from which `face`,
    the result before and after, and the `dispute` it settles, if any."""
    with transaction.atomic():
        locked = host_match(actor, match_id, tournament_id=tournament_id)
        audit = Audit(actor=actor, face=face, dispute=dispute)
        with public_reads.tournament_writes(locked.tournament.pk):  # no other's public reads
            outcome, duplicate = idempotent_apply(
                actor=actor,
                key=request_id,
                fingerprint=fingerprint_of("match_result", match_id, submission.as_dict()),
                apply=lambda: _apply(locked, submission, audit).stored(),
            )
        return ResultOutcome(**outcome, duplicate=duplicate)


@dataclass(frozen=True, slots=True)
class Audit:
    actor: User
    face: str
    dispute: MatchDispute | None = None


def _apply(locked: LockedMatch, submission: ResultSubmission, audit: Audit) -> ResultOutcome:
    _check_may_submit(locked, submission.version, actor=audit.actor)
    lobby = _lobby(locked.match)
    rows = check_result_rows(submission.rows, lobby=lobby, roster=_rosters(locked.match, lobby))
    before = result_lines(MatchResult.objects.filter(match=locked.match))
    lines = [result_json(r) for r in _record(locked, rows)]
    status_changed = _advance(locked, final=submission.final)
    stats_replace_match(match=locked.match, tournament=locked.tournament, final=submission.final)
    _keep_history(locked, audit, before=before, after=lines, final=submission.final)
    seq = _append_events(locked, lines, status_changed=status_changed)
    if submission.final:
        # Final for the first time, or a final result changed again: a correction.
        _notify_results_in(locked, corrected=not status_changed)
    match = locked.match
    return ResultOutcome(match.pk, match.result_version, match.status, seq, lines)


def _check_may_submit(locked: LockedMatch, version: int | None, *, actor: User) -> None:
    tournament, match = locked.tournament, locked.match
    if tournament.status != Tournament.Status.LIVE:
        raise Conflict(
            f"Results are taken while the tournament is live (it is {tournament.status})."
        )
    if locked.round.status == Round.Status.COMPLETED and not actor.is_staff:
        raise RoundStateConflict("The round is completed: its results are final (staff only).")
    if match.status == Match.Status.CANCELLED:
        raise Conflict("The match is cancelled.")
    if version is not None and version != match.result_version:
        raise Conflict(
            f"The result is at version {match.result_version}, not {version}.",
            details={"version": match.result_version},
        )


def _lobby(match: Match) -> set[int]:
    return set(GroupTeam.objects.filter(group_id=match.group_id).values_list("team_id", flat=True))


def _rosters(match: Match, lobby: set[int]) -> dict[int, set[int]]:
    """Each team's confirmed, active players (per-player kills may name only them)."""
    roster: dict[int, set[int]] = {}
    for team_id, user_id in RegistrationPlayer.objects.filter(
        tournament_id=match.tournament_id,
        active=True,
        registration__status=Registration.Status.CONFIRMED,
        registration__team_id__in=lobby,
    ).values_list("registration__team_id", "user_id"):
        roster.setdefault(team_id, set()).add(user_id)
    return roster


def _record(locked: LockedMatch, rows: list[ResultRow]) -> list[MatchResult]:
    """Replace the match's result rows (and per-player kills) with these."""
    match, table = locked.match, points_table_from_dict(locked.tournament.points_table)
    MatchResult.objects.filter(match=match).delete()
    results = []
    for row in rows:
        points = match_points(table, placement=row.placement, kills=row.kills)
        results.append(
            MatchResult(  # ids, not instances: the FK descriptors cost more than the insert
                match_id=match.pk,
                tournament_id=locked.tournament.pk,
                round_id=locked.round.pk,
                team_id=row.team,
                placement=row.placement,
                kills=row.kills,
                placement_points=points.placement_points,
                kill_points=points.kill_points,
                total=points.total,
            )
        )
    MatchResult.objects.bulk_create(results)
    if any(row.players for row in rows):
        # PostgreSQL and SQLite (3.35+) hand back the new ids from the bulk insert.
        ids = {result.team_id: result.pk for result in results}
        PlayerMatchKills.objects.bulk_create(
            PlayerMatchKills(result_id=ids[row.team], user_id=line.player, kills=line.kills)
            for row in rows
            for line in row.players
        )
    return results


def _keep_history(
    locked: LockedMatch, audit: Audit, *, before: list, after: list, final: bool
) -> None:
    """The audit trail's line for this version; a staff correction of a completed round is
    logged as such."""
    late = locked.round.status == Round.Status.COMPLETED
    ResultChange.objects.create(
        match=locked.match,
        tournament=locked.tournament,
        version=locked.match.result_version,
        actor=audit.actor,
        face=audit.face,
        final=final,
        before=before,
        after=after,
        after_round_completed=late,
        dispute=audit.dispute,
    )
    if late:
        audit_record(
            actor=audit.actor,
            action="result.correct",
            target=locked.match,
            details={"round": locked.round.pk, "version": locked.match.result_version},
        )
        log.warning(
            "result of match %s corrected by staff %s after round %s was completed",
            locked.match.pk,
            audit.actor.pk,
            locked.round.pk,
        )


def _advance(locked: LockedMatch, *, final: bool) -> bool:
    """A new result version; a final one completes the match, a provisional one keeps it live.
    The round goes live with its first result. Returns whether the match's status changed."""
    match = locked.match
    match.result_version += 1
    new_status = Match.Status.COMPLETED if final else Match.Status.LIVE
    changed = new_status != match.status
    match.status = new_status
    match.completed_at = timezone.now() if final else None
    match.save(update_fields=["result_version", "status", "completed_at", "updated_at"])
    round_mark_live(locked.round)
    return changed


def _append_events(
    locked: LockedMatch, lines: list[dict[str, Any]], *, status_changed: bool
) -> int:
    """One `match.result` event (protocol v2) for the whole change: the match's new status and
    result, and every affected scope's standings, a scope equal to another sent once. Returns
    its seq. `status_changed` no longer emits a `match.status`: the result carries the status."""
    tournament_id, match = locked.tournament.pk, locked.match
    data = {
        **match_status_data(match, locked.round.pk),
        "version": match.result_version,
        "results": lines,
        **standings_payload(
            tournament_id=tournament_id,
            round_=locked.round,
            group_id=match.group_id,
            new_teams=_first_timers(match, lines),
        ),
    }
    return event_append(tournament=tournament_id, name="match.result", data=data).seq


def _first_timers(match: Match, lines: list[dict[str, Any]]) -> set[int]:
    """Teams this change may bring into a scope: those of a match's first result version (a
    correction keeps the same lobby, already sent)."""
    return {line["team"] for line in lines} if match.result_version == 1 else set()


def standings_payload(
    *, tournament_id: int, round_: Round, group_id: int, new_teams: set[int]
) -> dict[str, Any]:
    """`standings` (scope key → rows naming teams by id), `scopes` (a scope key → the key whose
    rows it equals: a round of one group, a tournament of one round) and `teams` (the team
    objects of `new_teams` that are ranked in a scope played for the first time)."""
    standings: dict[str, list[dict[str, Any]]] = {}
    scopes: dict[str, str] = {}
    teams: dict[int, dict[str, Any]] = {}
    changed = change_standings(tournament_id=tournament_id, round_=round_, group_id=group_id)
    for scope, scope_rows in changed:
        rows = []
        for row in scope_rows:
            team = row["team"]
            if team["id"] in new_teams and row["matches"] == 1:
                teams[team["id"]] = team
            rows.append({**row, "team": team["id"]})
        key = f"{scope.kind}:{scope.id}"
        same = next((k for k, other in standings.items() if other == rows), None)
        if same is None:
            standings[key] = rows
        else:
            scopes[key] = same
    return {"standings": standings, "scopes": scopes, "teams": list(teams.values())}


def _notify_results_in(locked: LockedMatch, *, corrected: bool) -> None:
    """result.final once per match, result.corrected for each later change: quiet kinds, so the
    emails are grouped per tournament (docs/notifications.md); in-app shows every one."""
    match = locked.match
    word = "corrected" if corrected else "final"
    notifications_send(
        users=players_of_group(match),
        kind=f"result.{word}",
        title=f"Match {match.number} results are {word}",
        body=locked.tournament.title,
        data={"tournament": locked.tournament.pk, "match": match.pk},
        email_context={
            "tournament": locked.tournament.title,
            "tournament_id": locked.tournament.pk,
        },
    )
