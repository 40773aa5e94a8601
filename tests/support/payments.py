"""Paid registrations for the billing tests: a paid tournament, registering over REST, the
sandbox's webhooks pointed at a live Django server, and counting emails by kind."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.core import mail

from billing.models import Payment
from core.models import Registration, Team, Tournament
from tests.factories import TournamentFactory, captain_of, team_with_roster
from tests.support.api import client_as

ENTRY_FEE = 5000  # ₹50

# The merchant credentials the local PhonePe sandbox is started with (tests/billing/conftest.py).
SANDBOX_CREDENTIALS = {
    "PHONEPE_CLIENT_ID": "TEST_CLIENT",
    "PHONEPE_CLIENT_SECRET": "test-secret",
    "PHONEPE_CLIENT_VERSION": "1",
    "PHONEPE_CALLBACK_USERNAME": "test-callback",
    "PHONEPE_CALLBACK_PASSWORD": "test-callback-pw",
    # Nothing listens here until a test points the callback at its own receiver.
    "PHONEPE_CALLBACK_URL": "http://127.0.0.1:9/unused",
}


def sandbox_credentials_form(**changes: str) -> dict[str, str]:
    """The OAuth form a merchant posts to the sandbox's /v1/oauth/token, with `changes`."""
    form = {
        "client_id": SANDBOX_CREDENTIALS["PHONEPE_CLIENT_ID"],
        "client_secret": SANDBOX_CREDENTIALS["PHONEPE_CLIENT_SECRET"],
        "client_version": SANDBOX_CREDENTIALS["PHONEPE_CLIENT_VERSION"],
        "grant_type": "client_credentials",
    }
    return {**form, **changes}


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class WebhookReceiver:
    """What tests/billing/conftest.py's `webhook_receiver` HTTP server has received."""

    url: str
    requests: list[ReceivedRequest] = field(default_factory=list)
    status: int = 200  # what it answers; set to 500 to act as a failing merchant

    def wait(self, count: int, timeout: float = 10) -> list[ReceivedRequest]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.requests)


def paid_tournament(**overrides: Any) -> Tournament:
    return TournamentFactory(entry_fee=ENTRY_FEE, **overrides)


def register_paid(tournament: Tournament, team: Team | None = None) -> tuple[Registration, Payment]:
    """A captain registers over REST; returns the pending registration and its payment."""
    team = team or team_with_roster()
    body = {"team": team.pk, "players": list(team.memberships.values_list("user_id", flat=True))}
    response = client_as(captain_of(team)).post(
        f"/api/tournaments/{tournament.pk}/register/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["registration"]["status"] == "pending_payment"
    payment = data["payment"]
    assert payment is not None and payment["redirect_url"], data
    assert payment["amount"] == tournament.entry_fee
    registration = Registration.objects.get(pk=data["registration"]["id"])
    return registration, Payment.objects.get(merchant_order_id=payment["merchant_order_id"])


def point_callback_at(sandbox: Any, live_server: Any) -> None:
    sandbox.configure(callback_url=f"{live_server.url}/api/payments/callback/")


def emails_of_kind(kind: str) -> list[Any]:
    """The sent emails of one kind: "receipt", "confirmed" (registration) or "refund"."""
    prefix = {
        "receipt": "Payment received",
        "confirmed": " is registered for ",
        "refund": "Refund of ",
    }[kind]
    return [m for m in mail.outbox if prefix in m.subject]


def confirmed_count(tournament: Tournament) -> int:
    return Registration.objects.filter(
        tournament=tournament, status=Registration.Status.CONFIRMED
    ).count()
