"""Deleting an account (DELETE /api/accounts/me/): the person goes, the record stays.

The User row is kept, anonymised, because results, payments and the event log point at it (the
standings and the money must not change); everything that says who the person is goes: names,
email, bio, phone, avatar and its variants, in-game names and ids, the host's details and
identity document, social sign-in links, pending join requests and invites, notifications,
webhook endpoints, cached idempotent answers. Every refresh token is blacklisted, the /ws/me/
sockets are closed, and the account can never sign in again (no usable password, inactive).

`USER_RELATIONS` says what happens to each model field that points at the user; a test walks
every model's relations to User and fails on one missing here, so a new model is decided on.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from core import hooks
from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import (
    HostProfile,
    HostRating,
    HostRatingReport,
    IdempotencyRecord,
    Notification,
    NotificationEmailWindow,
    NotificationPreference,
    PlayerGameProfile,
    RegistrationPlayer,
    Report,
    SentEmail,
    Team,
    TeamInvite,
    TeamJoinRequest,
    TeamMembership,
    Tournament,
    User,
    WebhookEndpoint,
)
from core.selectors.teams import team_is_locked
from core.services.account_exports import exports_delete_for
from core.services.media import files_delete_after_commit, stored_names
from core.services.teams import team_disband

from .locks import lock_team, lock_user

log = logging.getLogger(__name__)
Role = TeamMembership.Role

# "app.Model.field" -> what deleting the account does to the rows it links to the user.
KEEP = "kept (no personal field of its own)"
ANONYMISE = "kept, personal fields erased"
DELETE = "deleted"
USER_RELATIONS: dict[str, str] = {
    "admin.LogEntry.user": KEEP,  # a staff member's own actions (staff accounts)
    "core.AuditLog.actor": KEEP,  # the legal record of staff actions (staff accounts)
    "core.Announcement.created_by": KEEP,  # a host's posts to their tournament's players
    "billing.Payment.user": KEEP,  # money records outlive the account (docs/payments.md)
    "core.HostProfile.user": ANONYMISE,  # status kept; organisation, contact, document erased
    "core.HostProfile.reviewed_by": KEEP,
    "core.HostRating.host": KEEP,  # the host's score stays what players gave
    "core.HostRating.rater": ANONYMISE,  # score counted still; the comment erased
    "core.HostRatingReport.reporter": DELETE,
    "core.IdempotencyRecord.user": DELETE,  # stored answers may carry the profile
    "core.AccountExport.user": DELETE,  # its archive too (after commit)
    "core.MatchDispute.opened_by": KEEP,  # the tournament's record of a result challenge
    "core.MatchDispute.resolved_by": KEEP,
    "core.Notification.user": DELETE,
    "core.NotificationEmailWindow.user": DELETE,  # cascades with the user's rows: no content
    "core.NotificationPreference.user": DELETE,
    "core.PlayerGameProfile.user": DELETE,  # in-game names and ids
    "core.PlayerMatchKills.user": KEEP,  # results: the standings need them
    "core.MatchStatLine.user": KEEP,  # numbers a final match added: kills, placing
    "core.StatTotal.user": KEEP,  # the running sums of those numbers
    "core.PlayerStats.user": KEEP,  # career numbers, no names
    "core.Registration.registered_by": KEEP,
    "core.Report.reporter": ANONYMISE,  # staff keep the report and its outcome; who and text go
    "core.Report.resolved_by": KEEP,
    "core.RegistrationPlayer.user": ANONYMISE,  # roster rows kept; in-game name and id erased
    "core.ResultChange.actor": KEEP,
    "core.Team.created_by": KEEP,  # set to null: the link is cut
    "core.TeamInvite.invited_by": KEEP,  # pending ones cancelled
    "core.TeamInvite.invited_user": DELETE,
    "core.TeamJoinRequest.user": DELETE,  # carries a message
    "core.TeamMembership.user": DELETE,  # left; a captaincy handed on or the team disbanded
    "core.Tournament.host": KEEP,  # hosted tournaments stay (players' results)
    "core.WebhookEndpoint.owner": DELETE,  # urls and secrets
    "social_django.UserSocialAuth.user": DELETE,  # the Google account link
    "token_blacklist.OutstandingToken.user": KEEP,  # every one blacklisted
}
# The User fields that say who the person is, and what they become.
PERSONAL_USER_FIELDS = (
    "username",
    "email",
    "first_name",
    "last_name",
    "display_name",
    "bio",
    "phone",
    "avatar",
    "avatar_variants",
    "email_verified_at",
    "password",
)
HOST_PROFILE_FIELDS = ("organization", "contact_name", "details", "website", "rejection_reason")
# Tournaments in these states still owe their players something: the host cannot leave.
HOSTING_OPEN = (
    Tournament.Status.PUBLISHED,
    Tournament.Status.REGISTRATION_OPEN,
    Tournament.Status.REGISTRATION_CLOSED,
    Tournament.Status.LIVE,
)


class CaptainOfLiveTeam(Conflict):
    code = "captain_of_live_team"


class PaymentInFlight(Conflict):
    code = "payment_in_flight"


class HostingOpenTournament(Conflict):
    code = "hosting_open_tournament"


class FreshLoginRequired(PermissionDenied):
    code = "fresh_login_required"


def deleted_username(user_id: int) -> str:
    return f"deleted-{user_id}"


def _confirm(user: User, password: str) -> None:
    """The password; or, for an account without one (Google), a sign-in within the last
    ACCOUNT_DELETE_FRESH_LOGIN_MINUTES (sign-ins set last_login; token refreshes do not)."""
    if user.has_usable_password():
        if not password or not user.check_password(password):
            message = "The password is wrong."
            raise ValidationError(message, details={"password": [message]})
        return
    minutes = settings.ACCOUNT_DELETE_FRESH_LOGIN_MINUTES
    if user.last_login is None or user.last_login < timezone.now() - timedelta(minutes=minutes):
        raise FreshLoginRequired(
            f"Sign in again (within {minutes} minutes) to delete this account.",
            details={"minutes": minutes},
        )


def _refuse_while_owed(user: User) -> None:
    captained = TeamMembership.objects.filter(user=user, role=Role.CAPTAIN)
    for membership in captained:
        if team_is_locked(membership.team_id):
            raise CaptainOfLiveTeam(
                "You captain a team in a live tournament; delete the account once it is over.",
                details={"team": membership.team_id},
            )
    if hooks.payment_in_flight(user):
        raise PaymentInFlight(
            "A payment of yours is still in progress; try again once it has finished."
        )
    open_ids = list(
        Tournament.objects.filter(host=user, status__in=HOSTING_OPEN).values_list("pk", flat=True)
    )
    if open_ids:
        raise HostingOpenTournament(
            "You host tournaments that are not over; finish or cancel them first.",
            details={"tournaments": open_ids},
        )


def _leave_teams(user: User) -> None:
    """Leave every team. A captain hands the captaincy to the longest-standing member (players
    before substitutes); the last member disbands the team (team rules: a team with history is
    kept as a disbanded row, so standings still name it). A member of a team in a live
    tournament stays on its locked roster (the host is entering results for it): the row names
    no one once the account is anonymised."""
    for membership in TeamMembership.objects.filter(user=user).order_by("team_id"):
        team = lock_team(membership.team_id)
        others = TeamMembership.objects.filter(team=team).exclude(pk=membership.pk)
        if membership.role != Role.CAPTAIN:
            if not team_is_locked(team):
                membership.delete()
            continue
        heir = others.order_by("role", "joined_at", "id").first()  # "member" < "substitute"
        if heir is None:
            team_disband(team)
            continue
        membership.delete()
        heir.role = Role.CAPTAIN
        heir.save(update_fields=["role"])


def _erase_links(user: User) -> None:
    now = timezone.now()
    TeamInvite.objects.filter(invited_by=user, status=TeamInvite.Status.PENDING).update(
        status=TeamInvite.Status.CANCELLED, decided_at=now
    )
    TeamInvite.objects.filter(invited_user=user).delete()
    TeamJoinRequest.objects.filter(user=user).delete()
    Team.objects.filter(created_by=user).update(created_by=None)
    PlayerGameProfile.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    NotificationEmailWindow.objects.filter(user=user).delete()
    IdempotencyRecord.objects.filter(user=user).delete()
    exports_delete_for(user=user)
    HostRatingReport.objects.filter(reporter=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None, text="")
    HostRating.objects.filter(rater=user).update(comment="")
    WebhookEndpoint.objects.filter(owner=user).delete()
    RegistrationPlayer.objects.filter(user=user).update(
        in_game_name=deleted_username(user.pk), in_game_id=""
    )
    user.social_auth.all().delete()
    SentEmail.objects.filter(to__iexact=user.email).update(to=_deleted_email(user.pk))
    profile = HostProfile.objects.filter(user=user).first()
    if profile is not None:
        if profile.document:
            files_delete_after_commit([profile.document.name], storage=profile.document.storage)
        for field in HOST_PROFILE_FIELDS:
            setattr(profile, field, "")
        profile.document = ""
        profile.save(update_fields=[*HOST_PROFILE_FIELDS, "document"])


def _deleted_email(user_id: int) -> str:
    return f"{deleted_username(user_id)}@deleted.invalid"


def _anonymise_user(user: User) -> None:
    files_delete_after_commit(stored_names(user, "avatar"))
    user.username = deleted_username(user.pk)
    user.email = _deleted_email(user.pk)
    user.first_name = user.last_name = user.display_name = user.bio = user.phone = ""
    user.avatar = ""
    user.avatar_variants = []
    user.email_verified_at = None
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def _revoke_refresh_tokens(user: User) -> None:
    outstanding = OutstandingToken.objects.filter(user=user).exclude(
        Q(blacklistedtoken__isnull=False)
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


@transaction.atomic
def account_delete(*, actor: User, password: str = "") -> User:
    """Anonymise the signed-in user's account (see the module's docstring); refused with 409
    while they captain a team in a live tournament, have a payment in flight or host a
    tournament that is not over."""
    user = lock_user(actor.pk, only_active=True)
    _confirm(user, password)
    _refuse_while_owed(user)
    _leave_teams(user)
    _erase_links(user)
    _anonymise_user(user)
    _revoke_refresh_tokens(user)
    hooks.close_user_sockets_after_commit(user.pk)
    log.info("account %s deleted (anonymised)", user.pk)
    return user
