"""Host ratings and their abuse reports (staff decide here), and webhook endpoints and
deliveries (read for support)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.models import HostRating, HostRatingReport, WebhookDelivery, WebhookEndpoint
from core.services.ratings import host_rating_hide


@admin.register(HostRatingReport)
class HostRatingReportAdmin(admin.ModelAdmin):
    list_display = ("rating", "reporter", "reason", "resolved", "created_at")
    list_filter = ("resolved",)
    list_select_related = ("rating", "reporter")
    raw_id_fields = ("rating", "reporter")
    actions = ["hide_ratings", "dismiss"]

    @admin.action(description="Hide the reported ratings (resolves their reports)")
    def hide_ratings(self, request: HttpRequest, queryset: QuerySet[HostRatingReport]) -> None:
        hidden = host_rating_hide(rating_ids=list(queryset.values_list("rating_id", flat=True)))
        self.message_user(request, f"Hid {hidden} rating(s).", messages.SUCCESS)

    @admin.action(description="Dismiss: keep the ratings shown")
    def dismiss(self, request: HttpRequest, queryset: QuerySet[HostRatingReport]) -> None:
        queryset.update(resolved=True)


@admin.register(HostRating)
class HostRatingAdmin(admin.ModelAdmin):
    list_display = ("host", "rater", "tournament", "score", "hidden", "created_at")
    list_filter = ("hidden", "score")
    search_fields = ("host__username", "rater__username", "comment")
    list_select_related = ("host", "rater", "tournament")
    raw_id_fields = ("host", "rater", "tournament")
    actions = ["hide", "show"]

    @admin.action(description="Hide selected ratings")
    def hide(self, request: HttpRequest, queryset: QuerySet[HostRating]) -> None:
        host_rating_hide(rating_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description="Show selected ratings again")
    def show(self, request: HttpRequest, queryset: QuerySet[HostRating]) -> None:
        host_rating_hide(rating_ids=list(queryset.values_list("pk", flat=True)), hidden=False)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ("owner", "kind", "url", "enabled", "consecutive_failures", "created_at")
    list_filter = ("kind", "enabled")
    list_select_related = ("owner",)
    raw_id_fields = ("owner", "tournament")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("endpoint", "event_type", "status", "attempts", "last_error", "created_at")
    list_filter = ("status", "event_type")
    list_select_related = ("endpoint",)
    raw_id_fields = ("endpoint", "tournament")
