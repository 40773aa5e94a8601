"""core/hooks.py: what core lets realtime and billing fill in. `install` / `restore` swap hooks
(and only known ones); with every hook unset core still works (events only logged, plans paid,
no payment, nothing refunded); set, the after-commit hooks run after commit and never after a
rollback."""

from typing import Any

import pytest
from django.db import transaction

from core import hooks
from core.models import Notification, Registration, Tournament
from tests.factories import TournamentFactory, UserFactory


def test_install_returns_what_restore_puts_back() -> None:
    first = hooks.current()

    def checker(tournament: Tournament) -> bool:
        return False

    previous = hooks.install(plan_fee_paid=checker)
    assert previous is first and hooks.current().plan_fee_paid is checker
    assert hooks.current().publish_events is first.publish_events  # the others are kept
    cleared = hooks.install(plan_fee_paid=None)
    assert cleared.plan_fee_paid is checker and hooks.current().plan_fee_paid is None
    hooks.restore(previous)
    assert hooks.current() is first


def test_only_known_hooks_can_be_installed() -> None:
    before = hooks.current()
    with pytest.raises(TypeError):
        hooks.install(publish_everything=print)
    assert hooks.current() is before


@pytest.mark.usefixtures("hooks_unset")
def test_defaults_when_unset(django_capture_on_commit_callbacks: Any) -> None:
    tournament, registration = Tournament(pk=1), Registration(pk=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        hooks.publish_events(1, ["an event"])  # logged only
        hooks.push_notification_after_commit(Notification(pk=1))
        hooks.registration_withdrawn_after_commit(registration)
        hooks.tournament_cancelled_after_commit(tournament)
    assert callbacks == []  # nothing was even scheduled
    assert hooks.plan_fee_paid(tournament) is True
    assert hooks.plan_fee_payment(UserFactory.build(), tournament) is None
    assert hooks.entry_fee_payment(registration) is None
    assert hooks.readiness_checks() == ()


def test_set_hooks_are_called_with_cores_objects() -> None:
    calls: list[tuple[str, Any]] = []
    tournament, registration, user = Tournament(pk=7), Registration(pk=8), UserFactory.build()
    previous = hooks.install(
        publish_events=lambda tid, events: calls.append(("publish", (tid, list(events)))),
        plan_fee_paid=lambda t: 0,  # falsy: read as a bool
        plan_fee_payment=lambda u, t: {"for": (u, t.pk)},
        entry_fee_payment=lambda r: {"registration": r.pk},
    )
    try:
        hooks.publish_events(7, ["e1", "e2"])
        assert hooks.plan_fee_paid(tournament) is False
        assert hooks.plan_fee_payment(user, tournament) == {"for": (user, 7)}
        assert hooks.entry_fee_payment(registration) == {"registration": 8}
    finally:
        hooks.restore(previous)
    assert calls == [("publish", (7, ["e1", "e2"]))]


@pytest.mark.django_db(transaction=True)
def test_after_commit_hooks_wait_for_the_commit_and_skip_a_rollback() -> None:
    seen: list[tuple[str, int]] = []
    previous = hooks.install(
        push_notification=lambda n: seen.append(("push", n.pk)),
        registration_withdrawn=lambda r: seen.append(("withdrawn", r.pk)),
        tournament_cancelled=lambda t: seen.append(("cancelled", t.pk)),
    )
    t = TournamentFactory()
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            hooks.tournament_cancelled_after_commit(t)
            raise RuntimeError("rolled back")
        with transaction.atomic():
            hooks.push_notification_after_commit(Notification(pk=1))
            hooks.registration_withdrawn_after_commit(Registration(pk=2))
            hooks.tournament_cancelled_after_commit(t)
            assert seen == []
    finally:
        hooks.restore(previous)
    assert seen == [("push", 1), ("withdrawn", 2), ("cancelled", t.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_failing_pusher_does_not_fail_the_commit() -> None:
    def broken(notification: Notification) -> None:
        raise ConnectionError("layer down")

    previous = hooks.install(push_notification=broken)
    try:
        with transaction.atomic():
            hooks.push_notification_after_commit(Notification(pk=1))
            t = TournamentFactory()
    finally:
        hooks.restore(previous)
    assert Tournament.objects.filter(pk=t.pk).exists()
