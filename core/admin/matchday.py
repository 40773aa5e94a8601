"""Admin screens for match day: result disputes and the audit trail of result changes, both
read-only (disputes are decided through the API's service, results change only by a submit)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import MatchDispute, ResultChange


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ResultChange)
class ResultChangeAdmin(_ReadOnly):
    list_display = (
        "match",
        "version",
        "actor",
        "face",
        "final",
        "after_round_completed",
        "created_at",
    )
    list_filter = ("face", "final", "after_round_completed")
    list_select_related = ("match", "actor")
    search_fields = ("match__id", "actor__username")
    readonly_fields = (
        "match",
        "tournament",
        "version",
        "actor",
        "face",
        "final",
        "before",
        "after",
        "after_round_completed",
        "dispute",
        "created_at",
    )


@admin.register(MatchDispute)
class MatchDisputeAdmin(_ReadOnly):
    list_display = ("id", "match", "team", "status", "opened_by", "resolved_by", "created_at")
    list_filter = ("status",)
    list_select_related = ("match", "team", "opened_by", "resolved_by")
    readonly_fields = (
        "match",
        "tournament",
        "round",
        "team",
        "opened_by",
        "reason",
        "evidence",
        "result_version",
        "status",
        "resolution",
        "resolved_by",
        "resolved_at",
        "created_at",
    )
