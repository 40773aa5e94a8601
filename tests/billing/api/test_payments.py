"""billing/api/: plans, publishing on each plan, initiate, status and history over REST, with the
PhonePe sandbox."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from billing.models import Payment
from billing.phonepe.sandbox.remote import SandboxControl
from billing.plans import PLANS
from billing.services.reconcile import payments_reconcile
from core.models import Tournament
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    team_with_roster,
)
from tests.support.api import client_as
from tests.support.payments import (
    emails_of_kind,
    paid_tournament,
    point_callback_at,
    register_paid,
)
from tests.support.tournaments import create_body

pytestmark = pytest.mark.django_db(transaction=True)
PS = Payment.State


def test_plans_endpoint_lists_the_three_plans_in_paise(client: Any) -> None:
    response = client.get("/api/payments/plans/")
    assert response.status_code == 200
    plans = {p["key"]: p for p in response.json()}
    assert {k: p["price"] for k, p in plans.items()} == {
        "basic": 29900,
        "featured": 49900,
        "premium": 79900,
    }
    assert plans["premium"]["featured_banner"] is True
    assert plans["basic"]["featured_banner"] is False
    assert plans["basic"]["placement_rank"] < plans["featured"]["placement_rank"]


@pytest.mark.parametrize("plan", [p.key for p in PLANS])
def test_publishing_charges_the_plan_and_publishes_when_paid(
    phonepe_sandbox: SandboxControl, live_server: Any, plan: str
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    host = HostFactory()
    hc = client_as(host)
    created = hc.post("/api/tournaments/", create_body(plan=plan), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    response = hc.post(f"/api/tournaments/{pk}/publish/")
    assert response.status_code == 402
    body = response.json()
    assert body["code"] == "plan_fee_unpaid"
    payment = body["details"]["payment"]
    price = {p.key: p.price for p in PLANS}[plan]
    assert (payment["amount"], payment["purpose"]) == (price, "plan_fee")
    assert payment["redirect_url"]
    assert phonepe_sandbox.order(payment["merchant_order_id"])["amount"] == price
    # Asking again resumes the same checkout instead of a second order.
    again = hc.post(f"/api/tournaments/{pk}/publish/").json()["details"]["payment"]
    assert again["merchant_order_id"] == payment["merchant_order_id"]

    phonepe_sandbox.settle(payment["merchant_order_id"])
    phonepe_sandbox.wait_for_webhooks(1)
    t = Tournament.objects.get(pk=pk)
    assert t.status in (Tournament.Status.PUBLISHED, Tournament.Status.REGISTRATION_OPEN)
    assert len(emails_of_kind("receipt")) == 1
    assert hc.post(f"/api/tournaments/{pk}/publish/").status_code == 409  # already published


def test_initiate_plan_fee_then_publish_and_amount_is_never_the_clients(
    phonepe_sandbox: SandboxControl,
) -> None:
    host = HostFactory()
    t = TournamentFactory(host=host, status=Tournament.Status.DRAFT, plan="featured", max_teams=50)
    hc = client_as(host)
    response = hc.post(
        "/api/payments/initiate/",
        {"purpose": "plan_fee", "tournament": t.pk, "amount": 100},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == 49900
    moid = response.json()["merchant_order_id"]
    phonepe_sandbox.settle(moid, webhook="never")
    status = hc.get(f"/api/payments/status/{moid}/")  # refreshed from PhonePe while open
    assert status.json()["state"] == "completed"
    t.refresh_from_db()
    assert t.status == Tournament.Status.DRAFT  # paid via initiate: the host publishes
    assert hc.post(f"/api/tournaments/{t.pk}/publish/").status_code == 200
    again = hc.post("/api/payments/initiate/", {"purpose": "plan_fee", "tournament": t.pk})
    assert again.status_code == 409


def test_initiate_refusals(phonepe_sandbox: SandboxControl) -> None:
    host, stranger = HostFactory(), UserFactory()
    draft = TournamentFactory(host=host, status=Tournament.Status.DRAFT, max_teams=200)
    body = {"purpose": "plan_fee", "tournament": draft.pk}
    assert client_as(stranger).post("/api/payments/initiate/", body).status_code == 404
    too_big = client_as(host).post("/api/payments/initiate/", body)
    assert (too_big.status_code, too_big.json()["code"]) == (400, "validation_error")
    missing = client_as(host).post("/api/payments/initiate/", {"purpose": "entry_fee"})
    assert missing.status_code == 400 and "registration" in missing.json()["details"]
    assert Payment.objects.count() == 0


def test_status_is_owner_only_and_history_shows_host_takings(
    phonepe_sandbox: SandboxControl,
) -> None:
    tournament = paid_tournament()
    registration, payment = register_paid(tournament)
    owner = registration.registered_by
    moid = payment.merchant_order_id
    assert client_as(UserFactory()).get(f"/api/payments/status/{moid}/").status_code == 404
    assert client_as(tournament.host).get(f"/api/payments/status/{moid}/").status_code == 404
    mine = client_as(owner).get(f"/api/payments/status/{moid}/")
    assert (mine.status_code, mine.json()["state"]) == (200, "pending")

    phonepe_sandbox.settle(moid, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    history = client_as(owner).get("/api/payments/history/").json()
    assert [p["merchant_order_id"] for p in history["results"]] == [moid]
    assert history["tournaments"] is None  # not a host
    takings = client_as(tournament.host).get("/api/payments/history/").json()["tournaments"]
    assert takings == [
        {
            "tournament": tournament.pk,
            "title": tournament.title,
            "plan": tournament.plan,
            "status": tournament.status,
            "entries_paid": 1,
            "entry_fees_collected": 5000,
            "entry_fees_refunded": 0,
            "entry_fees_net": 5000,
            "plan_fee_paid": 0,
        }
    ]


def test_register_when_phonepe_is_down_keeps_the_hold_and_initiate_retries(
    phonepe_sandbox: SandboxControl, settings: Any
) -> None:
    settings.PHONEPE_MAX_ATTEMPTS = 1
    tournament = paid_tournament()
    team = team_with_roster()
    phonepe_sandbox.fail_next(1, path="/checkout/v2/pay")
    body = {"team": team.pk, "players": list(team.memberships.values_list("user_id", flat=True))}
    captain = captain_of(team)
    response = client_as(captain).post(
        f"/api/tournaments/{tournament.pk}/register/", body, format="json"
    )
    assert response.status_code == 201
    assert response.json()["payment"] is None
    reg_id = response.json()["registration"]["id"]
    retry = client_as(captain).post(
        "/api/payments/initiate/", {"purpose": "entry_fee", "registration": reg_id}
    )
    assert retry.status_code == 201 and retry.json()["redirect_url"]
    assert retry.json()["amount"] == 5000


def test_publishing_while_phonepe_is_unreachable_answers_503_and_leaves_no_order(
    settings: Any,
) -> None:
    settings.PHONEPE_ENV = "local"
    settings.PHONEPE_LOCAL_URL = "http://127.0.0.1:9"  # nothing listens: connection refused
    settings.PHONEPE_RETRY_BACKOFF_SECONDS = 0.01
    host = HostFactory()
    hc = client_as(host)
    pk = hc.post("/api/tournaments/", create_body(), format="json").json()["id"]
    for _ in range(2):  # a retry is answered the same way, and still leaves nothing behind
        response = hc.post(f"/api/tournaments/{pk}/publish/")
        assert response.status_code == 503, response.json()
        body = response.json()
        assert body["code"] == "payment_provider_unavailable"
        assert (
            "cannot be reached" in body["message"] and "no payment was started" in body["message"]
        )
    assert not Payment.objects.filter(tournament_id=pk).exists()
    assert Tournament.objects.get(pk=pk).status == Tournament.Status.DRAFT


def test_a_plan_too_small_for_the_teams_is_the_publish_answer(
    phonepe_sandbox: SandboxControl,
) -> None:
    host = HostFactory()
    hc = client_as(host)
    pk = hc.post("/api/tournaments/", create_body(max_teams=200), format="json").json()["id"]
    response = hc.post(f"/api/tournaments/{pk}/publish/")
    assert response.status_code == 400, response.json()
    assert "plan allows up to" in response.json()["message"]
    assert not Payment.objects.filter(tournament_id=pk).exists()
