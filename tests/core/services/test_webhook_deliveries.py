"""core/services/webhook_deliveries.py against a real HTTP receiver started by the test: the
signature verifies with the documented scheme, a 500 then a 200 is retried and delivered once,
a receiver that always fails gets its endpoint disabled (and the host notified), a 4xx is not
retried, a rolled-back change sends nothing. The clock is the service's, moved by the test."""

import hashlib
import hmac
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from core import tasks
from core.models import Notification, Tournament, WebhookDelivery, WebhookEndpoint
from core.rules.webhooks import verify_signature
from core.services import webhook_deliveries
from core.services.announcements import announcement_create
from core.services.webhook_deliveries import webhook_attempt, webhook_ping, webhooks_retry_due
from tests.support.receiver import Answer, receiver
from tests.support.tournaments import live_tournament
from tests.support.webhooks import Clock, deliveries, endpoint_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_receivers(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True  # the receiver listens on 127.0.0.1


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(webhook_deliveries, "clock", c)
    yield c


def announce(t: Any, message: str, on_commit: Any) -> None:
    with on_commit(execute=True):
        announcement_create(actor=t.host, tournament_id=t.pk, message=message)


def documented_verify(header: str, secret: str, raw_body: bytes, now: float) -> bool:
    """The receiver's check exactly as docs/webhooks.md gives it."""
    items = dict(part.split("=", 1) for part in header.split(","))
    timestamp, received = items["t"], items["v1"]
    if abs(now - int(timestamp)) > 300:
        return False
    signed = timestamp.encode() + b"." + raw_body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, received)


def test_a_delivery_is_signed_with_the_documented_scheme(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(200)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        announce(t, "Lobby opens at 8", django_capture_on_commit_callbacks)
    (got,) = r.received
    header = got.headers["X-Scrimverse-Signature"]
    assert documented_verify(header, endpoint.secret, got.body, time.time())
    assert verify_signature(
        header, secret=endpoint.secret, body=got.body.decode(), now=int(time.time())
    )
    assert not documented_verify(header, endpoint.secret, got.body + b" ", time.time())
    assert not documented_verify(header, "whsec_other", got.body, time.time())
    assert not documented_verify(header, endpoint.secret, got.body, time.time() + 301)
    body = got.json()
    assert body["type"] == "announcement" and body["data"]["message"] == "Lobby opens at 8"
    assert body["tournament"] == {"id": t.pk, "title": t.title}
    assert got.headers["X-Scrimverse-Event-Id"] == body["id"]
    (delivery,) = deliveries(endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_a_500_then_a_200_is_retried_with_backoff_and_delivered_once(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(500), Answer(200)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        announce(t, "Match 2 delayed", django_capture_on_commit_callbacks)
        (delivery,) = deliveries(endpoint)
        assert (delivery.status, delivery.attempts, delivery.last_error) == (
            "pending",
            1,
            "HTTP 500",
        )
        assert (delivery.next_attempt_at - clock.now).total_seconds() == 30
        clock.advance(29)
        assert tasks.webhooks_retry_due_task() == 0  # not due yet
        clock.advance(1)
        assert tasks.webhooks_retry_due_task() == 1
        for _ in range(3):  # later sweeps, a repeated job message, a repeated fan-out
            clock.advance(600)
            tasks.webhooks_retry_due_task()
            tasks.webhook_deliver(delivery_id=delivery.pk)
        tasks.webhooks_fan_out_task(tournament_id=t.pk, seqs=[1])
    assert len(r.received) == 2
    assert r.received[0].json()["id"] == r.received[1].json()["id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.enabled


def test_a_receiver_that_always_fails_gets_its_endpoint_disabled_and_the_host_told(
    clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 4
    t, _ = live_tournament(teams=2)
    with receiver(Answer(503)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        announce(t, "one", django_capture_on_commit_callbacks)
        announce(t, "two", django_capture_on_commit_callbacks)
        for _ in range(5):
            clock.advance(3600)
            with django_capture_on_commit_callbacks(execute=True):
                tasks.webhooks_retry_due_task()
        sent = len(r.received)
        clock.advance(3600)
        tasks.webhooks_retry_due_task()
        announce(t, "three", django_capture_on_commit_callbacks)
    assert sent == 4 and len(r.received) == 4  # nothing after the endpoint was disabled
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.consecutive_failures == 4
    assert "HTTP 503" in endpoint.disabled_reason
    assert {d.status for d in deliveries(endpoint)} == {"failed"}
    (note,) = Notification.objects.filter(user=t.host, kind="webhook.disabled")
    assert note.data == {"endpoint": endpoint.pk}


def test_an_endpoint_failing_for_a_day_is_disabled_whatever_the_count(clock: Clock) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(500)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            failing_since=clock.now.replace(year=clock.now.year - 1), consecutive_failures=1
        )
        delivery = webhook_ping(actor=t.host, endpoint_id=endpoint.pk)
        ping_status = webhook_attempt(delivery_id=delivery.pk, force=True)
        endpoint.refresh_from_db()
        assert ping_status == "failed" and endpoint.enabled  # a test ping never disables
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id="evt_x",
            event_type="announcement",
            payload={},
            next_attempt_at=clock.now,
            created_at=clock.now,
        )
        webhooks_retry_due()
    endpoint.refresh_from_db()
    assert not endpoint.enabled


def test_a_4xx_other_than_429_is_not_retried(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(410)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        announce(t, "gone", django_capture_on_commit_callbacks)
        clock.advance(7200)
        tasks.webhooks_retry_due_task()
    (delivery,) = deliveries(endpoint)
    assert len(r.received) == 1
    assert (delivery.status, delivery.last_status_code) == ("failed", 410)


def test_a_timeout_is_retried(
    clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.2
    t, _ = live_tournament(teams=2)
    with receiver(Answer(200)) as r:
        r.server.RequestHandlerClass.do_POST = lambda self: time.sleep(1)  # type: ignore[method-assign]
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        announce(t, "slow", django_capture_on_commit_callbacks)
    (delivery,) = deliveries(endpoint)
    assert delivery.status == "pending" and delivery.last_error.startswith("timeout")


def test_a_day_of_failures_gives_the_delivery_up(clock: Clock, settings: Any) -> None:
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 1000
    t, _ = live_tournament(teams=2)
    with receiver(Answer(500)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id="evt_y",
            event_type="announcement",
            payload={},
            next_attempt_at=clock.now,
            created_at=clock.now,
        )
        for _ in range(40):
            webhooks_retry_due()
            clock.advance(3600)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert 20 <= len(r.received) <= 30  # retried through the day, then given up


def test_a_rolled_back_change_sends_nothing(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    with receiver(Answer(200)) as r:
        endpoint = endpoint_for(t, r.url, events=["announcement"])
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            announcement_create(actor=t.host, tournament_id=t.pk, message="never")
            raise RuntimeError
    assert r.received == [] and deliveries(endpoint) == []


def test_only_subscribed_events_of_covered_tournaments_are_delivered(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    other, _ = live_tournament(teams=2, prefix="Other")
    Tournament.objects.filter(pk=other.pk).update(host=t.host)
    other.refresh_from_db()
    with receiver(Answer(200)) as r:
        endpoint_for(t, r.url, events=["winner"])
        scoped = endpoint_for(t, r.url, events=["announcement"])
        announce(other, "elsewhere", django_capture_on_commit_callbacks)
        announce(t, "here", django_capture_on_commit_callbacks)
    assert [g.json()["data"]["message"] for g in r.received] == ["here"]
    assert len(deliveries(scoped)) == 1
