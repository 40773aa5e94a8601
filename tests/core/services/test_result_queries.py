"""A result submit costs the same number of SQL statements whatever the size of the lobby and
however many results the tournament already holds: provisional, final and corrected alike, the
commit hooks (publishing, webhooks) included. bench.submit measures the time; this holds the
count, on SQLite and on PostgreSQL.

Known exception, left out here: a final result notifies each player of the group, and the
notification service writes one email window per recipient (a savepoint, an insert, a release
or a rollback to it) and its email task reads and writes one SentEmail per recipient. Those are
counted apart, as per recipient, so the rest of the final path (stats included) is held
constant."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.services.results import match_result_submit
from tests.support.events import submission
from tests.support.rooms import LiveRoom, live_room

pytestmark = pytest.mark.django_db

# What one submit of a 25-team lobby measured when this was written (bench/README.md, "Submit
# path"): a change that adds statements must say why here.
MOST_PROVISIONAL = 24


PER_RECIPIENT = re.compile(
    r"core_notificationemailwindow|core_sentemail|^(RELEASE |ROLLBACK TO )?SAVEPOINT"
)


def _statements(room: LiveRoom, capture: Any, *, match: int, final: bool) -> int:
    with CaptureQueriesContext(connection) as ctx, capture(execute=True):
        match_result_submit(
            actor=room.host,
            match_id=room.matches[match].pk,
            submission=submission(room.rows(kills=3), final=final),
        )
    sql = [q["sql"] for q in ctx.captured_queries]
    if final:
        return sum(1 for q in sql if not PER_RECIPIENT.search(q))
    return len(sql)


def _costs(room: LiveRoom, capture: Any) -> list[int]:
    return [
        _statements(room, capture, match=0, final=False),  # the first result
        _statements(room, capture, match=0, final=False),  # a provisional correction
        _statements(room, capture, match=0, final=True),  # final: stats and notifications
        _statements(room, capture, match=0, final=True),  # a final result corrected
        _statements(room, capture, match=1, final=False),  # another match, history behind it
    ]


def test_a_submit_costs_the_same_statements_for_4_teams_and_for_25(
    django_capture_on_commit_callbacks: Any,
) -> None:
    small = _costs(live_room(teams=4, prefix="Small"), django_capture_on_commit_callbacks)
    large = _costs(live_room(teams=25, prefix="Large"), django_capture_on_commit_callbacks)
    assert small == large
    assert max(large[0], large[1], large[4]) <= MOST_PROVISIONAL, large
