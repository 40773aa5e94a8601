"""Payment API shapes. No serializer accepts an amount: the server computes every one."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from billing.models import Payment, Refund
from core.api import strict
from core.api.schema import example

# PhonePe's webhook body, as its PG v2 sends it (docs/payments.md): only a hint, never trusted.
WEBHOOK_BODY = {
    "type": "object",
    "required": ["event", "payload"],
    "properties": {
        "event": {"type": "string", "example": "checkout.order.completed"},
        "type": {"type": "string", "example": "CHECKOUT_ORDER_COMPLETED"},
        "payload": {"type": "object", "additionalProperties": True},
    },
}
WEBHOOK_EXAMPLE = {
    "event": "checkout.order.completed",
    "type": "CHECKOUT_ORDER_COMPLETED",
    "payload": {
        "orderId": "OMO2701161400123456789",
        "merchantId": "SCRIMVERSEUAT",
        "merchantOrderId": "SV-PLAN-7f3c9a2b",
        "state": "COMPLETED",
        "amount": 29900,
        "expireAt": 1800000000000,
        "paymentDetails": [
            {"paymentMode": "UPI_QR", "transactionId": "OM2701161400123", "state": "COMPLETED"}
        ],
    },
}


class PlanSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    price = serializers.IntegerField(help_text="paise")
    listing_placement = serializers.CharField()
    placement_rank = serializers.IntegerField(help_text="higher lists first")
    max_teams = serializers.IntegerField(help_text="the largest field the plan allows")
    featured_banner = serializers.BooleanField()
    perks = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    examples=[
        example("A host's plan fee", {"purpose": "plan_fee", "tournament": 42}),
        example("A team's entry fee", {"purpose": "entry_fee", "registration": 318}),
    ]
)
class InitiateSerializer(strict.Serializer):
    schema_rules = {
        "oneOf": [
            {"properties": {"purpose": {"enum": ["plan_fee"]}}, "required": ["tournament"]},
            {"properties": {"purpose": {"enum": ["entry_fee"]}}, "required": ["registration"]},
        ]
    }
    purpose = serializers.ChoiceField(choices=Payment.Purpose.choices)
    tournament = serializers.IntegerField(
        required=False, help_text="plan_fee: the draft tournament whose plan to pay"
    )
    registration = serializers.IntegerField(
        required=False, help_text="entry_fee: your pending_payment registration"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        needed = "tournament" if attrs["purpose"] == Payment.Purpose.PLAN_FEE else "registration"
        if attrs.get(needed) is None:
            raise serializers.ValidationError({needed: [f"Required for {attrs['purpose']}."]})
        return attrs


class InitiatedSerializer(serializers.Serializer):
    merchant_order_id = serializers.CharField()
    purpose = serializers.CharField()
    amount = serializers.IntegerField(help_text="paise")
    state = serializers.CharField()
    redirect_url = serializers.CharField(
        allow_null=True, help_text="PhonePe's checkout page: send the user here"
    )
    expire_at = serializers.DateTimeField(allow_null=True)


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["merchant_refund_id", "amount", "state", "reason", "created_at", "updated_at"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    tournament_title = serializers.CharField(source="tournament.title", default=None)
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "merchant_order_id",
            "purpose",
            "plan",
            "tournament",
            "tournament_title",
            "registration",
            "amount",
            "state",
            "redirect_url",
            "expire_at",
            "completed_at",
            "refund_reason",
            "refunds",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class TakingsSerializer(serializers.Serializer):
    tournament = serializers.IntegerField()
    title = serializers.CharField()
    plan = serializers.CharField()
    status = serializers.CharField()
    entries_paid = serializers.IntegerField()
    entry_fees_collected = serializers.IntegerField(help_text="paise")
    entry_fees_refunded = serializers.IntegerField(help_text="paise")
    entry_fees_net = serializers.IntegerField(help_text="paise")
    plan_fee_paid = serializers.IntegerField(help_text="paise")


class HistorySerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PaymentSerializer(many=True)
    tournaments = TakingsSerializer(
        many=True, allow_null=True, help_text="hosts only: what each hosted tournament took in"
    )


class CallbackAckSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
