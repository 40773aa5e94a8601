"""Webhook tests' helpers: a controllable clock for the delivery service, an endpoint for a
tournament's host, and Discord's documented message limits checked independently of the code
under test."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from core.models import Tournament, WebhookDelivery, WebhookEndpoint
from core.services import webhook_deliveries
from core.services.webhooks import webhook_endpoint_create


class Clock:
    def __init__(self) -> None:
        self.now: datetime = timezone.now().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(webhook_deliveries, "clock", c)
    yield c


def endpoint_for(
    tournament: Tournament, url: str, *, kind: str = "generic", events: list[str] | None = None
) -> WebhookEndpoint:
    return webhook_endpoint_create(
        actor=tournament.host,
        url=url,
        kind=kind,
        events=events or list(WebhookEndpoint.EVENTS),
        tournament_id=tournament.pk,
    )


def deliveries(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(endpoint=endpoint).order_by("id"))


def discord_violations(body: dict[str, Any]) -> list[str]:
    """Discord's execute-webhook limits, written out here on their own: content ≤ 2000, ≤ 10
    embeds, title ≤ 256, description ≤ 4096, ≤ 25 fields, field name ≤ 256 and value ≤ 1024
    (both non-empty), ≤ 6000 characters across the embeds; content or embeds present."""
    bad = []
    if not body.get("content") and not body.get("embeds"):
        bad.append("empty")
    if len(body.get("content", "")) > 2000:
        bad.append("content")
    embeds = body.get("embeds", [])
    if len(embeds) > 10:
        bad.append("embeds")
    total = 0
    for embed in embeds:
        assert set(embed) <= {"title", "description", "color", "fields", "footer", "url"}
        total += len(embed.get("title", "")) + len(embed.get("description", ""))
        if len(embed.get("title", "")) > 256:
            bad.append("title")
        if len(embed.get("description", "")) > 4096:
            bad.append("description")
        fields = embed.get("fields", [])
        if len(fields) > 25:
            bad.append("fields")
        for f in fields:
            total += len(f["name"]) + len(f["value"])
            if not 0 < len(f["name"]) <= 256 or not 0 < len(f["value"]) <= 1024:
                bad.append("field")
    if total > 6000:
        bad.append("total")
    return bad
