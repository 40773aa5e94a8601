"""Pure battle-royale scoring (docs/scoring.md): points tables, per-match points and ranked
standings.

No Django here: a list of results in, ranked rows out, so the rules can be tested by properties
and reused by REST, websockets and benchmarks alike.
"""

from .presets import (
    PRESETS,
    PointsTable,
    PointsTableError,
    points_table_from_dict,
    validate_points_table,
)
from .standings import (
    MatchPoints,
    ResultEntry,
    StandingRow,
    TeamRef,
    match_points,
    rank_standings,
)

__all__ = [
    "PRESETS",
    "MatchPoints",
    "PointsTable",
    "PointsTableError",
    "ResultEntry",
    "StandingRow",
    "TeamRef",
    "match_points",
    "points_table_from_dict",
    "rank_standings",
    "validate_points_table",
]
