"""The public read cache's per-tournament tokens (core/api/read_cache.py, core/public_reads.py): a
result in one tournament makes that tournament's detail and standings stale and leaves every other
tournament's entries (and the lists) current; writes nobody named, and writes to rows several
tournaments show, still make everything stale; and a body built from old rows while a named write
is open is stale after its commit."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core import public_reads
from core.api import read_cache
from core.models import MatchResult, Team
from core.services.results import match_result_submit
from tests.support.events import submission
from tests.support.rooms import LiveRoom, live_room

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("read_cache_on")]


def get(path: str) -> tuple[dict[str, Any], int]:
    """(body, queries) of one anonymous GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = APIClient().get(path)
    assert response.status_code == 200, (path, response.content[:200])
    return response.json(), len(ctx.captured_queries)


def paths(room: LiveRoom) -> dict[str, str]:
    t = room.tournament.pk
    return {
        "detail": f"/api/tournaments/{t}/",
        "standings": f"/api/tournaments/{t}/standings/",
        "group": f"/api/tournaments/{t}/standings/?group={room.group.pk}",
    }


def warm(*rooms: LiveRoom) -> None:
    for room in rooms:
        for path in paths(room).values():
            get(path)
            assert get(path)[1] == 0, path  # now a hit
    get("/api/tournaments/")
    assert get("/api/tournaments/")[1] == 0


def submit(room: LiveRoom) -> None:
    match_result_submit(
        actor=room.host,
        match_id=room.matches[0].pk,
        submission=submission(room.rows([3, 2, 1, 0], kills=4)),
    )


def test_a_result_in_one_tournament_leaves_the_others_cached() -> None:
    a, b = live_room(prefix="A"), live_room(prefix="B")
    warm(a, b)
    submit(a)
    for path in paths(b).values():
        assert get(path)[1] == 0, path  # B: still a hit, no query
    assert get("/api/tournaments/")[1] == 0  # the lists do not show results
    # A: every entry is a miss, built fresh. The winner (team 3: placement 1, 4 kills) on top.
    body, queries = get(paths(a)["standings"])
    assert queries > 0
    top = body["rows"][0]
    assert top["team"]["id"] == a.teams[3].pk
    assert (top["matches"], top["kill_points"]) == (1, 4)
    assert top["total"] == top["placement_points"] + 4 > 4
    assert get(paths(a)["group"])[0]["rows"][0]["team"]["id"] == a.teams[3].pk
    assert get(paths(a)["detail"])[1] > 0


def test_a_write_nobody_named_still_makes_every_entry_stale() -> None:
    a, b = live_room(prefix="A"), live_room(prefix="B")
    submit(a)
    warm(a, b)
    # QuerySet.update(): no signal, no service, no tournament named: the global fallback.
    MatchResult.objects.filter(tournament=a.tournament).update(kills=9, kill_points=9)
    for room in (a, b):
        for path in paths(room).values():
            assert get(path)[1] > 0, path
    assert get("/api/tournaments/")[1] > 0
    assert get(paths(a)["standings"])[0]["rows"][0]["kill_points"] == 9


def test_a_named_write_to_rows_other_tournaments_show_is_global() -> None:
    a, b = live_room(prefix="A"), live_room(prefix="B")
    warm(a, b)
    with public_reads.tournament_writes(a.tournament.pk):
        Team.objects.filter(pk=b.teams[0].pk).update(name="Renamed")
    body, queries = get(paths(b)["standings"])
    assert queries > 0
    assert "Renamed" in {row["team"]["name"] for row in body["rows"]}


@pytest.mark.parametrize(
    ("table", "named", "keys"),
    [
        ("core_matchresult", 7, ("public-read:generation:t:7",)),
        ("core_match", 7, ("public-read:generation:t:7",)),
        ("core_stattotal", 7, ("public-read:generation:t:7",)),
        ("core_registration", 7, ("public-read:generation:t:7", "public-read:generation:lists")),
        ("core_tournament", 7, ("public-read:generation:t:7", "public-read:generation:lists")),
        ("core_team", 7, ("public-read:generation",)),
        ("core_game", 7, ("public-read:generation",)),
        ("core_user", 7, ("public-read:generation",)),
        ("core_matchresult", None, ("public-read:generation",)),
        ("core_tournament", None, ("public-read:generation",)),
    ],
)
def test_which_tokens_a_write_replaces(table: str, named: int | None, keys: tuple) -> None:
    assert read_cache.generations_changed(table, named) == keys


def test_a_named_block_ends_with_its_block_even_on_an_error() -> None:
    with pytest.raises(RuntimeError), public_reads.tournament_writes(5):
        assert public_reads.current_tournament() == 5
        raise RuntimeError
    assert public_reads.current_tournament() is None


@pytest.mark.django_db(transaction=True)
def test_a_body_built_while_a_named_write_is_open_is_stale_after_its_commit() -> None:
    """A concurrent reader builds A's standings from the old rows after the watcher's first
    bump and before the commit: the bump at commit makes that entry stale."""
    a = live_room(prefix="A")
    submit(a)
    path = paths(a)["standings"]
    old = get(path)[0]
    with transaction.atomic(), public_reads.tournament_writes(a.tournament.pk):
        MatchResult.objects.filter(tournament=a.tournament).update(kills=9, kill_points=9)
        keys = [
            read_cache.GENERATION_KEY,
            read_cache.LISTS_KEY,
            read_cache.tournament_key(a.tournament.pk),
        ]
        generations = tuple(cache.get(k) for k in keys)
        request = APIClient().get(path).wsgi_request
        rendered = APIClient().get(path).content.replace(b'"kill_points":9', b'"kill_points":8')
        cache.set(read_cache.entry_key(request), (generations, None, rendered))
        assert get(path)[0]["rows"][0]["kill_points"] == 8  # what such a reader would serve
    body = get(path)[0]
    assert body["rows"][0]["kill_points"] == 9 != old["rows"][0]["kill_points"]
