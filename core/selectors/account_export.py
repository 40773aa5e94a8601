"""What an account's export holds (account rights, docs/api.md): every row that refers to the user,
by section; core/services/account_exports.py writes it as a zip and emails the link.

`SECTIONS` names the relations to User each section gathers; `EXCLUDED` the ones left out, each
with its reason. A test walks every model's relations to User and fails on one in neither.
"""

from typing import Any

from django.apps import apps
from django.db.models import FileField, Model

from core.models import User

SECTIONS: dict[str, tuple[str, ...]] = {
    "host_profile": ("core.HostProfile.user",),
    "game_profiles": ("core.PlayerGameProfile.user",),
    "teams_created": ("core.Team.created_by",),
    "team_memberships": ("core.TeamMembership.user",),
    "team_invites": ("core.TeamInvite.invited_user", "core.TeamInvite.invited_by"),
    "join_requests": ("core.TeamJoinRequest.user",),
    "tournaments_hosted": ("core.Tournament.host",),
    "announcements": ("core.Announcement.created_by",),
    "registrations": ("core.Registration.registered_by",),
    "rosters": ("core.RegistrationPlayer.user",),
    "match_kills": ("core.PlayerMatchKills.user",),
    "player_stats": ("core.PlayerStats.user",),
    "match_stat_lines": ("core.MatchStatLine.user",),
    "stat_totals": ("core.StatTotal.user",),
    "result_changes": ("core.ResultChange.actor",),
    "disputes": ("core.MatchDispute.opened_by", "core.MatchDispute.resolved_by"),
    "payments": ("billing.Payment.user",),
    "notifications": ("core.Notification.user",),
    "notification_preferences": ("core.NotificationPreference.user",),
    "ratings_given": ("core.HostRating.rater",),
    "ratings_received": ("core.HostRating.host",),
    "rating_reports": ("core.HostRatingReport.reporter",),
    "reports_filed": ("core.Report.reporter",),
    "webhook_endpoints": ("core.WebhookEndpoint.owner",),
    "social_links": ("social_django.UserSocialAuth.user",),
}
EXCLUDED: dict[str, str] = {
    "admin.LogEntry.user": "a staff member's own admin actions, not data about the user",
    "core.AuditLog.actor": "the legal record of a staff member's actions on others",
    "core.Report.resolved_by": "staff's decision on someone else's report",
    "core.HostProfile.reviewed_by": "staff's review of someone else's verification",
    "core.NotificationEmailWindow.user": "bookkeeping of when a grouped email last went out",
    "core.AccountExport.user": "the exports themselves: an archive does not hold earlier ones",
    "core.IdempotencyRecord.user": "cached replies to the user's own requests, kept a day",
    "token_blacklist.OutstandingToken.user": "live session secrets: an export never holds them",
}
# Never written to an export: secrets, not data.
SECRET_FIELDS = frozenset({"secret", "password", "extra_data"})


def _row(obj: Model) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, FileField):
            value = value.name if value else ""
        out[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return out


def _rows(relation: str, user: User) -> list[dict[str, Any]]:
    label, _, field = relation.rpartition(".")
    model = apps.get_model(label)
    return [_row(obj) for obj in model._default_manager.filter(**{field: user.pk}).order_by("pk")]


def account_export_data(*, user: User) -> dict[str, Any]:
    """Every section of the user's export as plain JSON values (refunds under their payments)."""
    data: dict[str, Any] = {"profile": _row(user)}
    for section, relations in SECTIONS.items():
        data[section] = [row for relation in relations for row in _rows(relation, user)]
    refund = apps.get_model("billing", "Refund")
    payment_ids = [row["id"] for row in data["payments"]]
    data["refunds"] = [_row(r) for r in refund.objects.filter(payment_id__in=payment_ids)]
    return data
