"""core/selectors/prepared.py: a query compiled once answers what the ORM answers for every new
set of parameters (ints, strings, datetimes swapped in for the sentinels, rows converted as the
ORM converts them), is compiled once per thread, is seen by the execute wrappers like any query,
and refuses a query whose parameter is not passed as one."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Registration, Tournament
from core.selectors.prepared import PreparedValues
from core.selectors.tournaments import with_seats
from tests.factories import HostFactory, TournamentFactory, team_with_roster

pytestmark = pytest.mark.django_db
COLUMNS = ("id", "title", "kind", "seats_taken", "points_table", "starts_at", "published_at")


def orm(pk: int, now, kind: str) -> list[dict]:
    qs = with_seats(Tournament.objects.filter(pk=pk, kind=kind), now=now)
    return list(qs.values(*COLUMNS))


def test_every_call_answers_what_the_orm_answers() -> None:
    prepared = PreparedValues(
        lambda pk, now, kind: with_seats(
            Tournament.objects.filter(pk=pk, kind=kind), now=now
        ).values(*COLUMNS),
        pk="int",
        now="datetime",
        kind="str",
    )
    now = timezone.now()
    a = TournamentFactory(published_at=now - timedelta(days=3))
    b = TournamentFactory(kind=Tournament.Kind.SCRIM)
    Registration.objects.create(
        tournament=a,
        team=team_with_roster(),
        registered_by=HostFactory(),
        status=Registration.Status.PENDING_PAYMENT,
        hold_expires_at=now + timedelta(minutes=10),
    )
    cases = [
        (a.pk, now, "tournament"),  # the hold counts: 1 seat
        (a.pk, now + timedelta(minutes=20), "tournament"),  # past the hold: 0
        (a.pk, now, "scrim"),  # wrong kind: nothing
        (b.pk, now, "scrim"),
        (999_999, now, "tournament"),
    ]
    for pk, at, kind in cases:
        assert prepared.rows(pk=pk, now=at, kind=kind) == orm(pk, at, kind), (pk, at, kind)
    assert [r["seats_taken"] for r in prepared.rows(pk=a.pk, now=now, kind="tournament")] == [1]
    later = prepared.rows(pk=a.pk, now=now + timedelta(minutes=20), kind="tournament")
    assert later[0]["seats_taken"] == 0
    assert later[0]["points_table"]["preset"] == "pubgm_2023"  # JSON decoded
    assert later[0]["starts_at"] == a.starts_at  # an aware datetime, as the ORM gives


def test_compiled_once_per_thread_and_counted_like_any_query() -> None:
    builds = []

    def build(pk: int):
        builds.append(threading.get_ident())
        return Tournament.objects.filter(pk=pk).values("id", "title")

    prepared = PreparedValues(build, pk="int")
    t = TournamentFactory(title="Once")
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            assert prepared.rows(pk=t.pk) == [{"id": t.pk, "title": "Once"}]
    assert len(ctx.captured_queries) == 3
    assert len(builds) == 1


def test_a_parameter_folded_into_the_sql_is_refused() -> None:
    # A slice's bounds are written into the SQL: the sentinel is not in the parameters.
    prepared = PreparedValues(lambda n: Tournament.objects.values("id")[:n], n="int")
    with pytest.raises(ValueError, match="appears 0 times"):
        prepared.rows(n=3)
