"""core/services/checkin.py and the check-in close (tournament_state.checkin_close_if_due, the
sweep): the window by the clock, check-in and undo, no-shows at the close replaced from the
waitlist, and the `registration.status` events the room gets."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Registration, Team, Tournament
from core.services import registrations as reg_svc
from core.services.checkin import registration_check_in
from core.services.schedule import tournament_schedule_sweep
from tests.factories import TournamentFactory, UserFactory, captain_of, team_with_roster
from tests.support.events import logged
from tests.support.tournaments import roster_ids

pytestmark = pytest.mark.django_db
R = Registration.Status


def _tournament(**kw: Any) -> Tournament:
    now = timezone.now()
    return TournamentFactory(
        checkin_opens_at=now - timedelta(minutes=10),
        checkin_closes_at=now + timedelta(minutes=30),
        **kw,
    )


def _register(t: Tournament, team: Team | None = None) -> Registration:
    team = team or team_with_roster()
    return reg_svc.registration_create(
        actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
    )


def _status_events(t: Tournament) -> list[dict[str, Any]]:
    return [e["data"] for e in logged(t) if e["name"] == "registration.status"]


def test_check_in_and_undo_in_the_window_are_announced() -> None:
    t = _tournament()
    reg = _register(t)
    captain = captain_of(reg.team)
    checked = registration_check_in(actor=captain, tournament=t)
    assert checked.checked_in_at is not None
    again = registration_check_in(actor=captain, tournament=t)  # repeating changes nothing
    assert again.checked_in_at == checked.checked_in_at
    undone = registration_check_in(actor=captain, tournament=t, undo=True)
    assert undone.checked_in_at is None
    assert _status_events(t) == [
        {"registration": reg.pk, "team": reg.team_id, "status": "confirmed", "checked_in": True},
        {"registration": reg.pk, "team": reg.team_id, "status": "confirmed", "checked_in": False},
    ]


def test_check_in_before_and_after_the_window_is_refused() -> None:
    now = timezone.now()
    t = _tournament()
    reg = _register(t)
    captain = captain_of(reg.team)
    Tournament.objects.filter(pk=t.pk).update(checkin_opens_at=now + timedelta(minutes=5))
    with pytest.raises(Conflict) as early:
        registration_check_in(actor=captain, tournament=t)
    assert early.value.code == "checkin_closed" and "opens at" in early.value.message
    Tournament.objects.filter(pk=t.pk).update(
        checkin_opens_at=now - timedelta(hours=1), checkin_closes_at=now - timedelta(seconds=1)
    )
    with pytest.raises(Conflict) as late:
        registration_check_in(actor=captain, tournament=t)
    assert late.value.code == "checkin_closed"


def test_no_window_and_strangers_are_refused() -> None:
    t = TournamentFactory()
    reg = _register(t)
    with pytest.raises(Conflict, match="no check-in"):
        registration_check_in(actor=captain_of(reg.team), tournament=t)
    other = _tournament()
    with pytest.raises(NotFound):  # no confirmed team of theirs
        registration_check_in(actor=UserFactory(), tournament=other)
    stranger_team = team_with_roster()
    with pytest.raises(PermissionDenied):
        registration_check_in(actor=UserFactory(), tournament=other, team=stranger_team)


def test_the_close_marks_no_shows_once_and_gives_their_seats_to_the_waitlist() -> None:
    t = _tournament(max_teams=2)
    present, absent = _register(t), _register(t)
    queued = _register(t)
    assert queued.status == R.WAITLISTED
    registration_check_in(actor=captain_of(present.team), tournament=t)
    later = timezone.now() + timedelta(hours=1)
    counts = tournament_schedule_sweep(now=later)
    assert counts["checkins_closed"] == 1
    assert tournament_schedule_sweep(now=later)["checkins_closed"] == 0  # once
    for r in (present, absent, queued):
        r.refresh_from_db()
    assert (present.status, absent.status, queued.status) == (R.CONFIRMED, R.NO_SHOW, R.CONFIRMED)
    assert not absent.players.filter(active=True).exists()
    events = _status_events(t)
    assert {"registration": absent.pk, "team": absent.team_id, "status": "no_show"} == {
        k: events[-2][k] for k in ("registration", "team", "status")
    }
    assert events[-1]["registration"] == queued.pk and events[-1]["status"] == "confirmed"
