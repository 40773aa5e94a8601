"""Webhook deliveries: created after commit from the committed events, POSTed by Celery with a
signature, retried with backoff for a day, recorded, and an endpoint that keeps failing is
disabled with a notification to its owner (docs/webhooks.md).

Each attempt first claims its delivery with a conditional UPDATE (pending, due, endpoint enabled
and not paused), which also pushes `next_attempt_at` a lease ahead: two workers, or a worker and
the retry sweep, never POST the same delivery at once, and one killed mid-POST is retried when
the lease lapses (at least once; the event id lets a receiver drop a repeat). `clock` is the one
source of "now" here, so tests drive retries and rate limits without sleeping.
"""

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpcore
import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import jobs
from core.events import format_at
from core.models import Registration, Tournament, TournamentEvent, WebhookDelivery, WebhookEndpoint
from core.rules import webhooks as rules

from .notifications import notifications_send
from .webhook_payloads import WebhookEvent, final_matches, outgoing_for, ping_payload
from .webhooks import webhook_endpoint_get, webhook_url_pin

log = logging.getLogger(__name__)
DStatus = WebhookDelivery.Status
LEASE = timedelta(minutes=2)
# An outbox event this old still without deliveries lost its fan-out job (the broker refused it,
# or the worker died): the retry sweep fans it out (deliveries are unique per endpoint and event).
OUTBOX_GRACE = timedelta(seconds=30)
READ_LIMIT = 64 * 1024
USER_AGENT = "Scrimverse-Webhooks/1.0"


def clock() -> datetime:
    return timezone.now()


def endpoints_listening(tournament_id: int) -> list[WebhookEndpoint]:
    """The enabled endpoints of the tournament's host that cover it (theirs, or all theirs)."""
    return list(
        WebhookEndpoint.objects.filter(enabled=True, owner__hosted_tournaments__id=tournament_id)
        .filter(Q(tournament__isnull=True) | Q(tournament_id=tournament_id))
        .order_by("id")
    )


def webhooks_fan_out(*, tournament_id: int, seqs: list[int]) -> int:
    """After commit: the deliveries of these logged events; returns how many were new."""
    rows = TournamentEvent.objects.filter(tournament_id=tournament_id, seq__in=seqs).order_by("seq")
    events = [
        WebhookEvent(f"evt_{tournament_id}_{seq}", name, format_at(at), json.loads(data))
        for seq, name, at, data in rows.values_list("seq", "name", "created_at", "data")
    ]
    # The deliveries and the outbox flag's clearing commit together; the sends go after.
    with transaction.atomic():
        new = _fan_out(tournament_id, events)
        rows.filter(webhooks_pending=True).update(webhooks_pending=False)
    return new


def webhooks_outbox_sweep(*, limit: int = 500) -> int:
    """The events whose fan-out never ran (past OUTBOX_GRACE): fan them out now; returns how
    many events were taken."""
    pending = list(
        TournamentEvent.objects.filter(
            webhooks_pending=True, created_at__lte=clock() - OUTBOX_GRACE
        )
        .order_by("created_at")
        .values_list("tournament_id", "seq")[:limit]
    )
    by_tournament: dict[int, list[int]] = {}
    for tournament_id, seq in pending:
        by_tournament.setdefault(tournament_id, []).append(seq)
    for tournament_id, seqs in by_tournament.items():
        webhooks_fan_out(tournament_id=tournament_id, seqs=seqs)
    return len(pending)


def webhooks_registration_emit(registration: Registration, tournament: Tournament) -> None:
    """Inside the transaction that changed the registration: its `registration` event goes to
    the webhooks once that commits (nothing after a rollback). No job at all when no endpoint of
    the host listens to registrations."""
    if not any("registration" in e.events for e in endpoints_listening(tournament.pk)):
        return
    team = registration.team
    data = {
        "registration": registration.pk,
        "team": {"id": team.pk, "name": team.name, "tag": team.tag},
        "status": registration.status,
    }
    # The outbox: the deliveries are rows of this very transaction (a broker down at commit
    # loses nothing: their sends are due at once, and the retry sweep makes them).
    event = WebhookEvent(f"reg_{uuid.uuid4().hex}", "registration", format_at(clock()), data)
    _fan_out(tournament.pk, [event])


def webhooks_registration_fan_out(
    *, tournament_id: int, event_id: str, at: str, data: dict[str, Any]
) -> int:
    """A job queued by an older release (registrations now write their deliveries in the
    change's transaction): still honoured, once per endpoint and event."""
    return _fan_out(tournament_id, [WebhookEvent(event_id, "registration", at, data)])


