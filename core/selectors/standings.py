"""Standings of a group, a round or a tournament: ONE selector for REST, events and the rooms.

Three queries whatever the size of the scope (the round's qualification rule, the teams, the
results); the ranking itself is the pure `core.scoring.rank_standings`.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import Count, QuerySet, Sum

from core.models import (
    GroupTeam,
    MatchResult,
    PlayerMatchKills,
    RegistrationPlayer,
    Round,
    Team,
)
from core.scoring import ResultEntry, StandingRow, TeamRef, rank_standings

GROUP, ROUND, TOURNAMENT = "group", "round", "tournament"


@dataclass(frozen=True, slots=True)
class Scope:
    kind: str  # "group" | "round" | "tournament"
    id: int
    tournament_id: int
    round_id: int | None = None


# The rooms' logos (live page rows, overlay rows, the snapshot) are this variant.
ROOM_LOGO_SIZE = 96


def room_logo(logo: str, variants: list[dict[str, Any]] | None) -> str | None:
    """The small WebP of a team's logo, the original until it is made, None without a logo."""
    if not logo:
        return None
    for entry in variants or []:
        if entry.get("size") == ROOM_LOGO_SIZE and entry["format"] == "webp":
            return default_storage.url(entry["name"])
    return default_storage.url(logo)


def team_json(
    team_id: int, name: str, tag: str, logo: str, variants: list | None = None
) -> dict[str, Any]:
    return {"id": team_id, "name": name, "tag": tag, "logo": room_logo(logo, variants)}


# A result line's keys (docs/protocol.md RESULT) and the MatchResult field each comes from.
_LINE_FIELDS = (
    ("team", "team_id"),
    ("placement", "placement"),
    ("kills", "kills"),
    ("placement_points", "placement_points"),
    ("kill_points", "kill_points"),
    ("total", "total"),
)


def result_json(result: MatchResult) -> dict[str, Any]:
    """One team's line of a match result (docs/protocol.md RESULT), as events and snapshots
    show it."""
    return {key: getattr(result, name) for key, name in _LINE_FIELDS}


def result_lines(results: QuerySet[MatchResult]) -> list[dict[str, Any]]:
    """`result_json` of each row, read as values (no model instances)."""
    keys = [key for key, _ in _LINE_FIELDS]
    rows = results.values_list(*(name for _, name in _LINE_FIELDS))
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _row_json(row: StandingRow, team: dict[str, Any], qualified: bool) -> dict[str, Any]:
    return {
        "rank": row.rank,
        "team": team,
        "matches": row.matches,
        "wins": row.wins,
        "placement_points": row.placement_points,
        "kill_points": row.kill_points,
        "total": row.total,
        "last_placement": row.last_placement,
        "qualified": qualified,
    }


def _qualified_ids(
    kind: str, round_: Round | None, rows: list[StandingRow], group_of: dict[int, int]
) -> set[int]:
    """Who is (or would be, as things stand) through to the next round. After completion the
    stored list decides; before, the cut is by listed position, so teams still tied at the cut
    are separated by the name order of step 6."""
    if round_ is None or round_.is_final:
        return set()
    if round_.status == Round.Status.COMPLETED:
        return set(round_.qualified)
    if round_.qualify_per_group:
        taken: dict[int, int] = {}
        chosen = set()
        for row in rows:
            group_id = group_of[row.team_id]
            if taken.get(group_id, 0) < round_.qualify_per_group:
                taken[group_id] = taken.get(group_id, 0) + 1
                chosen.add(row.team_id)
        return chosen
    if round_.qualify_top_n and kind == ROUND:  # a group alone cannot tell a round-wide cut
        return {row.team_id for row in rows[: round_.qualify_top_n]}
    return set()


def standings_rows(scope: Scope) -> list[dict[str, Any]]:
    """The ranked rows (docs/protocol.md `standings` rows) of one scope."""
    entries = GroupTeam.objects.all()
    results = MatchResult.objects.all()
    if scope.kind == GROUP:
        entries, results = (
            entries.filter(group_id=scope.id),
            results.filter(match__group_id=scope.id),
        )
    elif scope.kind == ROUND:
        entries, results = entries.filter(round_id=scope.id), results.filter(round_id=scope.id)
    elif scope.kind == TOURNAMENT:
        entries = entries.filter(round__tournament_id=scope.id)
        results = results.filter(tournament_id=scope.id)
    else:
        raise ValueError(f"unknown scope {scope.kind!r}")

    round_ = None
    if scope.kind in (GROUP, ROUND) and scope.round_id is not None:
        round_ = Round.objects.filter(pk=scope.round_id).first()

    teams: dict[int, dict[str, Any]] = {}
    group_of: dict[int, int] = {}
    for columns in entries.values_list(*_ENTRY_COLUMNS).order_by("round__number"):
        teams[columns[0]] = team_json(*columns[:5])
        group_of[columns[0]] = columns[5]  # the latest round's group, for the tournament scope
    result_entries = [
        _entry(row)
        for row in results.exclude(match__status="cancelled").values_list(*_RESULT_COLUMNS)
    ]
    ranked = rank_standings(
        [TeamRef(team_id, team["name"]) for team_id, team in teams.items()], result_entries
    )
    return _scope_rows(scope.kind, round_, teams, group_of, ranked)


