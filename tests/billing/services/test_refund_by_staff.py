"""billing/services/refunds.py's refund by hand (the Django admin's payment action), against the
PhonePe sandbox over real HTTP: one refund leaves exactly one audit row; a second attempt, a
payment that took no money and a non-staff caller are refused and write none."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils import timezone

from billing.models import Payment, Refund
from billing.phonepe.sandbox.remote import SandboxControl
from billing.services.reconcile import payments_reconcile
from billing.services.refunds import AlreadyRefunded, payment_refund_by_staff
from core.errors import Conflict, PermissionDenied
from core.models import AuditLog
from tests.factories import UserFactory
from tests.support.payments import paid_tournament, point_callback_at, register_paid

pytestmark = pytest.mark.django_db(transaction=True)


def _paid(sandbox: SandboxControl) -> Payment:
    _registration, payment = register_paid(paid_tournament())
    sandbox.settle(payment.merchant_order_id, webhook="never")
    payments_reconcile(now=timezone.now() + timedelta(seconds=30))
    payment.refresh_from_db()
    assert payment.state in Payment.PAID_STATES
    return payment


def test_a_refund_by_hand_leaves_one_audit_row(
    phonepe_sandbox: SandboxControl, live_server: Any
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    payment = _paid(phonepe_sandbox)
    staff = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        payment_refund_by_staff(actor=UserFactory(), payment_id=payment.pk, reason="x")
    assert AuditLog.objects.count() == 0 and not Refund.objects.exists()

    refund = payment_refund_by_staff(actor=staff, payment_id=payment.pk, reason="Host vanished")
    assert refund is not None and refund.amount == payment.amount
    [row] = AuditLog.objects.all()
    assert (row.actor_id, row.action, row.target_kind, row.target_id) == (
        staff.pk,
        "payment.refund",
        "payment",
        str(payment.pk),
    )
    assert row.details == {"amount": payment.amount, "reason": "Host vanished"}
    with pytest.raises(AlreadyRefunded):
        payment_refund_by_staff(actor=staff, payment_id=payment.pk, reason="again")
    assert AuditLog.objects.count() == 1 and Refund.objects.count() == 1


def test_the_admin_action_refunds_through_the_same_service(
    phonepe_sandbox: SandboxControl, live_server: Any
) -> None:
    point_callback_at(phonepe_sandbox, live_server)
    payment = _paid(phonepe_sandbox)
    unpaid = register_paid(paid_tournament())[1]
    staff = UserFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(staff)
    picked = {"action": "refund_selected", ACTION_CHECKBOX_NAME: [payment.pk, unpaid.pk]}
    page = browser.post("/admin/billing/payment/", picked, follow=True)
    assert b"nothing to refund" in page.content
    assert list(Refund.objects.values_list("payment_id", flat=True)) == [payment.pk]
    assert AuditLog.objects.filter(action="payment.refund").count() == 1
    with pytest.raises(Conflict):
        payment_refund_by_staff(actor=staff, payment_id=unpaid.pk, reason="x")
