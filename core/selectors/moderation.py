"""Reads for moderation: the staff queue of reports and the audit log."""

from django.db.models import QuerySet

from core.models import AuditLog, Report


def report_queue(*, status: str = "") -> QuerySet[Report]:
    """Oldest first (the queue is worked in order); reporter and resolver joined: one query a
    page."""
    qs = Report.objects.select_related("reporter", "resolved_by").order_by("created_at", "id")
    return qs.filter(status=status) if status else qs


def audit_entries(*, target_kind: str = "", target_id: str = "") -> QuerySet[AuditLog]:
    qs = AuditLog.objects.select_related("actor").order_by("-created_at", "-id")
    if target_kind:
        qs = qs.filter(target_kind=target_kind)
    return qs.filter(target_id=target_id) if target_id else qs
