"""Django admin for payments, refunds and received webhooks. Money fields are read-only: money
changes only through the services (PhonePe's answers), never by editing a row."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.errors import ApplicationError

from .models import Payment, Refund, WebhookReceipt
from .services.refunds import payment_refund_by_staff


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = ["merchant_refund_id", "amount", "state", "reason", "last_error", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "merchant_order_id",
        "purpose",
        "plan",
        "amount",
        "state",
        "user",
        "tournament",
        "created_at",
        "completed_at",
    ]
    list_filter = ["state", "purpose", "plan"]
    search_fields = ["merchant_order_id", "phonepe_order_id", "user__username", "user__email"]
    list_select_related = ["user", "tournament"]
    raw_id_fields = ["user", "tournament", "registration"]
    inlines = [RefundInline]
    actions = ["refund_selected"]
    readonly_fields = [
        "purpose",
        "plan",
        "tournament",
        "registration",
        "user",
        "amount",
        "merchant_order_id",
        "phonepe_order_id",
        "state",
        "redirect_url",
        "expire_at",
        "completed_at",
        "next_check_at",
        "check_count",
        "refund_reason",
        "publish_when_paid",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Refund selected payments in full (by hand; audited)")
    def refund_selected(self, request: HttpRequest, queryset: QuerySet[Payment]) -> None:
        done = 0
        for payment in queryset.order_by("pk"):
            try:
                payment_refund_by_staff(
                    actor=request.user, payment_id=payment.pk, reason="Refunded by staff"
                )
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{payment}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(request, f"Refunded {done} payment(s).", messages.SUCCESS)


@admin.register(Refund)
class RefundAdmin(admin.ModelAdmin):
    list_display = ["merchant_refund_id", "amount", "state", "payment", "created_at"]
    list_filter = ["state", "payment__purpose"]
    search_fields = ["merchant_refund_id", "phonepe_refund_id", "payment__merchant_order_id"]
    list_select_related = ["payment"]
    readonly_fields = [
        "payment",
        "merchant_refund_id",
        "phonepe_refund_id",
        "amount",
        "state",
        "reason",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookReceipt)
class WebhookReceiptAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "event",
        "merchant_order_id",
        "merchant_refund_id",
        "payload_state",
        "duplicates",
        "outcome",
    ]
    list_filter = ["event", "payload_state"]
    search_fields = ["merchant_order_id", "merchant_refund_id", "dedup_key"]
    readonly_fields = [f.name for f in WebhookReceipt._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
