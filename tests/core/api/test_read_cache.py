"""core/api/read_cache.py, the public read cache: hits cost no query, and every kind of change a
public body can see (a write of any shape, the clock, a lapsing hold) is seen on the next read;
bodies that differ between viewers are never shared."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.api import read_cache
from core.models import Game, Registration, Team, Tournament
from core.services.results import match_result_submit
from tests.factories import HostFactory, TournamentFactory, captain_of, team_with_roster
from tests.support.api import client_as
from tests.support.events import submission
from tests.support.rooms import live_room
from tests.support.tournaments import register_body

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("read_cache_on")]
S = Tournament.Status


def get(path: str, client: APIClient | None = None) -> tuple[int, dict[str, Any], int]:
    """(status, body, queries) of one GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = (client or APIClient()).get(path)
    return response.status_code, response.json(), len(ctx.captured_queries)


def test_a_repeated_read_is_served_without_a_query() -> None:
    t = TournamentFactory()
    for path in ("/api/tournaments/", f"/api/tournaments/{t.pk}/", "/api/scrims/?page=1"):
        first = get(path)
        again = get(path)
        assert first[0] == again[0] == 200
        assert first[1] == again[1]
        assert first[2] > 0 and again[2] == 0, (path, first[2], again[2])


def test_a_hit_is_byte_for_byte_what_a_miss_sends() -> None:
    room = live_room(teams=3)
    t = room.tournament.pk
    for path in ("/api/tournaments/", f"/api/tournaments/{t}/", f"/api/tournaments/{t}/standings/"):
        miss, hit = APIClient().get(path), APIClient().get(path)
        assert (hit.status_code, hit.content) == (miss.status_code, miss.content)
        assert hit["Content-Type"] == miss["Content-Type"] == "application/json"
        assert hit.get("Vary") == miss.get("Vary")


def test_misses_under_one_generation_look_the_clock_horizon_up_once() -> None:
    first, second = TournamentFactory(), TournamentFactory()
    once = get(f"/api/tournaments/{first.pk}/")[2]  # the selector + the horizon's 2 queries
    again = get(f"/api/tournaments/{second.pk}/")[2]  # the selector alone
    assert once - again == 2


def test_writes_of_every_shape_are_seen_on_the_next_read() -> None:
    t = TournamentFactory(title="Before")
    path = f"/api/tournaments/{t.pk}/"
    assert get(path)[1]["title"] == "Before"
    Tournament.objects.filter(pk=t.pk).update(title="Bulk update")  # no signal is sent
    assert get(path)[1]["title"] == "Bulk update"
    t.refresh_from_db()
    t.title = "Saved"
    t.save()
    assert get(path)[1]["title"] == "Saved"
    Game.objects.filter(pk=t.game_id).update(name="Renamed game")  # another table
    assert get(path)[1]["game"]["name"] == "Renamed game"
    with connection.cursor() as cursor:  # hand-written SQL through Django
        cursor.execute("UPDATE core_tournament SET title = %s WHERE id = %s", ["Raw", t.pk])
    assert get(path)[1]["title"] == "Raw"
    Tournament.objects.filter(pk=t.pk).delete()
    assert get(path)[0] == 404


def test_a_registration_moves_seats_in_the_list_and_the_detail() -> None:
    t = TournamentFactory()
    assert get(f"/api/tournaments/{t.pk}/")[1]["seats_taken"] == 0
    assert get("/api/tournaments/")[1]["results"][0]["seats_taken"] == 0
    team = team_with_roster()
    r = client_as(captain_of(team)).post(
        f"/api/tournaments/{t.pk}/register/", register_body(team), format="json"
    )
    assert r.status_code == 201, r.json()
    assert get(f"/api/tournaments/{t.pk}/")[1]["seats_taken"] == 1
    assert get("/api/tournaments/")[1]["results"][0]["seats_taken"] == 1


def test_a_result_moves_the_standings() -> None:
    room = live_room(teams=4)
    path = f"/api/tournaments/{room.tournament.pk}/standings/"
    assert all(row["total"] == 0 for row in get(path)[1]["rows"])
    match_result_submit(
        actor=room.host, match_id=room.matches[0].pk, submission=submission(room.rows([3, 2, 1, 0]))
    )
    rows = get(path)[1]["rows"]
    assert rows[0]["team"]["id"] == room.teams[3].pk and rows[0]["total"] > 0
    Team.objects.filter(pk=room.teams[3].pk).update(name="Renamed")
    assert get(path)[1]["rows"][0]["team"]["name"] == "Renamed"


def test_the_clock_moves_a_status_with_no_write(monkeypatch: Any) -> None:
    now = timezone.now()
    t = TournamentFactory(
        status=S.PUBLISHED,
        registration_opens_at=now + timedelta(minutes=5),
        registration_closes_at=now + timedelta(hours=1),
        starts_at=now + timedelta(hours=2),
    )
    detail, listing = f"/api/tournaments/{t.pk}/", "/api/tournaments/?status=registration_open"
    assert get(detail)[1]["status"] == S.PUBLISHED
    assert get(listing)[1]["count"] == 0
    assert get(detail)[2] == 0  # cached until the window opens
    later = now + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert get(detail)[1]["status"] == S.REGISTRATION_OPEN
    assert get(listing)[1]["count"] == 1


