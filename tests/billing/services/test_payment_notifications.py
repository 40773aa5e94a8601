"""The two payment kinds end to end: a payment found completed at PhonePe (the sandbox) and a
withdrawal's refund each notify the payer in-app, on /ws/me/ over a real socket, and by email
(tests/core/services/test_notification_kinds.py covers every other kind the same way)."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from billing.models import Payment
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.reconcile import payments_reconcile
from core.models import Notification
from tests.factories import captain_of
from tests.realtime.conftest import _realtime_publisher, notification_pusher, ws  # noqa: F401
from tests.support.api import client_as
from tests.support.notification_flows import email_kinds
from tests.support.payments import paid_tournament, register_paid
from tests.support.sockets import OpenClient, WsClient

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("notification_pusher"),
]


async def _next_kind(client: WsClient) -> str:
    frame = await client.recv(timeout=10)
    assert frame["type"] == "notification", frame
    return frame["notification"]["kind"]


async def _subscribed(ws: OpenClient, payment: Payment) -> WsClient:  # noqa: F811
    client = await ws("/ws/me/", token=str(AccessToken.for_user(payment.user)))
    await client.send({"type": "ping"})
    assert (await client.recv())["type"] == "pong"
    return client


def _registered(sandbox: SandboxControl) -> Payment:
    _registration, payment = register_paid(paid_tournament())
    sandbox.settle(payment.merchant_order_id, webhook="never")
    return Payment.objects.select_related("user").get(pk=payment.pk)


def _reconcile() -> None:
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))


def _withdraw(payment: Payment) -> None:
    registration = payment.registration
    response = client_as(captain_of(registration.team)).post(
        f"/api/tournaments/{registration.tournament_id}/withdraw/", {}, format="json"
    )
    assert response.status_code == 200, response.json()
    payments_reconcile(now=timezone.now())  # the refund PhonePe accepted as pending completes


async def test_receipt_and_refund_reach_the_payer_everywhere(
    phonepe_sandbox: SandboxControl,
    ws: OpenClient,  # noqa: F811
) -> None:
    payment = await sync_to_async(_registered)(phonepe_sandbox)
    client = await _subscribed(ws, payment)

    await sync_to_async(_reconcile)()  # PhonePe says completed: the receipt
    kinds = [await _next_kind(client)]
    while "payment.receipt" not in kinds:
        kinds.append(await _next_kind(client))

    await sync_to_async(_withdraw)(payment)
    while "payment.refund" not in kinds:
        kinds.append(await _next_kind(client))
    await client.close()

    def stored() -> tuple[list[str], list[str]]:
        rows = Notification.objects.filter(user=payment.user, kind__startswith="payment.")
        return sorted(rows.values_list("kind", flat=True)), email_kinds(payment.user.email)

    in_app, emailed = await sync_to_async(stored)()
    assert in_app == ["payment.receipt", "payment.refund"]
    assert emailed.count("payment.receipt") == 1 and emailed.count("payment.refund") == 1
