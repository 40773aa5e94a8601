"""Payments, refunds and received webhooks. Money is integer paise, always set by the server.

State changes are conditional UPDATEs (`... WHERE state IN (...)`, checking the row count) in
billing/services/, never read-modify-write, so concurrent webhooks, status checks and
reconciliation runs cannot both win a transition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Payment(models.Model):
    class Purpose(models.TextChoices):
        PLAN_FEE = "plan_fee", "Plan fee"
        ENTRY_FEE = "entry_fee", "Entry fee"

    class State(models.TextChoices):
        CREATED = "created", "Created"  # our row exists; PhonePe's answer to pay not yet seen
        PENDING = "pending", "Pending"  # PhonePe has the order; the user is paying
        COMPLETED = "completed", "Completed"  # confirmed by the order status API
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"  # never paid before its expiry
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    # Not yet final: reconciliation keeps asking PhonePe about these.
    OPEN_STATES = (State.CREATED, State.PENDING)
    # A payment that took money (whether or not some of it went back).
    PAID_STATES = (State.COMPLETED, State.REFUNDED, State.PARTIALLY_REFUNDED)

    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    # The plan paid for (plan fees only): a draft's plan may change after paying.
    plan = models.CharField(max_length=12, blank=True)
    # SET_NULL: a money record outlives a deleted draft.
    tournament = models.ForeignKey(
        "core.Tournament", null=True, on_delete=models.SET_NULL, related_name="payments"
    )
    registration = models.ForeignKey(
        "core.Registration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveIntegerField(help_text="paise, computed by the server")
    merchant_order_id = models.CharField(max_length=63, unique=True)
    phonepe_order_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.CREATED)
    redirect_url = models.TextField(blank=True)
    expire_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Reconciliation: when to ask PhonePe next, and how many times it has asked.
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    check_count = models.PositiveIntegerField(default=0)
    # Non-empty: this completed payment must go back (seat gone, duplicate, cancelled, withdrawn).
    refund_reason = models.CharField(max_length=200, blank=True)
    # Started by POST publish/: publish the tournament when the fee completes.
    publish_when_paid = models.BooleanField(default=False)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_check_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=100), name="payment_amount_min"),
            models.CheckConstraint(
                condition=Q(merchant_order_id__regex=r"^[A-Za-z0-9_-]{1,63}$"),
                name="payment_merchant_order_id_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_order_id} {self.purpose} {self.amount} ({self.state})"


class Refund(models.Model):
    class State(models.TextChoices):
        CREATED = "created", "Created"  # claimed; PhonePe's answer not yet seen
        PENDING = "pending", "Pending"  # accepted by PhonePe
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    # Derived from the payment (services/refunds.py), so the same refund is asked for once.
    merchant_refund_id = models.CharField(max_length=63, unique=True)
    phonepe_refund_id = models.CharField(max_length=64, blank=True)
    amount = models.PositiveIntegerField(help_text="paise")
    state = models.CharField(max_length=10, choices=State.choices, default=State.CREATED)
    reason = models.CharField(max_length=200, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=1), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant_refund_id} {self.amount} ({self.state})"


class WebhookReceipt(models.Model):
    """Every authenticated callback, stored once (dedup_key = sha256 of the raw body)."""

    dedup_key = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64, blank=True)
    merchant_order_id = models.CharField(max_length=63, blank=True, db_index=True)
    merchant_refund_id = models.CharField(max_length=63, blank=True)
    payload_state = models.CharField(max_length=20, blank=True)
    body = models.TextField()
    duplicates = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # What checking it with PhonePe led to: "completed", "unconfirmed", "failed", "error: ...".
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.event} {self.merchant_order_id or self.merchant_refund_id}"
