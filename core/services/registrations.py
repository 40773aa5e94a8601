"""Registration writes: a captain registers a roster, withdraws; the host approves, rejects or
disqualifies; billing confirms a paid registration or releases its hold.

Seats are never oversold: every decision that takes a seat is made under the tournament's row
lock, after the clock and lapsed holds have been applied (tournament_state.py). A team that finds
the tournament full joins its waitlist; every seat freed here goes to the waitlist's head
(seats.py) under the same lock. The database
backs the roster rules with partial unique constraints (one active registration per team, one
active roster per player); a race that slips past a check ends as a 409, never a 500.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import hooks
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import (
    PlayerGameProfile,
    Registration,
    RegistrationPlayer,
    Team,
    TeamMembership,
    Tournament,
    User,
)
from core.permissions import require_verified_email
from core.rules.tournaments import SCHEDULED_STATUSES

from .locks import lock_registration
from .notify import notify_registration
from .seats import waitlist_promote
from .tournament_state import lock_and_sync_tournament, registrations_deactivate, seats_taken
from .webhook_deliveries import webhooks_registration_emit

RStatus = Registration.Status
TStatus = Tournament.Status


class RegistrationClosed(Conflict):
    code = "registration_closed"


class TournamentFull(Conflict):
    code = "tournament_full"


class AlreadyRegistered(Conflict):
    code = "already_registered"


class PlayerOnAnotherRoster(Conflict):
    code = "player_already_registered"


class RegistrationStateConflict(Conflict):
    code = "invalid_status"


def _roster_error(message: str, field: str = "players") -> ValidationError:
    return ValidationError(message, details={field: [message]})


def _require_captain(actor: User, team: Team) -> None:
    if not TeamMembership.objects.filter(
        team=team, user=actor, role=TeamMembership.Role.CAPTAIN
    ).exists():
        raise PermissionDenied(f"Only the captain of {team.name} can do this.")


def _roster(
    *, team: Team, tournament: Tournament, players: list[int], substitutes: list[int]
) -> list[RegistrationPlayer]:
    """Check the roster against the game's sizes and each player's readiness; unsaved rows."""
    game = tournament.game
    if len(players) != game.squad_size:
        raise _roster_error(
            f"{game.name} needs exactly {game.squad_size} players; {len(players)} were given."
        )
    if len(substitutes) > game.max_substitutes:
        raise _roster_error(
            f"{game.name} allows at most {game.max_substitutes} substitutes; "
            f"{len(substitutes)} were given.",
            "substitutes",
        )
    everyone = [*players, *substitutes]
    if len(set(everyone)) != len(everyone):
        raise _roster_error("A player appears twice on the roster.")
    members = {
        m.user_id: m.user
        for m in TeamMembership.objects.filter(team=team, user_id__in=everyone).select_related(
            "user"
        )
    }
    profiles = {
        p.user_id: p for p in PlayerGameProfile.objects.filter(user_id__in=everyone, game=game)
    }
    rows = []
    for user_id in everyone:
        user = members.get(user_id)
        if user is None:
            raise _roster_error(f"User {user_id} is not a member of {team.name}.")
        if not user.is_email_verified:
            raise _roster_error(f"{user.username} has not verified their email address.")
        profile = profiles.get(user_id)
        if profile is None:
            raise _roster_error(f"{user.username} has no {game.name} in-game id on their profile.")
        rows.append(
            RegistrationPlayer(
                tournament=tournament,
                user=user,
                in_game_name=profile.in_game_name,
                in_game_id=profile.in_game_id,
                is_substitute=user_id in substitutes,
            )
        )
    return rows


def _check_players_free(tournament: Tournament, rows: list[RegistrationPlayer]) -> None:
    taken = list(
        RegistrationPlayer.objects.filter(
            tournament=tournament, active=True, user_id__in=[r.user_id for r in rows]
        ).values_list("user__username", flat=True)
    )
    if taken:
        raise PlayerOnAnotherRoster(
            f"Already on another registered roster in this tournament: {', '.join(sorted(taken))}.",
            details={"players": sorted(taken)},
        )


def registration_create(
    *,
    actor: User,
    tournament: Tournament,
    team: Team,
    players: list[int],
    substitutes: list[int] | None = None,
) -> Registration:
    """Register `team` with its roster. Free → confirmed now; with a fee → pending_payment,
    holding the seat for REGISTRATION_HOLD_MINUTES until billing confirms the payment; when the
    tournament is full → waitlisted, in the order teams joined."""
    require_verified_email(actor, "registering a team")
    _require_captain(actor, team)
    if team.game_id != tournament.game_id:
        raise ValidationError(
            f"{team.name} is a {team.game.name} team; this tournament is {tournament.game.name}.",
            details={"team": ["The team's game does not match the tournament's."]},
        )
    rows = _roster(team=team, tournament=tournament, players=players, substitutes=substitutes or [])
    now = timezone.now()
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        full = _check_may_register(t, team, rows)
        paid_entry = t.entry_fee > 0 and not full
        registration = Registration(
            tournament=t,
            team=team,
            registered_by=actor,
            status=_first_status(full=full, paid=paid_entry),
            hold_expires_at=(
                now + timedelta(minutes=settings.REGISTRATION_HOLD_MINUTES) if paid_entry else None
            ),
            waitlisted_at=now if full else None,
        )
        try:
            with transaction.atomic():
                registration.save()
                for row in rows:
                    row.registration = registration
                RegistrationPlayer.objects.bulk_create(rows)
        except IntegrityError:
            # Only reachable if the checks above were raced past; the constraints decide.
            raise AlreadyRegistered(
                "The team or one of its players is already registered for this tournament."
            ) from None
        if registration.status in (RStatus.CONFIRMED, RStatus.WAITLISTED):
            notify_registration(registration, t, f"registration.{registration.status}")
        webhooks_registration_emit(registration, t)
        return registration


def _first_status(*, full: bool, paid: bool) -> str:
    if full:
        return RStatus.WAITLISTED
    return RStatus.PENDING_PAYMENT if paid else RStatus.CONFIRMED


def _check_may_register(t: Tournament, team: Team, rows: list[RegistrationPlayer]) -> bool:
    """Under the (synced) tournament lock: the window is open, the team and its players are not
    in the tournament yet. Returns whether every seat is taken (the team then waits in line)."""
    if t.status != TStatus.REGISTRATION_OPEN:
        when = (
            f"it opens at {t.registration_opens_at.isoformat()}"
            if t.status in (TStatus.DRAFT, TStatus.PUBLISHED)
            else "it is closed"
        )
        raise RegistrationClosed(f"Registration for {t.title} is not open: {when}.")
    if Registration.objects.filter(
        tournament=t, team=team, status__in=Registration.ACTIVE
    ).exists():
        raise AlreadyRegistered(f"{team.name} is already registered for {t.title}.")
    _check_players_free(t, rows)
    return seats_taken(tournament=t) >= t.max_teams


def captain_registration(
    tournament: Tournament,
    actor: User,
    team: Team | None,
    *,
    statuses: tuple[str, ...] = Registration.ACTIVE,
) -> Registration:
    """The registration (in one of `statuses`) of the team `actor` captains: `team`, or the one
    team they captain in this tournament."""
    qs = Registration.objects.filter(tournament=tournament, status__in=statuses).select_related(
        "team"
    )
    if team is not None:
        _require_captain(actor, team)
        registration = qs.filter(team=team).first()
    else:
        mine = list(
            qs.filter(
                team__memberships__user=actor,
                team__memberships__role=TeamMembership.Role.CAPTAIN,
            )
        )
        if len(mine) > 1:
            raise ValidationError(
                "You captain several registered teams: say which one.",
                details={"team": ["Required when you captain more than one registered team."]},
            )
        registration = mine[0] if mine else None
    if registration is None:
        raise NotFound("No active registration of your team in this tournament.")
    return registration


def registration_withdraw(
    *, actor: User, tournament: Tournament, team: Team | None = None
) -> Registration:
    """The captain withdraws before registration closes (from the waitlist too, until the
    start); the seat and the roster are freed, and the seat goes to the waitlist. A paid entry
    fee is refunded by billing after commit (core.hooks)."""
    now = timezone.now()
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        registration = captain_registration(t, actor, team)
        open_now = (TStatus.PUBLISHED, TStatus.REGISTRATION_OPEN)
        if registration.status == RStatus.WAITLISTED:
            open_now = SCHEDULED_STATUSES
        if t.status not in open_now:
            raise RegistrationClosed("Registration has closed: withdrawing is no longer possible.")
        registrations_deactivate(registration_ids=[registration.pk], status=RStatus.WITHDRAWN)
        waitlist_promote(tournament=t, now=now)
        registration.refresh_from_db()
        hooks.registration_withdrawn_after_commit(registration)  # billing refunds
        webhooks_registration_emit(registration, t)
        return registration


def _confirm_locked(t: Tournament, registration: Registration, *, paid: bool) -> Registration:
    """Confirm under the tournament lock; a registration that had lost its seat needs a free one."""
    if registration.status == RStatus.CONFIRMED:
        return registration
    if t.status not in SCHEDULED_STATUSES:
        raise RegistrationStateConflict(f"The tournament is {t.status}: no more confirmations.")
    if registration.status != RStatus.PENDING_PAYMENT:
        if seats_taken(tournament=t) >= t.max_teams:
            raise TournamentFull(f"{t.title} is full: all {t.max_teams} seats are taken.")
        try:
            with transaction.atomic():
                RegistrationPlayer.objects.filter(registration=registration).update(active=True)
                registration.status = RStatus.CONFIRMED
                registration.save(update_fields=["status", "updated_at"])
        except IntegrityError:
            raise PlayerOnAnotherRoster(
                "The team or one of its players has registered again meanwhile."
            ) from None
    registration.status = RStatus.CONFIRMED
    registration.hold_expires_at = None
    registration.is_paid = registration.is_paid or paid
    registration.save(update_fields=["status", "hold_expires_at", "is_paid", "updated_at"])
    notify_registration(registration, t, "registration.confirmed")
    webhooks_registration_emit(registration, t)
    return registration


def registration_confirm(*, registration: Registration) -> Registration:
    """Billing: the entry fee is paid. Idempotent. Raises TournamentFull (or
    another Conflict) when the seat is gone, so the caller refunds."""
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=registration.tournament_id, now=timezone.now())
        reg = lock_registration(t, registration.pk)
        if reg.status not in (RStatus.PENDING_PAYMENT, RStatus.EXPIRED, RStatus.CONFIRMED):
            raise RegistrationStateConflict(f"The registration is {reg.status}.")
        return _confirm_locked(t, reg, paid=t.entry_fee > 0)


def registration_release_hold(*, registration: Registration, reason: str = "") -> Registration:
    """Billing: the payment failed or was abandoned; free the seat. Idempotent."""
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=registration.tournament_id, now=timezone.now())
        reg = lock_registration(t, registration.pk)
        if reg.status == RStatus.PENDING_PAYMENT:
            registrations_deactivate(
                registration_ids=[reg.pk], status=RStatus.EXPIRED, reason=reason[:300]
            )
            waitlist_promote(tournament=t, now=timezone.now())
            reg.refresh_from_db()
            webhooks_registration_emit(reg, t)
        return reg


MODERATION_ACTIONS = ("approve", "reject", "disqualify")


def registration_moderate(
    *, actor: User, tournament: Tournament, registration_id: int, action: str, reason: str = ""
) -> Registration:
    """The host approves (confirms without payment), rejects or disqualifies, with a reason."""
    if action not in MODERATION_ACTIONS:
        raise ValidationError(
            f"action must be one of {', '.join(MODERATION_ACTIONS)}.",
            details={"action": ["Unknown action."]},
        )
    reason = reason.strip()[:300]
    if action != "approve" and not reason:
        raise ValidationError(
            f"Give a reason to {action} a team.", details={"reason": ["Required."]}
        )
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=timezone.now())
        if t.host_id != actor.pk:
            raise PermissionDenied("Only this tournament's host can manage its registrations.")
        reg = lock_registration(t, registration_id)
        if action == "approve":
            if reg.status not in (RStatus.PENDING_PAYMENT, RStatus.EXPIRED, RStatus.REJECTED):
                raise RegistrationStateConflict(f"A {reg.status} registration cannot be approved.")
            return _confirm_locked(t, reg, paid=False)
        if t.status in (TStatus.COMPLETED, TStatus.CANCELLED):
            raise RegistrationStateConflict(f"The tournament is {t.status}.")
        allowed = Registration.ACTIVE if action == "reject" else (RStatus.CONFIRMED,)
        if reg.status not in allowed:
            done = "rejected" if action == "reject" else "disqualified"
            raise RegistrationStateConflict(f"A {reg.status} registration cannot be {done}.")
        if action == "reject" and t.status == TStatus.LIVE:
            raise RegistrationStateConflict("The tournament is live: disqualify instead.")
        new_status = RStatus.REJECTED if action == "reject" else RStatus.DISQUALIFIED
        registrations_deactivate(registration_ids=[reg.pk], status=new_status, reason=reason)
        waitlist_promote(tournament=t, now=timezone.now())
        reg.refresh_from_db()
        notify_registration(reg, t, f"registration.{new_status}", reason=reason)
        webhooks_registration_emit(reg, t)
        return reg
