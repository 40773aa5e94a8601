"""Moderation (docs/api.md, "Moderation"): anyone signed in reports a tournament, team, profile
or announcement; staff resolve each open report once with an action (hide, unpublish, suspend,
dismiss); the reporter is told the outcome; every resolution leaves one audit row.

Two staff resolving the same report at once: the resolution is a conditional UPDATE on
status=open, so exactly one wins; the other gets a 409 and its transaction writes nothing.
"""

from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import (
    Announcement,
    Registration,
    Report,
    TargetKind,
    Team,
    TeamMembership,
    Tournament,
    User,
)

from .audit import audit_record
from .locks import lock_tournament, lock_user
from .notifications import notifications_send
from .tokens import refresh_revoke_all

Action = Report.Action
TARGET_MODELS: dict[str, type[models.Model]] = {
    TargetKind.TOURNAMENT: Tournament,
    TargetKind.TEAM: Team,
    TargetKind.PROFILE: User,
    TargetKind.ANNOUNCEMENT: Announcement,
}
# Only a tournament has a published state to go back from.
ACTIONS_FOR: dict[str, tuple[str, ...]] = {
    TargetKind.TOURNAMENT: (Action.HIDE, Action.UNPUBLISH, Action.SUSPEND, Action.DISMISS),
    TargetKind.TEAM: (Action.HIDE, Action.SUSPEND, Action.DISMISS),
    TargetKind.PROFILE: (Action.HIDE, Action.SUSPEND, Action.DISMISS),
    TargetKind.ANNOUNCEMENT: (Action.HIDE, Action.SUSPEND, Action.DISMISS),
}
UNPUBLISHABLE = (
    Tournament.Status.PUBLISHED,
    Tournament.Status.REGISTRATION_OPEN,
    Tournament.Status.REGISTRATION_CLOSED,
)
# Registrations that hold a seat or money: unpublishing would strand them (cancel instead,
# which refunds).
HOLDING = (
    Registration.Status.CONFIRMED,
    Registration.Status.PENDING_PAYMENT,
    Registration.Status.WAITLISTED,
)


class ReportAlreadyResolved(Conflict):
    code = "report_already_resolved"


class ReportAlreadyOpen(Conflict):
    code = "report_already_open"


class UnpublishRefused(Conflict):
    code = "unpublish_refused"


def _reportable(kind: str, target_id: int) -> models.Model:
    """The target as the public sees it: what nobody can see cannot be reported."""
    qs: Any = TARGET_MODELS[kind]._default_manager.filter(pk=target_id, hidden_at__isnull=True)
    if kind == TargetKind.TOURNAMENT:
        qs = qs.exclude(status=Tournament.Status.DRAFT)
    elif kind == TargetKind.TEAM:
        qs = qs.filter(disbanded_at__isnull=True)
    elif kind == TargetKind.PROFILE:
        qs = qs.filter(is_active=True)
    target = qs.first()
    if target is None:
        raise NotFound(f"No such {kind}.")
    return target


def report_create(
    *, reporter: User, target_kind: str, target_id: int, reason: str, text: str = ""
) -> Report:
    """File a report. While the reporter's report of the same target is open, a second one is
    refused (409 naming the open one); the unique constraint decides a race."""
    _reportable(target_kind, target_id)
    key = {"reporter": reporter, "target_kind": target_kind, "target_id": target_id}
    try:
        with transaction.atomic():
            return Report.objects.create(**key, reason=reason, text=text.strip())
    except IntegrityError:
        existing = Report.objects.filter(**key, status=Report.Status.OPEN).first()
        raise ReportAlreadyOpen(
            "You have already reported this; staff will look at it.",
            details={"report": existing.pk if existing else None},
        ) from None