_ENTRY_COLUMNS = (
    "team_id", "team__name", "team__tag", "team__logo", "team__logo_variants", "group_id",
)  # fmt: skip
# Step 5's "most recent match": later round first, then higher match number (then id).
_RESULT_COLUMNS = (
    "team_id", "round__number", "match__number", "match_id",
    "placement", "kills", "placement_points", "kill_points",
)  # fmt: skip


def _entry(row: tuple | list) -> ResultEntry:
    return ResultEntry(row[0], (row[1], row[2], row[3]), *row[4:8])


def _scope_rows(
    kind: str,
    round_: Round | None,
    teams: dict[int, dict[str, Any]],
    group_of: dict[int, int],
    ranked: list[StandingRow],
) -> list[dict[str, Any]]:
    qualified = _qualified_ids(kind, round_, ranked, group_of)
    return [_row_json(row, teams[row.team_id], row.team_id in qualified) for row in ranked]


@dataclass(slots=True)
class _Inputs:
    """What one scope is ranked from: its teams (each's group in the scope) and results."""

    scope: Scope
    round_: Round | None
    group_of: dict[int, int] = field(default_factory=dict)
    results: list[ResultEntry] = field(default_factory=list)


def change_standings(
    *, tournament_id: int, round_: Round, group_id: int
) -> list[tuple[Scope, list[dict[str, Any]]]]:
    """The rows of the three scopes a result in `group_id` changes (its group, its round
    `round_`, the tournament), each exactly as `standings_rows` gives it, from one read of the
    tournament's entries and one of its results: two queries where three scopes read one by one
    take nine. `round_` is the caller's row (a submit holds it locked). Scopes holding the same
    teams and results (a round of one group, a tournament of one round) are ranked once."""
    group = _Inputs(Scope(GROUP, group_id, tournament_id, round_.pk), round_)
    rnd = _Inputs(Scope(ROUND, round_.pk, tournament_id, round_.pk), round_)
    whole = _Inputs(Scope(TOURNAMENT, tournament_id, tournament_id), None)
    teams: dict[int, dict[str, Any]] = {}
    entries = GroupTeam.objects.filter(round__tournament_id=tournament_id)
    for *columns, round_id in entries.values_list(*_ENTRY_COLUMNS, "round_id").order_by(
        "round__number"
    ):
        team_id, in_group = columns[0], columns[5]
        if team_id not in teams:
            teams[team_id] = team_json(*columns[:5])
        whole.group_of[team_id] = in_group  # the latest round's group
        if round_id == round_.pk:
            rnd.group_of[team_id] = in_group
            if in_group == group_id:
                group.group_of[team_id] = in_group
    results = MatchResult.objects.filter(tournament_id=tournament_id)
    for *columns, round_id, match_group in results.exclude(match__status="cancelled").values_list(
        *_RESULT_COLUMNS, "round_id", "match__group_id"
    ):
        entry = _entry(columns)
        whole.results.append(entry)
        if round_id == round_.pk:
            rnd.results.append(entry)
            if match_group == group_id:
                group.results.append(entry)
    out: list[tuple[Scope, list[dict[str, Any]]]] = []
    previous: tuple[_Inputs, list[StandingRow]] | None = None
    for inputs in (group, rnd, whole):
        # Group ⊆ round ⊆ tournament: the same teams and as many results are the same inputs.
        if previous is not None and _same_inputs(previous[0], inputs):
            ranked = previous[1]
        else:
            refs = [TeamRef(t, teams[t]["name"]) for t in inputs.group_of]
            ranked = rank_standings(refs, inputs.results)
        rows = _scope_rows(inputs.scope.kind, inputs.round_, teams, inputs.group_of, ranked)
        out.append((inputs.scope, rows))
        previous = (inputs, ranked)
    return out


def _same_inputs(smaller: _Inputs, larger: _Inputs) -> bool:
    return smaller.group_of.keys() == larger.group_of.keys() and len(smaller.results) == len(
        larger.results
    )


def top_fraggers(*, tournament_id: int, limit: int = 10) -> list[dict[str, Any]]:
    """The players with the most kills in the tournament's (not cancelled) matches, from the
    per-player kill lines hosts submit; ties by fewer matches, then player. Three queries."""
    totals = list(
        PlayerMatchKills.objects.filter(result__tournament_id=tournament_id)
        .exclude(result__match__status="cancelled")
        .values("user_id", "result__team_id")
        .annotate(kills=Sum("kills"), matches=Count("result__match_id", distinct=True))
        .order_by("-kills", "matches", "user_id")[:limit]
    )
    names = {
        row["user_id"]: row
        for row in RegistrationPlayer.objects.filter(
            tournament_id=tournament_id, user_id__in=[t["user_id"] for t in totals]
        ).values("user_id", "in_game_name", "user__username", "user__display_name")
    }
    teams = dict(
        Team.objects.filter(pk__in={t["result__team_id"] for t in totals}).values_list("id", "name")
    )
    return [
        {
            "rank": rank,
            "player": {
                "id": t["user_id"],
                "in_game_name": names.get(t["user_id"], {}).get("in_game_name", ""),
                "display_name": names.get(t["user_id"], {}).get("user__display_name", ""),
            },
            "team": {"id": t["result__team_id"], "name": teams.get(t["result__team_id"], "")},
            "kills": t["kills"] or 0,
            "matches": t["matches"],
        }
        for rank, t in enumerate(totals, start=1)
    ]
