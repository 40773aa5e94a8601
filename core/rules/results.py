"""The result of one match as the service takes it, and the rules its rows obey
(docs/protocol.md, `result.submit`). Pure: each face (REST serializer, websocket command) parses
its own wire shape into these values once; the service checks them against the match's group.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from core.errors import ValidationError

MAX_KILLS = 99


@dataclass(frozen=True, slots=True)
class PlayerKills:
    player: int  # user id, on the team's confirmed roster
    kills: int


@dataclass(frozen=True, slots=True)
class ResultRow:
    team: int
    placement: int
    kills: int = 0
    players: tuple[PlayerKills, ...] = ()


@dataclass(frozen=True, slots=True)
class ResultSubmission:
    """The whole result of a match (one row per team that played). `final` also completes the
    match; `version`, when given, must be the match's current result version."""

    rows: tuple[ResultRow, ...]
    final: bool = False
    version: int | None = None

    def as_dict(self) -> dict:
        """`dataclasses.asdict(self)` as JSON sees it (lists for tuples), built directly: asdict
        deep-copies field by field, milliseconds of every submit (its idempotency fingerprint)."""
        return {
            "rows": [
                {
                    "team": r.team,
                    "placement": r.placement,
                    "kills": r.kills,
                    "players": [{"player": p.player, "kills": p.kills} for p in r.players],
                }
                for r in self.rows
            ],
            "final": self.final,
            "version": self.version,
        }


def invalid(message: str, field: str = "results") -> ValidationError:
    return ValidationError(message, details={field: [message]})


def check_result_rows(
    rows: Sequence[ResultRow], *, lobby: set[int], roster: Mapping[int, set[int]]
) -> list[ResultRow]:
    """The rows in placement order, after the rules: at least one row; teams of the match's
    group (`lobby`), each once; placements unique within 1..len(lobby); kills 0..MAX_KILLS per
    team and per player; per-player kills only for the team's confirmed `roster`, each player
    once."""
    if not rows:
        raise invalid("results must be a non-empty list, one row per team that played")
    seen_teams: set[int] = set()
    seen_places: set[int] = set()
    for row in rows:
        if row.team not in lobby:
            raise invalid(f"team {row.team} is not in this match's group")
        if row.team in seen_teams:
            raise invalid(f"team {row.team} appears twice")
        if not 1 <= row.placement <= len(lobby):
            raise invalid(f"placement {row.placement} is out of range 1..{len(lobby)}")
        if row.placement in seen_places:
            raise invalid(f"placement {row.placement} is given to two teams")
        if not 0 <= row.kills <= MAX_KILLS:
            raise invalid(f"kills {row.kills} of team {row.team} are out of range 0..{MAX_KILLS}")
        _check_players(row, roster.get(row.team, set()))
        seen_teams.add(row.team)
        seen_places.add(row.placement)
    return sorted(rows, key=lambda r: r.placement)


def _check_players(row: ResultRow, roster: set[int]) -> None:
    seen: set[int] = set()
    for line in row.players:
        if line.player not in roster:
            raise invalid(f"player {line.player} is not on team {row.team}'s roster")
        if line.player in seen:
            raise invalid(f"player {line.player} appears twice")
        if not 0 <= line.kills <= MAX_KILLS:
            raise invalid(
                f"kills {line.kills} of player {line.player} are out of range 0..{MAX_KILLS}"
            )
        seen.add(line.player)


def parse_result_rows(raw: object) -> tuple[ResultRow, ...]:
    """A `results` list as both faces receive it (JSON values) as typed rows: integers only
    (never a bool or a string of digits), `kills` 0 when absent, `players` optional."""
    if not isinstance(raw, list) or not raw:
        raise invalid("results must be a non-empty list, one row per team that played")
    return tuple(_row_from_wire(item) for item in raw)


def _row_from_wire(item: object) -> ResultRow:
    if not isinstance(item, dict):
        raise invalid("each result row must be an object")
    return ResultRow(
        team=_int(item.get("team"), "team"),
        placement=_int(item.get("placement"), "placement"),
        kills=_int(item.get("kills", 0), "kills"),
        players=tuple(_players_from_wire(item.get("players") or [])),
    )


def _players_from_wire(lines: object) -> Iterable[PlayerKills]:
    if not isinstance(lines, list):
        raise invalid("each player line must be an object")
    for line in lines:
        if not isinstance(line, dict):
            raise invalid("each player line must be an object")
        yield PlayerKills(
            player=_int(line.get("player"), "player"),
            kills=_int(line.get("kills", 0), "player kills"),
        )


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{what} must be an integer")
    return value