def test_a_lapsing_hold_frees_its_seat_with_no_write(monkeypatch: Any) -> None:
    t = TournamentFactory(entry_fee=5000)
    team = team_with_roster()
    Registration.objects.create(
        tournament=t,
        team=team,
        registered_by=captain_of(team),
        status=Registration.Status.PENDING_PAYMENT,
        hold_expires_at=timezone.now() + timedelta(minutes=10),
    )
    path = f"/api/tournaments/{t.pk}/"
    assert get(path)[1]["seats_taken"] == 1
    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert get(path)[1]["seats_taken"] == 0


def test_viewer_dependent_bodies_are_never_shared() -> None:
    host = HostFactory()
    draft = TournamentFactory(host=host, status=S.DRAFT)
    private = TournamentFactory(host=host, visibility=Tournament.Visibility.PRIVATE)
    public = TournamentFactory()
    # The host's own draft and their list (with their drafts and private ones) first ...
    assert get(f"/api/tournaments/{draft.pk}/", client_as(host))[0] == 200
    mine = {row["id"] for row in get("/api/tournaments/", client_as(host))[1]["results"]}
    assert {draft.pk, private.pk, public.pk} <= mine
    # ... then an anonymous visitor on the same addresses sees neither.
    assert get(f"/api/tournaments/{draft.pk}/")[0] == 404
    assert get(f"/api/tournaments/{draft.pk}/standings/")[0] == 404
    assert {row["id"] for row in get("/api/tournaments/")[1]["results"]} == {public.pk}
    # And the other way round: an anonymous list cached first is not what the host gets.
    mine = {row["id"] for row in get("/api/tournaments/", client_as(host))[1]["results"]}
    assert {draft.pk, private.pk} <= mine


def test_paginated_links_follow_the_host_that_asked() -> None:
    for _ in range(3):
        TournamentFactory()
    first = APIClient().get("/api/tournaments/?page_size=1", HTTP_HOST="localhost").json()
    other = APIClient().get("/api/tournaments/?page_size=1", HTTP_HOST="127.0.0.1").json()
    assert first["next"].startswith("http://localhost/")
    assert other["next"].startswith("http://127.0.0.1/")


def test_a_lost_generation_never_revives_old_entries() -> None:
    t = TournamentFactory(title="Old")
    path = f"/api/tournaments/{t.pk}/"
    get(path)
    # A change the watcher cannot see (as if made outside Django) ...
    wrappers = list(connection.execute_wrappers)
    connection.execute_wrappers.clear()
    try:
        Tournament.objects.filter(pk=t.pk).update(title="New")
    finally:
        connection.execute_wrappers[:] = wrappers
    assert get(path)[1]["title"] == "Old"  # (bounded by PUBLIC_READ_CACHE_SECONDS)
    # ... and then the cache loses the generation token: the old entries go with it.
    cache.delete(read_cache.GENERATION_KEY)
    assert get(path)[1]["title"] == "New"


def test_off_means_every_read_is_built(settings: Any) -> None:
    settings.PUBLIC_READ_CACHE = False
    t = TournamentFactory()
    get(f"/api/tournaments/{t.pk}/")
    assert get(f"/api/tournaments/{t.pk}/")[2] > 0


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('INSERT INTO "core_registration" ("x") VALUES (%s)', True),
        ('UPDATE "core_tournament" SET "title" = %s WHERE "id" = %s', True),
        ('DELETE FROM "core_matchresult" WHERE "match_id" = %s', True),
        ("  update core_team set name = 'x'", True),
        ('TRUNCATE "core_tournament", "core_game"', True),
        ('SELECT * FROM "core_tournament" FOR UPDATE', False),
        ('INSERT INTO "core_notification" ("x") VALUES (%s)', False),
        ('INSERT INTO "core_tournamentevent" ("x") VALUES (%s)', False),
        ('INSERT INTO "django_session" ("x") VALUES (%s)', False),
        ('UPDATE "billing_payment" SET "state" = %s', False),
        ('UPDATE "core_user" SET "last_login" = %s WHERE "core_user"."id" = %s', False),
        ('UPDATE "core_user" SET "username" = %s WHERE "core_user"."id" = %s', True),
    ],
)
def test_which_statements_change_public_data(sql: str, changes: bool) -> None:
    assert read_cache.changes_public_data(sql) is changes


