"""billing/pages.py: the page PhonePe sends the payer back to. It asks PhonePe while the payment
is open, refreshes itself until it settles, and shows a payment only with the key of its return
URL or to its signed-in owner."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from billing.links import return_key, return_url
from billing.models import Payment
from billing.phonepe.sandbox.remote import SandboxControl
from tests.factories import UserFactory
from tests.support.payments import paid_tournament, register_paid

pytestmark = pytest.mark.django_db(transaction=True)


def _return_path(payment: Payment) -> tuple[str, str]:
    url = urlparse(return_url(payment.merchant_order_id))
    return url.path, parse_qs(url.query)["key"][0]


def test_the_payer_back_from_checkout_sees_pending_then_completed(
    phonepe_sandbox: SandboxControl, client: Client
) -> None:
    _registration, payment = register_paid(paid_tournament(title="Sunday Cup"))
    path, key = _return_path(payment)
    pending = client.get(path, {"key": key})
    assert pending.status_code == 200
    html = pending.content.decode()
    assert "Waiting for PhonePe" in html and 'http-equiv="refresh"' in html
    assert "Sunday Cup" in html and "₹50.00" in html
    assert pending["Content-Security-Policy"].startswith("default-src 'self'")
    assert pending["Cache-Control"].startswith("max-age=0")  # never cached
    # PhonePe settles it; no webhook reaches us: the page itself asks PhonePe.
    phonepe_sandbox.settle(payment.merchant_order_id, webhook="never")
    done = client.get(path, {"key": key}).content.decode()
    assert "Payment completed" in done and 'http-equiv="refresh"' not in done
    assert f'href="/live/{payment.tournament_id}/"' in done
    payment.refresh_from_db()
    assert payment.state == Payment.State.COMPLETED


def test_nobody_else_sees_anything_of_the_payment(
    phonepe_sandbox: SandboxControl, client: Client
) -> None:
    registration, payment = register_paid(paid_tournament())
    path, key = _return_path(payment)
    others = [{}, {"key": "x"}, {"key": return_key("SV-E-1-someone-else")}]
    for params in others:
        response = client.get(path, params)
        assert response.status_code == 404, params
        assert payment.merchant_order_id not in response.content.decode()
    stranger = Client()
    stranger.force_login(UserFactory())
    assert stranger.get(path).status_code == 404
    owner = Client()
    owner.force_login(registration.registered_by)
    assert owner.get(path).status_code == 200  # signed in, no key needed
    assert client.get("/payments/return/SV-E-0-nothing/", {"key": key}).status_code == 404


def test_the_return_url_carries_its_key(settings: Any) -> None:
    settings.FRONTEND_URL = "https://scrims.example.com"
    url = return_url("SV-E-7-abc")
    assert (
        url
        == f"https://scrims.example.com/payments/return/SV-E-7-abc/?key={return_key('SV-E-7-abc')}"
    )
    assert return_key("SV-E-7-abc") != return_key("SV-E-7-abd")
