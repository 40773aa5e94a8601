import pytest

from core.scoring import PRESETS, PointsTableError, match_points, points_table_from_dict
from core.scoring import validate_points_table as validate
from core.scoring.presets import PerKillError, PlacementTableError, UnknownPresetError


def test_presets_match_the_documented_tables():
    assert PRESETS["pubgm_2023"].placement == (10, 6, 5, 4, 3, 2, 1, 1)
    assert PRESETS["pubgm_2020"].placement == (15, 12, 10, 8, 6, 4, 2, 1, 1, 1, 1, 1)
    assert PRESETS["freefire"].placement == (12, 9, 8, 7, 6, 5, 4, 3, 2, 1)
    assert {t.per_kill for t in PRESETS.values()} == {1}


def test_preset_name_normalizes_to_full_table():
    expected = {"preset": "freefire", "placement": [12, 9, 8, 7, 6, 5, 4, 3, 2, 1], "per_kill": 1}
    assert validate("freefire") == expected
    assert validate({"preset": "freefire"}) == expected
    assert validate(expected) == expected


def test_custom_table_is_kept():
    table = {"preset": "custom", "placement": [20, 0, 5], "per_kill": 2}
    assert validate(table) == table
    assert validate({"placement": [1], "per_kill": 0})["preset"] == "custom"


@pytest.mark.parametrize(
    ("table", "error", "needle"),
    [
        ({"preset": "nope"}, UnknownPresetError, "unknown preset"),
        # A preset that is not a name (an object, a list) is refused, not a crash.
        ({"preset": {}, "placement": [0], "per_kill": 0}, UnknownPresetError, "unknown preset"),
        ({"preset": ["custom"]}, UnknownPresetError, "unknown preset"),
        ({"preset": "custom", "placement": [1] * 101, "per_kill": 1}, PlacementTableError, "101"),
        ({"preset": "custom", "placement": [1001], "per_kill": 1}, PlacementTableError, "0..1000"),
        ({"preset": "custom", "placement": [-1], "per_kill": 1}, PlacementTableError, "0..1000"),
        ({"preset": "custom", "placement": [], "per_kill": 1}, PlacementTableError, "at least"),
        ({"preset": "custom", "placement": ["3"], "per_kill": 1}, PlacementTableError, "integer"),
        ({"preset": "custom", "placement": [True], "per_kill": 1}, PlacementTableError, "integer"),
        ({"preset": "custom", "placement": [1], "per_kill": 101}, PerKillError, "0..100"),
        ({"preset": "custom", "placement": [1], "per_kill": 1.5}, PerKillError, "integer"),
        ({"preset": "custom", "placement": [1]}, PointsTableError, "needs both"),
        ({"preset": "pubgm_2023", "per_kill": 2}, PerKillError, "custom"),
        ({"preset": "pubgm_2023", "placement": [9]}, PlacementTableError, "custom"),
        ({"preset": "custom", "placement": [1], "per_kill": 1, "x": 1}, PointsTableError, "x"),
        (["pubgm_2023"], PointsTableError, "object"),
    ],
)
def test_invalid_tables_raise_value_errors_with_clear_messages(table, error, needle):
    with pytest.raises(error, match=needle) as info:
        validate(table)
    assert isinstance(info.value, ValueError)


def test_max_sized_custom_table_is_allowed():
    table = {"preset": "custom", "placement": [1000] * 100, "per_kill": 100}
    assert validate(table) == table


def test_match_points():
    table = points_table_from_dict("pubgm_2023")
    assert match_points(table, placement=1, kills=7).total == 17
    assert match_points(table, placement=8, kills=0).placement_points == 1
    past_end = match_points(table, placement=9, kills=3)
    assert (past_end.placement_points, past_end.kill_points, past_end.total) == (0, 3, 3)
    custom = points_table_from_dict({"placement": [5], "per_kill": 3})
    assert match_points(custom, placement=1, kills=2).total == 11
    with pytest.raises(ValueError):
        match_points(table, placement=0, kills=1)