@pytest.mark.django_db(transaction=True)
def test_a_body_built_before_the_commit_is_stale_after_it() -> None:
    """Another reader builds from the old rows while a write's transaction is still open (after
    the watcher's first bump): the bump at commit makes that entry stale."""
    t = TournamentFactory(title="Old")
    path = f"/api/tournaments/{t.pk}/"
    get(path)  # the tokens exist
    with transaction.atomic():
        Tournament.objects.filter(pk=t.pk).update(title="New")
        # What a concurrent reader would store: the old body under the current generation.
        keys = (read_cache.GENERATION_KEY, read_cache.LISTS_KEY, read_cache.tournament_key(t.pk))
        generations = tuple(cache.get(k) for k in keys)
        stale = APIClient().get(path).content.replace(b'"title":"New"', b'"title":"Old"')
        request = APIClient().get(path).wsgi_request
        cache.set(read_cache.entry_key(request), (generations, None, stale))
        assert get(path)[1]["title"] == "Old"  # what such a reader would serve
    assert get(path)[1]["title"] == "New"


class _CacheDown:
    """A cache whose every method raises, as a cache client does while its server is down."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("cache down")

        return fail


def test_a_cache_outage_fails_nothing_and_leaves_nothing_stale(monkeypatch: Any) -> None:
    t = TournamentFactory(title="Old")
    path = f"/api/tournaments/{t.pk}/"
    get(path)  # stored
    with monkeypatch.context() as down:
        down.setattr(read_cache, "cache", _CacheDown())
        Tournament.objects.filter(pk=t.pk).update(title="New")  # the write stands; bump owed
        status, body, _ = get(path)
        assert (status, body["title"]) == (200, "New")  # read from the database meanwhile
    # The cache is back, still holding the old entry and generation.
    assert get(path)[1]["title"] == "New"  # the owed bump was paid first
    assert get(path)[2] == 0  # and caching resumes


def test_an_owed_bump_is_paid_by_any_database_use(monkeypatch: Any) -> None:
    """A worker that wrote during an outage and never serves reads still pays."""
    t = TournamentFactory(title="Old")
    get(f"/api/tournaments/{t.pk}/")
    with monkeypatch.context() as down:
        down.setattr(read_cache, "cache", _CacheDown())
        Tournament.objects.filter(pk=t.pk).update(title="New")
    assert read_cache._bump_owed
    before = cache.get(read_cache.GENERATION_KEY)
    Tournament.objects.count()  # any statement
    assert not read_cache._bump_owed and cache.get(read_cache.GENERATION_KEY) != before


def test_a_hanging_cache_is_tried_once_per_interval_not_per_statement(monkeypatch: Any) -> None:
    monkeypatch.setattr(read_cache, "RETRY_SECONDS", 60.0)
    calls = []

    class Slow(_CacheDown):
        def __getattr__(self, name: str) -> Callable[..., Any]:
            calls.append(name)
            return super().__getattr__(name)

    t = TournamentFactory()
    monkeypatch.setattr(read_cache, "cache", Slow())
    for i in range(5):
        # Another request read an entry since the last write: each write would bump again.
        monkeypatch.setattr(read_cache, "_reads", read_cache._reads + 1)
        Tournament.objects.filter(pk=t.pk).update(title=f"T{i}")
    assert get(f"/api/tournaments/{t.pk}/")[1]["title"] == "T4"  # from the database
    assert calls == ["set"]  # one attempt; the rest wait for the interval


def test_a_transactions_writes_bump_once_unless_an_entry_was_read_between(
    monkeypatch: Any,
) -> None:
    t = TournamentFactory()
    sets: list[str] = []
    real_set = cache.set
    monkeypatch.setattr(
        cache, "set", lambda key, *a, **kw: (sets.append(key), real_set(key, *a, **kw))
    )
    assert get(f"/api/tournaments/{t.pk}/")[1]["title"] == t.title  # an entry is built
    sets.clear()
    with transaction.atomic():
        for i in range(5):
            Tournament.objects.filter(pk=t.pk).update(title=f"T{i}")
        assert sets == [read_cache.GENERATION_KEY]  # one round trip for five writes
        assert get(f"/api/tournaments/{t.pk}/")[1]["title"] == "T4"  # an entry is built
        Tournament.objects.filter(pk=t.pk).update(title="T5")
        assert sets.count(read_cache.GENERATION_KEY) == 2  # the read forced a fresh bump
        assert get(f"/api/tournaments/{t.pk}/")[1]["title"] == "T5"


def test_entries_of_other_code_are_not_served(monkeypatch: Any) -> None:
    t = TournamentFactory()
    path = f"/api/tournaments/{t.pk}/"
    with monkeypatch.context() as old_release:
        old_release.setattr(read_cache, "code_version", lambda: "an-older-release")
        get(path)
        assert get(path)[2] == 0
    assert get(path)[2] > 0  # this code builds its own


@pytest.mark.django_db(transaction=True)
def test_the_commit_bump_runs_even_when_an_earlier_commit_hook_fails() -> None:
    t = TournamentFactory(title="Old")

    def broker_down() -> None:
        raise ConnectionError("broker down")

    with pytest.raises(ConnectionError), transaction.atomic():
        transaction.on_commit(broker_down)  # e.g. an email task queued before the write
        Tournament.objects.filter(pk=t.pk).update(title="New")
        during = cache.get(read_cache.GENERATION_KEY)
    assert cache.get(read_cache.GENERATION_KEY) != during