def responsible_user(report: Report) -> User | None:
    """Who a suspension falls on: the profile itself, a tournament's host, a team's captain,
    an announcement's author."""
    kind, pk = report.target_kind, report.target_id
    if kind == TargetKind.PROFILE:
        return User.objects.filter(pk=pk).first()
    if kind == TargetKind.TOURNAMENT:
        return User.objects.filter(hosted_tournaments__pk=pk).first()
    if kind == TargetKind.TEAM:
        captain = TeamMembership.objects.filter(team_id=pk, role=TeamMembership.Role.CAPTAIN)
        return User.objects.filter(pk__in=captain.values("user_id")).first()
    return User.objects.filter(
        pk__in=Announcement.objects.filter(pk=pk).values("created_by_id")
    ).first()


def _hide(report: Report, now: Any) -> dict[str, Any]:
    model = TARGET_MODELS[report.target_kind]
    changed = model._default_manager.filter(pk=report.target_id, hidden_at__isnull=True).update(
        hidden_at=now
    )
    return {"hidden": bool(changed)}


def _unpublish(report: Report) -> dict[str, Any]:
    tournament = lock_tournament(report.target_id)
    if tournament.status not in UNPUBLISHABLE:
        raise UnpublishRefused(
            f"A {tournament.get_status_display().lower()} tournament cannot be unpublished.",
            details={"status": tournament.status},
        )
    held = tournament.registrations.filter(status__in=HOLDING).count()
    if held:
        raise UnpublishRefused(
            "The tournament has registrations holding seats or payments: cancel it instead "
            "(its players are refunded).",
            details={"registrations": held},
        )
    previous = tournament.status
    tournament.status = Tournament.Status.DRAFT
    tournament.save(update_fields=["status", "updated_at"])
    return {"previous_status": previous}


def _suspend(report: Report) -> dict[str, Any]:
    target = responsible_user(report)
    if target is None:
        raise Conflict("Nobody to suspend: the account behind this report is gone.")
    user = lock_user(target.pk)
    if user.is_staff or user.is_superuser:
        raise PermissionDenied("Staff accounts are not suspended through reports.")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        refresh_revoke_all(user=user)
    return {"user": user.pk}


def _claim(report_id: int, *, actor: User, action: str, note: str, now: Any) -> Report:
    """The conditional update that makes one resolution win."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        raise NotFound("No such report.")
    if action not in ACTIONS_FOR[report.target_kind]:
        message = f"A {report.target_kind} report cannot be resolved with {action}."
        raise ValidationError(message, details={"action": [message]})
    won = Report.objects.filter(pk=report_id, status=Report.Status.OPEN).update(
        status=Report.Status.RESOLVED, action=action, resolved_by=actor, resolved_at=now, note=note
    )
    if not won:
        raise ReportAlreadyResolved("This report is already resolved.")
    report.refresh_from_db()
    return report


@transaction.atomic
def report_resolve(*, actor: User, report_id: int, action: str, note: str = "") -> Report:
    """Resolve an open report (staff only) with `action`; one audit row, the reporter told."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff resolve reports.")
    now = timezone.now()
    report = _claim(report_id, actor=actor, action=action, note=note.strip(), now=now)
    details: dict[str, Any] = {"report": report.pk, "note": report.note}
    if action == Action.HIDE:
        details |= _hide(report, now)
    elif action == Action.UNPUBLISH:
        details |= _unpublish(report)
    elif action == Action.SUSPEND:
        details |= _suspend(report)
    audit_record(
        actor=actor,
        action=f"report.{action}",
        target=(report.target_kind, report.target_id),
        details=details,
    )
    _notify(report)
    return report


def _notify(report: Report) -> None:
    if report.reporter_id is None:
        return
    outcome = "dismissed" if report.action == Action.DISMISS else "acted on"
    notifications_send(
        users=[report.reporter],
        kind="report.decided",
        title=f"Your report was {outcome}",
        body=report.note,
        data={
            "report": report.pk,
            "action": report.action,
            "target_kind": report.target_kind,
            "target_id": report.target_id,
        },
    )
