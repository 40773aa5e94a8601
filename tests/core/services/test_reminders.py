"""Reminders by beat from the data (core/services/reminders.py): due ones only, each once per
user however often the beat runs (a unique constraint; two beats at once on PostgreSQL), and
the grouping of quiet kinds' emails (one per tournament per 10 minutes, in-app all)."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Match, Notification, NotificationEmailWindow
from core.services import notifications
from core.services.reminders import reminders_send
from tests.support.concurrency import run_at_once
from tests.support.notification_flows import _match, _players, _submit, email_kinds

pytestmark = pytest.mark.django_db


def _starting_in(minutes: int) -> tuple[list, Match]:
    _, field, match = _match()
    at = timezone.now() + timedelta(minutes=minutes)
    Match.objects.filter(pk=match.pk).update(scheduled_at=at)
    return _players(field), match


def test_only_matches_starting_within_15_minutes_are_reminded_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    soon, match = _starting_in(14)
    later, _ = _starting_in(16)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send()["match.starting"] == 2  # the two players of the soon one
        assert reminders_send()["match.starting"] == 0  # the next beat: already told
    rows = Notification.objects.filter(kind="match.starting")
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(u.pk for u in soon)
    assert {r.dedupe_key for r in rows} == {f"match.starting:m{match.pk}"}
    for user in soon:
        assert email_kinds(user.email) == ["match.starting"]
    assert all(email_kinds(u.email) == [] for u in later)
    # Sixteen minutes ahead becomes due two minutes later.
    assert reminders_send(now=timezone.now() + timedelta(minutes=2))["match.starting"] == 2


def test_the_dedupe_constraint_itself_refuses_a_second_reminder(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Even a sender that skips the pre-check (a beat that read before the other committed)
    creates nothing: the insert meets the unique constraint."""
    soon, match = _starting_in(10)
    key = f"match.starting:m{match.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        first = notifications.notifications_send(
            users=soon, kind="match.starting", title="t", dedupe_key=key
        )
        again = notifications.notifications_send(
            users=soon, kind="match.starting", title="t", dedupe_key=key
        )
    assert (len(first), again) == (2, [])
    assert len(mail.outbox) == 2


def test_result_emails_are_grouped_per_tournament_per_ten_minutes(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    t, field, match = _match()
    (player, *_) = _players(field)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(t, match, field)  # result.final: emailed, claims the window
        _submit(t, match, field, kills=2)  # result.corrected, same window: folded
        _submit(t, match, field, kills=3)
    kinds = Notification.objects.filter(user=player).values_list("kind", flat=True)
    assert sorted(kinds) == ["result.corrected", "result.corrected", "result.final"]  # in-app all
    assert email_kinds(player.email) == ["result.final"]
    assert NotificationEmailWindow.objects.filter(user=player).count() == 1
    # Ten minutes on, the next correction opens a new window and emails again.
    later = timezone.now() + timedelta(minutes=10)
    monkeypatch.setattr(notifications.timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(t, match, field, kills=4)
    assert email_kinds(player.email) == ["result.final", "result.corrected"]


def test_another_tournaments_results_have_their_own_window(
    django_capture_on_commit_callbacks: Any,
) -> None:
    one, field_one, match_one = _match()
    two, field_two, match_two = _match()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(one, match_one, field_one)
        _submit(two, match_two, field_two)
    assert email_kinds(_players(field_one)[0].email) == ["result.final"]
    assert email_kinds(_players(field_two)[0].email) == ["result.final"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_each_reminder_once() -> None:
    soon, _ = _starting_in(12)
    counts = run_at_once([reminders_send, reminders_send])
    assert sorted(c["match.starting"] for c in counts) == [0, 2], counts  # type: ignore[index]
    for user in soon:
        assert Notification.objects.filter(user=user, kind="match.starting").count() == 1
        assert email_kinds(user.email) == ["match.starting"]
