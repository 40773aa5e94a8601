"""core/services/seats.py: the waitlist's order and positions, and a freed seat going to its
head whatever freed it (a withdrawal, a rejection, a disqualification, a lapsed payment hold, a
no-show is in test_checkin.py): free entry confirmed at once, paid entry a payment hold with an
email and a notification, and the next in line when that hold lapses."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification, Registration, Team, Tournament
from core.selectors.tournaments import registration_detail
from core.services import registrations as svc
from core.services.schedule import tournament_schedule_sweep
from core.services.tournaments import tournament_start
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.tournaments import roster_ids

pytestmark = pytest.mark.django_db
R = Registration.Status


def _register(t: Tournament, team: Team | None = None) -> Registration:
    team = team or team_with_roster()
    return svc.registration_create(
        actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
    )


def _full(entry_fee: int = 0, waiting: int = 2) -> tuple[Tournament, list, list]:
    t = TournamentFactory(max_teams=2, entry_fee=entry_fee)
    seated = [_register(t), _register(t)]
    queue = [_register(t) for _ in range(waiting)]
    return t, seated, queue


def _status(r: Registration) -> str:
    r.refresh_from_db()
    return r.status


def test_a_full_tournament_queues_teams_in_order_with_their_positions() -> None:
    t, _, queue = _full(waiting=3)
    positions = [registration_detail(pk=r.pk).waitlist_ahead + 1 for r in queue]
    assert [r.status for r in queue] == [R.WAITLISTED] * 3
    assert positions == [1, 2, 3]
    assert Registration.objects.filter(tournament=t, status__in=R.values[:2]).count() == 2


def test_a_withdrawal_confirms_the_head_of_a_free_waitlist(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t, seated, queue = _full()
    with django_capture_on_commit_callbacks(execute=True):
        svc.registration_withdraw(actor=captain_of(seated[0].team), tournament=t)
    assert (_status(queue[0]), _status(queue[1])) == (R.CONFIRMED, R.WAITLISTED)
    assert registration_detail(pk=queue[1].pk).waitlist_ahead == 0  # now first in line
    # The captain and the roster are told (docs/notifications.md): one email each.
    roster = {p.user.email for p in queue[0].players.all()} | {queue[0].registered_by.email}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(roster)
    waitlisted, note = Notification.objects.filter(user=queue[0].registered_by).order_by("pk")
    assert (waitlisted.kind, note.kind) == ("registration.waitlisted", "registration.promoted")


@pytest.mark.parametrize("action", ["reject", "disqualify"])
def test_a_rejection_or_disqualification_frees_the_seat_for_the_head(action: str) -> None:
    t, seated, queue = _full()
    svc.registration_moderate(
        actor=t.host, tournament=t, registration_id=seated[1].pk, action=action, reason="Rules"
    )
    assert (_status(queue[0]), _status(queue[1])) == (R.CONFIRMED, R.WAITLISTED)


def test_a_paid_entry_gets_a_hold_and_the_next_in_line_when_it_lapses(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _, seated, queue = _full(entry_fee=5000)
    with django_capture_on_commit_callbacks(execute=True):
        svc.registration_release_hold(registration=seated[0])  # a payment abandoned
    queue[0].refresh_from_db()
    assert queue[0].status == R.PENDING_PAYMENT and queue[0].hold_expires_at is not None
    assert mail.outbox[-1].to == [queue[0].registered_by.email]
    assert "pay by" in mail.outbox[-1].subject
    assert Notification.objects.filter(
        user=queue[0].registered_by, kind="registration.promoted"
    ).exists()
    later = queue[0].hold_expires_at + timedelta(seconds=1)
    counts = tournament_schedule_sweep(now=later)
    assert counts["holds_expired"] >= 1
    assert (_status(queue[0]), _status(queue[1])) == (R.EXPIRED, R.PENDING_PAYMENT)


def test_the_start_closes_the_waitlist() -> None:
    t, _, queue = _full()
    tournament_start(actor=t.host, tournament=t)
    assert _status(queue[0]) == R.EXPIRED
    assert not queue[0].players.filter(active=True).exists()


def test_a_waitlisted_team_may_leave_the_queue_after_registration_closes() -> None:
    t, _, queue = _full()
    Tournament.objects.filter(pk=t.pk).update(
        registration_closes_at=timezone.now() - timedelta(seconds=1)
    )
    left = svc.registration_withdraw(actor=captain_of(queue[0].team), tournament=t)
    assert left.status == R.WITHDRAWN


def _free_a_seat(kind: str, t: Tournament, seated: list[Registration]) -> None:
    """Free the first seat the way `kind` says (each goes through its own service)."""
    target = seated[0]
    if kind == "withdrawal":
        svc.registration_withdraw(actor=captain_of(target.team), tournament=t)
    elif kind in ("rejection", "disqualification"):
        action = "reject" if kind == "rejection" else "disqualify"
        svc.registration_moderate(
            actor=t.host, tournament=t, registration_id=target.pk, action=action, reason="Rules"
        )
    elif kind == "lapsed hold":
        Registration.objects.filter(pk=target.pk).update(
            status=R.PENDING_PAYMENT, hold_expires_at=timezone.now() - timedelta(seconds=1)
        )
        tournament_schedule_sweep()
    elif kind == "no-show":
        now = timezone.now()
        Tournament.objects.filter(pk=t.pk).update(
            checkin_opens_at=now - timedelta(hours=1), checkin_closes_at=now + timedelta(hours=1)
        )
        Registration.objects.filter(pk=seated[1].pk).update(checked_in_at=now)
        tournament_schedule_sweep(now=now + timedelta(hours=2))


@pytest.mark.parametrize(
    "kind", ["withdrawal", "rejection", "disqualification", "lapsed hold", "no-show"]
)
@pytest.mark.parametrize("entry_fee", [0, 5000])
def test_every_kind_of_freed_seat_goes_to_the_head(kind: str, entry_fee: int) -> None:
    t, seated, queue = _full()  # seated and queued free; the fee applies to the promotion
    Tournament.objects.filter(pk=t.pk).update(entry_fee=entry_fee)
    t.refresh_from_db()
    _free_a_seat(kind, t, seated)
    head = registration_detail(pk=queue[0].pk)
    assert head.status == (R.CONFIRMED if entry_fee == 0 else R.PENDING_PAYMENT), kind
    assert (head.hold_expires_at is not None) == (entry_fee > 0)
    assert _status(queue[1]) == R.WAITLISTED
    holding = Registration.objects.filter(tournament=t, status__in=Registration.SEAT_HOLDING)
    assert holding.count() == 2
