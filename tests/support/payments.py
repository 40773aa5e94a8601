"""Helpers for the payment flow tests: a paid tournament, registering over REST, the sandbox's
webhooks pointed at a live Django server, and counting emails by kind."""

from __future__ import annotations

from typing import Any

from django.core import mail
from rest_framework.test import APIClient

from billing.models import Payment
from core.models import Registration, Team, Tournament, User
from tests.factories import TournamentFactory, captain_of, team_with_roster

ENTRY_FEE = 5000  # ₹50


def as_user(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def paid_tournament(**overrides: Any) -> Tournament:
    return TournamentFactory(entry_fee=ENTRY_FEE, **overrides)


def register(tournament: Tournament, team: Team | None = None) -> tuple[Registration, Payment]:
    """A captain registers over REST; returns the pending registration and its payment."""
    team = team or team_with_roster()
    body = {"team": team.pk, "players": list(team.memberships.values_list("user_id", flat=True))}
    response = as_user(captain_of(team)).post(
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


def emails(kind: str) -> list[Any]:
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
