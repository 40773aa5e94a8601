"""Billing reads: a user's payments, one payment for its owner, a host's takings."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from billing.links import return_key_ok
from billing.models import Payment, Refund
from core.errors import NotFound
from core.models import Tournament, User

P = Payment.Purpose


def payments_of_user(*, user: User) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(user=user)
        .select_related("tournament")
        .prefetch_related("refunds")
        .order_by("-created_at", "-id")
    )


def payment_for_owner(*, user: User, merchant_order_id: str) -> Payment:
    # Someone else's order id is a 404, never a 403: ids are not confirmed to strangers.
    payment = (
        Payment.objects.select_related("tournament", "registration")
        .prefetch_related("refunds")
        .filter(merchant_order_id=merchant_order_id, user=user)
        .first()
    )
    if payment is None:
        raise NotFound("No such payment.")
    return payment


def payment_for_return_page(
    *, merchant_order_id: str, key: str, viewer: User | None
) -> Payment | None:
    """The payment the return page may show: with the key its return URL carried, or to its
    signed-in owner; None otherwise (the page then shows nothing of it)."""
    payment = (
        Payment.objects.select_related("tournament", "registration__team")
        .filter(merchant_order_id=merchant_order_id)
        .first()
    )
    if payment is None:
        return None
    owner = viewer is not None and viewer.is_authenticated and viewer.pk == payment.user_id
    return payment if owner or return_key_ok(merchant_order_id, key) else None


def host_takings(*, host: User) -> list[dict[str, Any]]:
    """Per hosted tournament: entry fees taken, refunded, net, and the plan fee paid (one query)."""
    paid = Q(payments__state__in=Payment.PAID_STATES)
    entry = Q(payments__purpose=P.ENTRY_FEE)
    refunded = (
        Refund.objects.filter(
            payment__tournament=OuterRef("pk"),
            payment__purpose=P.ENTRY_FEE,
            state__in=(Refund.State.PENDING, Refund.State.COMPLETED),
        )
        .values("payment__tournament")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(0, output_field=IntegerField())
    rows = (
        Tournament.objects.filter(host=host)
        .annotate(
            entries_paid=Count("payments", filter=paid & entry),
            collected=Coalesce(Sum("payments__amount", filter=paid & entry), zero),
            plan_fee=Coalesce(
                Sum("payments__amount", filter=paid & Q(payments__purpose=P.PLAN_FEE)), zero
            ),
            refunded=Coalesce(Subquery(refunded, output_field=IntegerField()), zero),
        )
        .filter(Q(entries_paid__gt=0) | Q(plan_fee__gt=0))
        .order_by("-created_at", "-id")
        .values(
            "id", "title", "plan", "status", "entries_paid", "collected", "refunded", "plan_fee"
        )
    )
    return [
        {
            "tournament": row["id"],
            "title": row["title"],
            "plan": row["plan"],
            "status": row["status"],
            "entries_paid": row["entries_paid"],
            "entry_fees_collected": row["collected"],
            "entry_fees_refunded": row["refunded"],
            "entry_fees_net": row["collected"] - row["refunded"],
            "plan_fee_paid": row["plan_fee"],
        }
        for row in rows
    ]
