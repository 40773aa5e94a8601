"""core/services/autofinish.py: with `auto_complete_rounds`, a round whose matches are final
completes by itself once the dispute window has passed and no dispute is open; the final
round's completion crowns the winner."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Match, Round, Tournament
from core.services.competition import group_create, match_create, round_create
from core.services.disputes import dispute_open, dispute_resolve
from core.services.results import match_result_submit
from core.services.schedule import tournament_schedule_sweep
from tests.factories import captain_of
from tests.support.events import logged, submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _final_played(auto: bool = True) -> tuple[Tournament, list, Round, Match]:
    t, field = live_tournament(
        teams=3, auto_complete_rounds=auto, prefix="Auto" if auto else "Manual"
    )
    final = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    group = group_create(
        actor=t.host, tournament=t, round_=final, name="A", team_ids=[f.pk for f in field]
    )
    match = match_create(actor=t.host, tournament=t, group=group)
    rows = [{"team": f.pk, "placement": i, "kills": 0} for i, f in enumerate(field, 1)]
    match_result_submit(actor=t.host, match_id=match.pk, submission=submission(rows, final=True))
    return t, field, final, match


def test_the_final_completes_itself_after_the_dispute_window() -> None:
    t, field, final, _ = _final_played()
    assert tournament_schedule_sweep(now=timezone.now())["rounds_completed"] == 0  # window open
    later = timezone.now() + timedelta(minutes=16)
    assert tournament_schedule_sweep(now=later)["rounds_completed"] == 1
    final.refresh_from_db()
    t.refresh_from_db()
    assert (final.status, final.winner_id, t.status) == ("completed", field[0].pk, "completed")
    assert [e["name"] for e in logged(t)][-2:] == ["winner", "tournament.status"]


def test_an_open_dispute_or_the_flag_off_keeps_the_round_open() -> None:
    t, field, _, match = _final_played()
    dispute = dispute_open(actor=captain_of(field[1]), match_id=match.pk, reason="No.", evidence=[])
    later = timezone.now() + timedelta(minutes=16)
    assert tournament_schedule_sweep(now=later)["rounds_completed"] == 0
    dispute_resolve(
        actor=t.host, match_id=match.pk, dispute_id=dispute.pk, accept=False, reason="Checked."
    )
    assert tournament_schedule_sweep(now=later)["rounds_completed"] == 1
    off, *_ = _final_played(auto=False)
    assert tournament_schedule_sweep(now=later)["rounds_completed"] == 0
    off.refresh_from_db()
    assert off.status == "live"
