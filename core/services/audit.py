"""The audit log of staff actions (docs/api.md, "Moderation"): one row per action, written in
the same transaction as the action, so a rolled-back action leaves no row and a committed one
always has exactly one."""

from typing import Any

from django.db import models, transaction

from core.models import AuditLog, User


def _target(target: models.Model | tuple[str, Any]) -> tuple[str, str]:
    if isinstance(target, models.Model):
        return target._meta.model_name or "", str(target.pk)
    kind, pk = target
    return kind, str(pk)


def audit_record(
    *,
    actor: User,
    action: str,
    target: models.Model | tuple[str, Any],
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one row: `target` is a model instance or (kind, id). Called inside the action's
    own transaction (it must not outlive a rollback), never after commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record runs inside the audited action's transaction")
    kind, pk = _target(target)
    return AuditLog.objects.create(
        actor=actor, action=action, target_kind=kind, target_id=pk, details=details or {}
    )
