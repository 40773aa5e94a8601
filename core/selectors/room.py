"""Reads for the live rooms: who may watch, and the room snapshot (PROTOCOL.md, snapshot)."""

from typing import Any

from django.db.models import Q

from core.models import Registration, RegistrationPlayer, Tournament

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
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.pk == meta["host_id"]:
        return True
    return RegistrationPlayer.objects.filter(
        Q(registration__status__in=Registration.SEAT_HOLDING),
        tournament_id=meta["id"],
        user_id=user.pk,
    ).exists()


def user_may_command(user: Any, meta: dict[str, Any]) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.pk == meta["host_id"])
    )


def room_snapshot_data(tournament_id: int) -> tuple[int, dict[str, Any]]:
    """(seq, body) of the room snapshot, read in one transaction so that the body is the state
    as of `seq` (REPEATABLE READ on PostgreSQL; SQLite transactions are serializable)."""
    from django.db import connection, transaction

    from core.events import current_seq, format_at
    from core.models import Announcement, GroupTeam, Match, MatchResult, Round
    from core.selectors.standings import (
        GROUP,
        ROUND,
        Scope,
        result_json,
        standings_rows,
        team_json,
    )

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        seq = current_seq(tournament_id)
        t = Tournament.objects.select_related("game").get(pk=tournament_id)
        rounds = list(Round.objects.filter(tournament_id=tournament_id).prefetch_related("groups"))
        entries = list(
            GroupTeam.objects.filter(round__tournament_id=tournament_id).select_related("team")
        )
        matches = list(Match.objects.filter(tournament_id=tournament_id).order_by("number", "id"))
        results = list(MatchResult.objects.filter(tournament_id=tournament_id))
        announcements = list(
            Announcement.objects.filter(tournament_id=tournament_id)[:SNAPSHOT_ANNOUNCEMENTS]
        )
        # The same selector as REST and the `standings` events (3 queries per scope); the
        # snapshot is built once per change, not per socket.
        standings: dict[tuple[str, int], list[dict[str, Any]]] = {}
        for rnd in rounds:
            standings[(ROUND, rnd.id)] = standings_rows(Scope(ROUND, rnd.id, t.id, rnd.id))
            for g in rnd.groups.all():
                standings[(GROUP, g.id)] = standings_rows(Scope(GROUP, g.id, t.id, rnd.id))

    teams_by_group: dict[int, list[dict[str, Any]]] = {}
    for entry in entries:
        team = entry.team
        teams_by_group.setdefault(entry.group_id, []).append(
            team_json(team.id, team.name, team.tag, team.logo.name)
        )
    results_by_match: dict[int, list[dict[str, Any]]] = {}
    for r in sorted(results, key=lambda r: (r.match_id, r.placement)):
        results_by_match.setdefault(r.match_id, []).append(result_json(r))
    matches_by_group: dict[int, list[dict[str, Any]]] = {}
    for m in matches:
        matches_by_group.setdefault(m.group_id, []).append(
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
            {"id": a.id, "message": a.message, "at": format_at(a.created_at)} for a in announcements
        ],
        "rounds": [
            {
                "id": rnd.id,
                "number": rnd.number,
                "name": rnd.name,
                "status": rnd.status,
                "standings": standings.get(("round", rnd.id), []),
                "groups": [
                    {
                        "id": g.id,
                        "name": g.name,
                        "teams": teams_by_group.get(g.id, []),
                        "matches": matches_by_group.get(g.id, []),
                        "standings": standings.get(("group", g.id), []),
                    }
                    for g in rnd.groups.all()
                ],
            }
            for rnd in rounds
        ],
    }
    return seq, body
