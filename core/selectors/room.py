"""Reads for the live rooms: who may watch, and the room snapshot (docs/protocol.md)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from core.events import current_seq, format_at
from core.models import (
    Announcement,
    GroupTeam,
    Match,
    MatchResult,
    Registration,
    Round,
    Tournament,
)
from core.selectors.standings import GROUP, ROUND, Scope, result_json, standings_rows, team_json
from core.selectors.tournaments import may_see_private

SNAPSHOT_ANNOUNCEMENTS = 20


def room_meta_for(tournament_id: int) -> dict[str, Any] | None:
    """What a socket checks on connect and on every command (cached by realtime)."""
    row = (
        Tournament.objects.filter(pk=tournament_id)
        .exclude(status=Tournament.Status.DRAFT)
        .values("id", "host_id", "visibility", "status")
        .first()
    )
    return row


def user_may_watch_private(user: Any, meta: dict[str, Any]) -> bool:
    """A private tournament is watched by its host, staff and the players of its registrations."""
    return may_see_private(user, tournament_id=meta["id"], host_id=meta["host_id"])


def user_may_command(user: Any, meta: dict[str, Any]) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.pk == meta["host_id"])
    )


def room_snapshot_data(tournament_id: int) -> tuple[int, dict[str, Any]]:
    """(seq, body) of the room snapshot (docs/protocol.md, `snapshot`), read in one transaction
    so that the body is the state as of `seq` (REPEATABLE READ on PostgreSQL; SQLite
    transactions are serializable). Built once per change, not per socket."""
    outermost = not connection.in_atomic_block  # the level is set by a transaction's 1st query
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        seq = current_seq(tournament_id)
        state = _RoomState.read(tournament_id)
    t = state.tournament
    table = t.points_table or {}
    body = {
        "tournament": {
            "id": t.id,
            "title": t.title,
            "game": t.game.slug,
            "kind": t.kind,
            "status": t.status,
            "points_table": {
                "placement": table.get("placement", []),
                "per_kill": table.get("per_kill", 0),
            },
        },
        "announcements": [
            {"id": a.id, "message": a.message, "at": format_at(a.created_at)}
            for a in state.announcements
        ],
        "rounds": [state.round_json(rnd) for rnd in state.rounds],
        "winner": state.winner(),
        "checkin": state.checkin,
    }
    return seq, body


def _checkin_json(t: Tournament) -> dict[str, Any] | None:
    """The check-in window and the confirmed teams, each with whether it has checked in (null
    without a window: no query)."""
    if t.checkin_opens_at is None or t.checkin_closes_at is None:
        return None
    confirmed = (
        Registration.objects.filter(tournament=t, status=Registration.Status.CONFIRMED)
        .order_by("team__name", "team_id")
        .values_list("team_id", "team__name", "team__tag", "checked_in_at")
    )
    return {
        "opens_at": format_at(t.checkin_opens_at),
        "closes_at": format_at(t.checkin_closes_at),
        "teams": [
            {"id": pk, "name": name, "tag": tag, "checked_in": at is not None}
            for pk, name, tag, at in confirmed
        ],
    }


@dataclass
class _RoomState:
    """Everything a snapshot shows, read with a fixed number of queries (plus the standings
    selector's three per scope: the same rows REST and the `standings` events give)."""

    tournament: Tournament
    rounds: list[Round]
    announcements: list[Announcement]
    standings: dict[tuple[str, int], list[dict[str, Any]]]
    teams_by_group: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    teams_by_id: dict[int, dict[str, Any]] = field(default_factory=dict)
    matches_by_group: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    checkin: dict[str, Any] | None = None

    @classmethod
    def read(cls, tournament_id: int) -> "_RoomState":
        t = Tournament.objects.select_related("game").get(pk=tournament_id)
        rounds = list(Round.objects.filter(tournament_id=tournament_id).prefetch_related("groups"))
        standings: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for rnd in rounds:
            standings[(ROUND, rnd.id)] = standings_rows(Scope(ROUND, rnd.id, t.id, rnd.id))
            for g in rnd.groups.all():
                standings[(GROUP, g.id)] = standings_rows(Scope(GROUP, g.id, t.id, rnd.id))
        announcements = list(
            Announcement.objects.filter(tournament_id=tournament_id, hidden_at__isnull=True)[
                :SNAPSHOT_ANNOUNCEMENTS
            ]
        )
        state = cls(t, rounds, announcements, standings)
        state._read_groups(tournament_id)
        state.checkin = _checkin_json(t)
        return state

    def _read_groups(self, tournament_id: int) -> None:
        entries = GroupTeam.objects.filter(round__tournament_id=tournament_id).select_related(
            "team"
        )
        for entry in entries:
            team = entry.team
            brief = self.teams_by_id.setdefault(
                team.id, team_json(team.id, team.name, team.tag, team.logo.name, team.logo_variants)
            )
            self.teams_by_group.setdefault(entry.group_id, []).append(brief)
        results_by_match: dict[int, list[dict[str, Any]]] = {}
        results = MatchResult.objects.filter(tournament_id=tournament_id)
        for r in sorted(results, key=lambda r: (r.match_id, r.placement)):
            results_by_match.setdefault(r.match_id, []).append(result_json(r))
        for m in Match.objects.filter(tournament_id=tournament_id).order_by("number", "id"):
            self.matches_by_group.setdefault(m.group_id, []).append(
                {
                    "id": m.id,
                    "number": m.number,
                    "map": m.map,
                    "status": m.status,
                    "scheduled_at": format_at(m.scheduled_at) if m.scheduled_at else None,
                    "version": m.result_version,
                    "results": results_by_match.get(m.id, []),
                }
            )

    def winner(self) -> dict[str, Any] | None:
        """The crowned team (the final round's winner), None until the host decides."""
        crowned = [rnd.winner_id for rnd in self.rounds if rnd.winner_id is not None]
        return self.teams_by_id.get(crowned[-1]) if crowned else None

    def round_json(self, rnd: Round) -> dict[str, Any]:
        return {
            "id": rnd.id,
            "number": rnd.number,
            "name": rnd.name,
            "status": rnd.status,
            "standings": self.standings.get((ROUND, rnd.id), []),
            "groups": [
                {
                    "id": g.id,
                    "name": g.name,
                    "teams": self.teams_by_group.get(g.id, []),
                    "matches": self.matches_by_group.get(g.id, []),
                    "standings": self.standings.get((GROUP, g.id), []),
                }
                for g in rnd.groups.all()
            ],
        }
