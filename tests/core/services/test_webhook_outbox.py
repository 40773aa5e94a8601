"""The webhook outbox against a real HTTP receiver: a broker that refuses every message when a
change commits loses no delivery (the retry sweep makes it, exactly once), for the logged events
and for registrations alike; and an expiring registration (a payment that failed, a hold that
lapsed) sends its `registration` event like every other registration change."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from celery import current_app
from kombu.exceptions import OperationalError

from core import jobs, tasks
from core.models import Registration, TournamentEvent, WebhookDelivery
from core.services import registrations as svc
from core.services import webhook_deliveries
from core.services.announcements import announcement_create
from core.services.schedule import tournament_schedule_sweep
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.receiver import Answer, receiver
from tests.support.tournaments import live_tournament, roster_ids
from tests.support.webhooks import Clock, deliveries, endpoint_for

pytestmark = pytest.mark.django_db
R = Registration.Status


@pytest.fixture(autouse=True)
def _local_receivers(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver listens on 127.0.0.1


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(webhook_deliveries, "clock", c)
    yield c


@contextmanager
def broker_down() -> Any:
    """The webhook jobs' enqueues fail as kombu fails with the broker unreachable (other jobs,
    such as the confirmation e-mail, are another subject)."""
    refused = OperationalError("[Errno 111] Connection refused")
    webhook_jobs = (jobs.WEBHOOKS_FAN_OUT, jobs.WEBHOOK_DELIVER, jobs.WEBHOOKS_REGISTRATION)
    patched = mock.Mock(side_effect=refused)
    with ExitStack() as stack:
        for name in webhook_jobs:
            stack.enter_context(mock.patch.object(current_app.tasks[name], "apply_async", patched))
        yield patched


def test_an_event_committed_while_the_broker_is_down_is_delivered_once_by_the_sweep(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(200)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        with broker_down() as enqueue, django_capture_on_commit_callbacks(execute=True):
            announcement_create(actor=t.host, tournament_id=t.pk, message="Lobby at 8")
        assert enqueue.call_count == 1  # the fan-out job, refused
        assert deliveries(endpoint) == [] and r.received == []
        event = TournamentEvent.objects.get(tournament=t, name="announcement")
        assert event.webhooks_pending
        clock.now = event.created_at + timedelta(seconds=29)
        assert tasks.webhooks_retry_due_task() == 0  # within the grace: its job may still run
        clock.advance(2)
        assert tasks.webhooks_retry_due_task() == 1
        for _ in range(3):  # later sweeps find nothing more to make or send
            clock.advance(600)
            assert tasks.webhooks_retry_due_task() == 0
    (got,) = r.received
    assert got.json()["id"] == f"evt_{t.pk}_{event.seq}"
    assert got.json()["data"]["message"] == "Lobby at 8"
    event.refresh_from_db()
    assert not event.webhooks_pending
    (delivery,) = deliveries(endpoint)
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def test_a_registration_committed_while_the_broker_is_down_is_delivered_once(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t = TournamentFactory()
    team = team_with_roster()
    with receiver(Answer(200)) as r:
        endpoint = endpoint_for(t, r.url, events=["registration"])
        with broker_down(), django_capture_on_commit_callbacks(execute=True):
            svc.registration_create(
                actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
            )
        # The delivery is a row of the registration's own transaction; only its send was lost.
        (delivery,) = deliveries(endpoint)
        assert (delivery.status, delivery.attempts, r.received) == ("pending", 0, [])
        assert tasks.webhooks_retry_due_task() == 1
        clock.advance(600)
        assert tasks.webhooks_retry_due_task() == 0
    (got,) = r.received
    assert (got.json()["type"], got.json()["data"]["status"]) == ("registration", "confirmed")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)


def _register(t: Any) -> Registration:
    team = team_with_roster()
    return svc.registration_create(
        actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
    )


def test_an_expiring_registration_sends_its_registration_event(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t = TournamentFactory(max_teams=2, entry_fee=5000)
    seated, other, waiting = _register(t), _register(t), _register(t)
    assert (seated.status, waiting.status) == (R.PENDING_PAYMENT, R.WAITLISTED)
    with receiver(Answer(200)) as r:
        endpoint_for(t, r.url, events=["registration"])
        with django_capture_on_commit_callbacks(execute=True):
            svc.registration_release_hold(registration=seated)  # its payment failed
        waiting.refresh_from_db()
        assert waiting.status == R.PENDING_PAYMENT  # promoted: a hold of its own
        with django_capture_on_commit_callbacks(execute=True):
            tournament_schedule_sweep(now=waiting.hold_expires_at + timedelta(seconds=1))
    bodies = [g.json() for g in r.received]
    assert [(b["type"], b["data"]["registration"], b["data"]["status"]) for b in bodies] == [
        ("registration", seated.pk, R.EXPIRED),  # the failed payment
        ("registration", other.pk, R.EXPIRED),  # the sweep: the other seat's hold lapsed too
        ("registration", waiting.pk, R.EXPIRED),  # and the promoted team's
    ]
    assert bodies[2]["data"]["team"]["id"] == waiting.team_id
    assert WebhookDelivery.objects.filter(event_type="registration").count() == 3
