"""Per-match points and ranked standings with the PMGC tie-break order (docs/scoring.md)."""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from .presets import PointsTable


@dataclass(frozen=True, slots=True)
class MatchPoints:
    placement_points: int
    kill_points: int
    total: int


def match_points(table: PointsTable, *, placement: int, kills: int) -> MatchPoints:
    if placement < 1:
        raise ValueError(f"placement {placement} must be 1 or more")
    if kills < 0:
        raise ValueError(f"kills {kills} must not be negative")
    placement_points = table.placement[placement - 1] if placement <= len(table.placement) else 0
    kill_points = kills * table.per_kill
    return MatchPoints(placement_points, kill_points, placement_points + kill_points)


@dataclass(frozen=True, slots=True)
class TeamRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class ResultEntry:
    """One team's result in one match. `order` places the match in time (any comparable key the
    caller defines, e.g. (round number, match number, match id)); it picks "the most recent match
    that team played" for tie-break step 5."""

    team_id: int
    order: Hashable
    placement: int
    kills: int
    placement_points: int
    kill_points: int

    @property
    def total(self) -> int:
        return self.placement_points + self.kill_points


@dataclass(slots=True)
class StandingRow:
    rank: int
    team_id: int
    team_name: str
    matches: int = 0
    wins: int = 0
    placement_points: int = 0
    kill_points: int = 0
    total: int = 0
    kills: int = 0
    last_placement: int | None = None
    _last_order: object = field(default=None, repr=False, compare=False)


def _sort_key(row: StandingRow) -> tuple:
    # Steps 1-5, with teams that have not played ranked after everyone who has.
    return (
        row.matches == 0,
        -row.total,
        -row.wins,
        -row.placement_points,
        -row.kill_points,
        row.last_placement if row.last_placement is not None else 0,
    )


def rank_standings(teams: Iterable[TeamRef], results: Iterable[ResultEntry]) -> list[StandingRow]:
    """Ranked rows for `teams` from `results` (any order). Ties after step 5 share a rank (1, 2, 2,
    4, …) and are listed by team name, then id, so the listing is stable."""
    rows: dict[int, StandingRow] = {
        t.id: StandingRow(rank=0, team_id=t.id, team_name=t.name) for t in teams
    }
    for entry in results:
        row = rows.get(entry.team_id)
        if row is None:
            raise ValueError(
                f"result for team {entry.team_id}, which is not in the standings scope"
            )
        row.matches += 1
        row.wins += entry.placement == 1
        row.placement_points += entry.placement_points
        row.kill_points += entry.kill_points
        row.total += entry.total
        row.kills += entry.kills
        if row._last_order is None or entry.order > row._last_order:
            row._last_order = entry.order
            row.last_placement = entry.placement
    ordered: Sequence[StandingRow] = sorted(
        rows.values(), key=lambda r: (_sort_key(r), r.team_name.casefold(), r.team_name, r.team_id)
    )
    previous_key: tuple | None = None
    for position, row in enumerate(ordered, start=1):
        key = _sort_key(row)
        row.rank = position if key != previous_key else ordered[position - 2].rank
        previous_key = key
    return list(ordered)
