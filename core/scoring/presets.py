"""Points tables: the named presets of docs/scoring.md and validation of a host's custom table."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_PLACEMENT_ENTRIES = 100
MAX_PLACEMENT_POINTS = 1000
MAX_PER_KILL = 100
CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class PointsTable:
    preset: str
    placement: tuple[int, ...]
    per_kill: int

    def as_dict(self) -> dict[str, Any]:
        return {"preset": self.preset, "placement": list(self.placement), "per_kill": self.per_kill}


PRESETS: dict[str, PointsTable] = {
    "pubgm_2023": PointsTable("pubgm_2023", (10, 6, 5, 4, 3, 2, 1, 1), 1),
    "pubgm_2020": PointsTable("pubgm_2020", (15, 12, 10, 8, 6, 4, 2, 1, 1, 1, 1, 1), 1),
    "freefire": PointsTable("freefire", (12, 9, 8, 7, 6, 5, 4, 3, 2, 1), 1),
}


class PointsTableError(ValueError):
    """A points table that breaks a rule; `field` names the offending key for error details."""

    def __init__(self, message: str, *, field: str = "points_table") -> None:
        super().__init__(message)
        self.field = field


class UnknownPresetError(PointsTableError):
    pass


class PlacementTableError(PointsTableError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="placement")


class PerKillError(PointsTableError):
    def __init__(self, message: str) -> None:
        super().__init__(message, field="per_kill")


def _is_int(value: Any) -> bool:
    # bool is an int subclass; `True` points are a client bug, not 1 point.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_placement(raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list | tuple):
        raise PlacementTableError("placement must be a list of integers")
    if not raw:
        raise PlacementTableError("placement must have at least one entry")
    if len(raw) > MAX_PLACEMENT_ENTRIES:
        raise PlacementTableError(
            f"placement has {len(raw)} entries; at most {MAX_PLACEMENT_ENTRIES} are allowed"
        )
    for index, points in enumerate(raw, start=1):
        if not _is_int(points):
            raise PlacementTableError(f"placement {index}: {points!r} is not an integer")
        if not 0 <= points <= MAX_PLACEMENT_POINTS:
            raise PlacementTableError(
                f"placement {index}: {points} is out of range 0..{MAX_PLACEMENT_POINTS}"
            )
    return tuple(raw)


def _check_per_kill(raw: Any) -> int:
    if not _is_int(raw):
        raise PerKillError(f"per_kill {raw!r} is not an integer")
    if not 0 <= raw <= MAX_PER_KILL:
        raise PerKillError(f"per_kill {raw} is out of range 0..{MAX_PER_KILL}")
    return raw


def points_table_from_dict(table: Mapping[str, Any] | str) -> PointsTable:
    """Parse and check a table: a preset name, `{"preset": name}`, or
    `{"preset": "custom", "placement": [...], "per_kill": n}`.

    A named preset may restate its own values but not change them (that is a custom table).
    """
    if isinstance(table, str):
        table = {"preset": table}
    if not isinstance(table, Mapping):
        raise PointsTableError("points table must be an object or a preset name")
    unknown = set(table) - {"preset", "placement", "per_kill"}
    if unknown:
        raise PointsTableError(f"unknown points table keys: {', '.join(sorted(unknown))}")
    preset = table.get("preset", CUSTOM)
    if not isinstance(preset, str) or (preset != CUSTOM and preset not in PRESETS):
        names = ", ".join([*PRESETS, CUSTOM])
        raise UnknownPresetError(
            f"unknown preset {preset!r}; choose one of {names}", field="preset"
        )
    if preset == CUSTOM:
        if "placement" not in table or "per_kill" not in table:
            raise PointsTableError("a custom table needs both placement and per_kill")
        return PointsTable(
            CUSTOM, _check_placement(table["placement"]), _check_per_kill(table["per_kill"])
        )
    base = PRESETS[preset]
    if "placement" in table and _check_placement(table["placement"]) != base.placement:
        raise PlacementTableError(
            f"preset {preset} has fixed placement points; use preset 'custom' to change them"
        )
    if "per_kill" in table and _check_per_kill(table["per_kill"]) != base.per_kill:
        raise PerKillError(f"preset {preset} has per_kill {base.per_kill}; use preset 'custom'")
    return base


def validate_points_table(table: Mapping[str, Any] | str) -> dict[str, Any]:
    """The normalized JSON form stored on a tournament: always preset, placement and per_kill."""
    return points_table_from_dict(table).as_dict()