def _fan_out(tournament_id: int, events: list[WebhookEvent]) -> int:
    endpoints = endpoints_listening(tournament_id)
    tournament = Tournament.objects.filter(pk=tournament_id).first()
    if not endpoints or tournament is None or not events:
        return 0
    finals = final_matches(events)
    now, new = clock(), []
    for endpoint in endpoints:
        for item in outgoing_for(endpoint, tournament, events, finals):
            new.append(_delivery(endpoint, item.event_id, item.event_type, item.payload, now))
            new[-1].tournament = tournament
    created = WebhookDelivery.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(
        WebhookDelivery.objects.filter(
            created_at=now, endpoint__in=endpoints, event_id__in={d.event_id for d in created}
        ).values_list("pk", flat=True)
    )
    for delivery_id in ids:  # due at once: the retry sweep sends what the broker refuses
        jobs.enqueue_after_commit_or_log(jobs.WEBHOOK_DELIVER, delivery_id=delivery_id)
    return len(ids)


def _delivery(
    endpoint: WebhookEndpoint, event_id: str, event_type: str, payload: Any, now: datetime
) -> WebhookDelivery:
    return WebhookDelivery(
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        payload=payload,
        next_attempt_at=now,
        created_at=now,
    )


def webhook_ping(*, actor: Any, endpoint_id: int) -> WebhookDelivery:
    """A test delivery to one endpoint (enabled or not: a host checks a fix before enabling)."""
    endpoint = webhook_endpoint_get(actor=actor, endpoint_id=endpoint_id)
    now, event_id = clock(), f"ping_{uuid.uuid4().hex}"
    delivery = _delivery(
        endpoint, event_id, "ping", ping_payload(endpoint, event_id, format_at(now)), now
    )
    delivery.save()
    jobs.enqueue_after_commit(jobs.WEBHOOK_DELIVER, delivery_id=delivery.pk, force=True)
    return delivery


def webhooks_retry_due(*, limit: int = 200) -> list[int]:
    """The periodic sweep: fan out the outbox's lost events, then enqueue every pending delivery
    that is due (a send the broker never took included); returns their ids."""
    webhooks_outbox_sweep()
    now = clock()
    due = list(
        WebhookDelivery.objects.filter(
            status=DStatus.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
        )
        .filter(Q(endpoint__paused_until__isnull=True) | Q(endpoint__paused_until__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for delivery_id in due:
        jobs.enqueue(jobs.WEBHOOK_DELIVER, delivery_id=delivery_id)
    return due


def _claim(delivery_id: int, now: datetime, *, force: bool) -> WebhookDelivery | None:
    qs = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DStatus.PENDING, next_attempt_at__lte=now
    )
    if not force:
        qs = qs.filter(endpoint__enabled=True)
    qs = qs.filter(Q(endpoint__paused_until__isnull=True) | Q(endpoint__paused_until__lte=now))
    if not qs.update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE):
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def webhook_attempt(*, delivery_id: int, force: bool = False) -> str | None:
    """One attempt at a delivery, if it is due and still pending; returns the delivery's new
    status (None when there was nothing to do). Never raises for the receiver's failures."""
    now = clock()
    delivery = _claim(delivery_id, now, force=force)
    if delivery is None:
        return None
    outcome = _post(delivery, now)
    return _record(delivery, outcome, clock())


def _headers(delivery: WebhookDelivery, body: str, now: datetime) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Scrimverse-Event": delivery.event_type,
        "X-Scrimverse-Event-Id": delivery.event_id,
        "X-Scrimverse-Delivery": str(delivery.pk),
        rules.SIGNATURE_HEADER: rules.signature_header(
            delivery.endpoint.secret, int(now.timestamp()), body
        ),
    }


class Outcome:
    """What one POST came to: `kind` is delivered, rate_limited, retry or permanent."""

    def __init__(
        self, kind: str, *, code: int | None = None, error: str = "", wait: float | None = None
    ) -> None:
        self.kind, self.code, self.error, self.wait = kind, code, error[:300], wait


def _read_json(response: httpx.Response) -> Any:
    raw = b""
    for chunk in response.iter_bytes():
        raw += chunk
        if len(raw) > READ_LIMIT:
            break
    try:
        return json.loads(raw[:READ_LIMIT] or b"null")
    except ValueError:
        return None


def _post(delivery: WebhookDelivery, now: datetime) -> Outcome:
    endpoint = delivery.endpoint
    address, refused = webhook_url_pin(endpoint.url)
    if refused:
        return Outcome("permanent", error=refused)
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False)
    timeout = httpx.Timeout(settings.WEBHOOK_TIMEOUT_SECONDS)
    options = {"timeout": timeout, "follow_redirects": False, "trust_env": False}
    try:
        with httpx.Client(transport=_transport(address), **options) as client:
            request = client.build_request(
                "POST", endpoint.url, content=body.encode(), headers=_headers(delivery, body, now)
            )
            response = client.send(request, stream=True)
            try:
                return _classify(response)
            finally:
                response.close()
    except httpx.TimeoutException as exc:
        return Outcome("retry", error=f"timeout: {type(exc).__name__}")
    except httpx.HTTPError as exc:
        return Outcome("retry", error=f"connection error: {type(exc).__name__}: {exc}")


