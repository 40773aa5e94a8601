"""core/tasks.py: the email task (retried on SMTP errors, bounded, with backoff, acknowledged
late) and the periodic schedule sweep."""

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from config.celery import app as celery_app
from core import tasks
from core.models import Registration, Tournament
from core.services import emails
from core.services.registrations import registration_create
from core.tasks import tournaments_sync_schedule
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.tournaments import roster_ids

S = Tournament.Status


@pytest.mark.django_db
def test_smtp_errors_are_retried_then_the_email_is_sent_once(monkeypatch: Any) -> None:
    real = emails.deliver_email
    attempts = []

    def flaky(**kwargs: Any) -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("try again")
        real(**kwargs)

    monkeypatch.setattr(emails, "deliver_email", flaky)
    # Propagating would raise celery's Retry to the caller; a worker re-runs the task instead,
    # and so does eager mode when it does not propagate.
    celery_app.conf.task_eager_propagates = False
    try:
        tasks.send_email.delay(template="welcome", to="a@example.com", context={"name": "A"})
    finally:
        celery_app.conf.task_eager_propagates = True
    assert len(attempts) == 3
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.com"]


def test_the_task_is_acked_late_with_bounded_backoff() -> None:
    task = tasks.send_email
    assert task.acks_late is True
    assert task.max_retries == 8 and task.retry_backoff
    assert smtplib.SMTPException in task.autoretry_for


@pytest.mark.django_db
def test_the_periodic_task_moves_statuses_and_expires_holds() -> None:
    now = timezone.now()
    to_open = TournamentFactory(status=S.PUBLISHED)
    to_close = TournamentFactory(
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(minutes=1),
    )
    held = TournamentFactory(entry_fee=5000)
    team = team_with_roster()
    registration = registration_create(
        actor=captain_of(team), tournament=held, team=team, players=roster_ids(team)
    )
    Registration.objects.filter(pk=registration.pk).update(
        hold_expires_at=now - timedelta(seconds=1)
    )
    counts = tournaments_sync_schedule.delay().get()
    assert counts == {
        "published": 0,
        "opened": 1,
        "closed": 1,
        "holds_expired": 1,
        "checkins_closed": 0,
        "rounds_completed": 0,
    }
    to_open.refresh_from_db()
    to_close.refresh_from_db()
    registration.refresh_from_db()
    assert (to_open.status, to_close.status) == (S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED)
    assert registration.status == Registration.Status.EXPIRED
    assert not registration.players.filter(active=True).exists()
    # Running again changes nothing.
    assert tournaments_sync_schedule.delay().get() == dict.fromkeys(counts, 0)
