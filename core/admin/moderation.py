"""The reports queue and the audit log in the Django admin: both read-only. Reports are resolved
by the admin actions below, which call the same service as the API (one audit row each)."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.errors import ApplicationError
from core.models import AuditLog, Report
from core.services.moderation import report_resolve


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _resolve_each(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Report], action: str
) -> None:
    done = 0
    for report in queryset.order_by("pk"):
        try:
            report_resolve(actor=request.user, report_id=report.pk, action=action)
            done += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"Report {report.pk}: {exc.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, f"Resolved {done} report(s): {action}.", messages.SUCCESS)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "target_kind", "target_id", "reason", "status", "action", "created_at"]
    list_filter = ["status", "target_kind", "reason", "action"]
    search_fields = ["text", "note"]
    list_select_related = ["reporter", "resolved_by"]
    actions = ["hide_selected", "unpublish_selected", "suspend_selected", "dismiss_selected"]

    @admin.action(description="Resolve: hide the reported thing")
    def hide_selected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        _resolve_each(self, request, queryset, Report.Action.HIDE)

    @admin.action(description="Resolve: unpublish the reported tournament")
    def unpublish_selected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        _resolve_each(self, request, queryset, Report.Action.UNPUBLISH)

    @admin.action(description="Resolve: suspend the responsible user")
    def suspend_selected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        _resolve_each(self, request, queryset, Report.Action.SUSPEND)

    @admin.action(description="Resolve: dismiss")
    def dismiss_selected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        _resolve_each(self, request, queryset, Report.Action.DISMISS)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_kind", "target_id"]
    list_filter = ["action", "target_kind"]
    search_fields = ["target_id", "actor__username"]
    list_select_related = ["actor"]
    date_hierarchy = "created_at"