class _PinnedBackend(httpcore.SyncBackend):
    """Connects to the address the check approved, whatever the host name: the URL (so the
    Host header, TLS SNI and certificate check) keeps the name, only the TCP connect is pinned."""

    def __init__(self, address: str) -> None:
        self.address = address

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        return super().connect_tcp(self.address, port, *args, **kwargs)


def _transport(address: str | None) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport()
    if address is not None:
        # httpx takes no network backend; its pool does (the rebinding test proves it is used).
        transport._pool._network_backend = _PinnedBackend(address)
    return transport


def _classify(response: httpx.Response) -> Outcome:
    code = response.status_code
    headers = dict(response.headers)
    if 200 <= code < 300:
        # Discord says when its bucket is empty: the next message waits for the reset.
        empty = headers.get("x-ratelimit-remaining") == "0"
        reset = {"X-RateLimit-Reset-After": headers.get("x-ratelimit-reset-after", "")}
        wait = rules.retry_after_seconds(None, reset) if empty else None
        return Outcome("delivered", code=code, wait=wait)
    if code == 429:
        wait = rules.retry_after_seconds(_read_json(response), headers)
        return Outcome("rate_limited", code=code, error="429 rate limited", wait=wait)
    if code >= 500 or code == 408:
        return Outcome("retry", code=code, error=f"HTTP {code}")
    return Outcome("permanent", code=code, error=f"HTTP {code}: not retried")


def _record(delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> str:
    endpoint, ping = delivery.endpoint, delivery.event_type == "ping"
    fields: dict[str, Any] = {"last_status_code": outcome.code, "last_error": outcome.error}
    if outcome.kind == "delivered":
        fields |= {"status": DStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    else:
        wait = timedelta(seconds=outcome.wait) if outcome.wait is not None else None
        if outcome.kind == "rate_limited":
            wait = wait or rules.backoff(delivery.attempts)
            _pause(endpoint, now + wait)
        elif outcome.kind == "retry":
            wait = rules.backoff(delivery.attempts)
        gives_up = wait is None or ping or now + wait > delivery.created_at + rules.GIVE_UP_AFTER
        fields |= (
            {"status": DStatus.FAILED, "next_attempt_at": None}
            if gives_up
            else {"next_attempt_at": now + wait}
        )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    if outcome.kind == "delivered":
        if outcome.wait:  # the receiver's bucket is empty: the next message waits for it
            _pause(endpoint, now + timedelta(seconds=outcome.wait))
        if not ping:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=0, failing_since=None
            )
    elif outcome.kind != "rate_limited" and not ping:
        _endpoint_failed(endpoint, now, outcome.error)
    log.info(
        "webhook delivery=%s endpoint=%s attempt=%s outcome=%s code=%s",
        delivery.pk,
        endpoint.pk,
        delivery.attempts,
        outcome.kind,
        outcome.code,
    )
    return fields.get("status", DStatus.PENDING)


def _pause(endpoint: WebhookEndpoint, until: datetime) -> None:
    """No attempt to this endpoint before `until` (an existing longer pause stands)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).filter(
        Q(paused_until__isnull=True) | Q(paused_until__lt=until)
    ).update(paused_until=until)


def _endpoint_failed(endpoint: WebhookEndpoint, now: datetime, error: str) -> None:
    """Count the failure; past the limit (or a day of failing) disable the endpoint, once, and
    tell its owner."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1,
        failing_since=Coalesce(F("failing_since"), now),
    )
    limit = settings.WEBHOOK_DISABLE_AFTER_FAILURES
    reason = f"Disabled after failing deliveries: {error}"[:300]
    with transaction.atomic():
        disabled = (
            WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True)
            .filter(
                Q(consecutive_failures__gte=limit) | Q(failing_since__lte=now - rules.GIVE_UP_AFTER)
            )
            .update(enabled=False, disabled_reason=reason)
        )
        if not disabled:
            return
        WebhookDelivery.objects.filter(endpoint=endpoint, status=DStatus.PENDING).update(
            status=DStatus.FAILED, next_attempt_at=None, last_error="endpoint disabled"
        )
        notifications_send(
            users=[endpoint.owner],
            kind="webhook.disabled",
            title="A webhook endpoint was disabled",
            body=f"{endpoint.url} kept failing ({error}). Fix it, then enable it again.",
            data={"endpoint": endpoint.pk},
        )
