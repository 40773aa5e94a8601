"""Players are told once when their match's result is final (not on every correction)."""

import pytest

from core.models import Notification
from core.services.competition import group_create, match_create, round_create
from core.services.results import match_result_submit
from tests.core.competition.conftest import live_tournament
from tests.core.engine_helpers import submission


@pytest.mark.django_db
def test_final_result_notifies_the_groups_players_once() -> None:
    tournament, field = live_tournament(teams=3, roster=2)
    host = tournament.host
    round_ = round_create(actor=host, tournament=tournament, name="Final", is_final=True)
    group = group_create(
        actor=host, tournament=tournament, round_=round_, name="A", team_ids=[t.pk for t in field]
    )
    match = match_create(actor=host, tournament=tournament, group=group)
    rows = [{"team": t.pk, "placement": i, "kills": 1} for i, t in enumerate(field, start=1)]
    match_result_submit(actor=host, match_id=match.pk, submission=submission(rows))
    assert not Notification.objects.filter(kind="match.results").exists()  # provisional
    match_result_submit(actor=host, match_id=match.pk, submission=submission(rows, final=True))
    assert Notification.objects.filter(kind="match.results").count() == 6
    rows[0]["kills"] = 5
    match_result_submit(
        actor=host, match_id=match.pk, submission=submission(rows, final=True)
    )  # a correction
    assert Notification.objects.filter(kind="match.results").count() == 6
