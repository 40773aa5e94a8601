"""Tournament and scrim writes: create, update, delete, publish, start, cancel, and the schedule
sweep run by the periodic task. Rules of the values live in core/rules/tournaments.py; the row
lock and the schedule re-check every action makes live in tournament_state.py."""

from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core import hooks
from core.errors import ApplicationError, Conflict, NotFound, PermissionDenied, ValidationError
from core.media.images import clean_image
from core.models import Game, Registration, Tournament, User
from core.permissions import require_verified_host
from core.rules.tournaments import (
    FINAL_STATUSES,
    PLAN_RANK,
    SCHEDULED_STATUSES,
    check_max_teams,
    check_money,
    check_schedule,
    clean_prize_split,
)
from core.scoring import PointsTableError, validate_points_table

from .media import files_delete_after_commit, image_put, stored_names
from .tournament_state import (
    lock_and_sync_tournament,
    registrations_deactivate,
    seats_taken,
    tournament_set_status,
)

Status = Tournament.Status

# Set at creation or later: the check-in window and the dispute window (docs/api.md).
MATCH_DAY_FIELDS = frozenset(
    {"checkin_opens_at", "checkin_closes_at", "dispute_window_minutes", "auto_complete_rounds"}
)
# What a host may still change once the tournament is live (the rest is locked in).
LIVE_EDITABLE = frozenset({"description", "rules", "banner"})
EDITABLE = frozenset(
    {
        "game",
        "title",
        "description",
        "rules",
        "banner",
        "registration_opens_at",
        "registration_closes_at",
        "starts_at",
        "max_teams",
        "entry_fee",
        "prize_pool",
        "prize_split",
        "points_table",
        "plan",
        "visibility",
        "checkin_opens_at",
        "checkin_closes_at",
        "dispute_window_minutes",
        "auto_complete_rounds",
    }
)


class PlanFeeUnpaid(ApplicationError):
    code = "plan_fee_unpaid"
    http_status = 402


class TournamentStateConflict(Conflict):
    code = "invalid_status"


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError(message, details={field: [message]})


def _points_table(raw: Any) -> dict[str, Any]:
    try:
        return validate_points_table(raw)
    except PointsTableError as exc:
        raise ValidationError(str(exc), details={"points_table": {exc.field: [str(exc)]}}) from None


def _require_host_of(actor: User, tournament: Tournament) -> None:
    if tournament.host_id != actor.pk:
        # Drafts are invisible to others, so theirs is a 404; a visible one is a 403.
        if tournament.status == Status.DRAFT:
            raise NotFound("No such tournament.")
        raise PermissionDenied("Only this tournament's host can do that.")


@transaction.atomic  # the banner's variants job is enqueued after commit, with the new row's id
def tournament_create(
    *,
    actor: User,
    game: Game,
    title: str,
    registration_opens_at: datetime,
    registration_closes_at: datetime,
    starts_at: datetime,
    max_teams: int,
    kind: str = Tournament.Kind.TOURNAMENT,
    description: str = "",
    rules: str = "",
    banner: UploadedFile | None = None,
    entry_fee: int = 0,
    prize_pool: int = 0,
    prize_split: list | None = None,
    points_table: Any = None,
    plan: str = Tournament.Plan.BASIC,
    visibility: str = Tournament.Visibility.PUBLIC,
    **match_day: Any,
) -> Tournament:
    """A new tournament or scrim in draft, owned by `actor` (an approved host). `match_day`:
    any of checkin_opens_at, checkin_closes_at (both or neither), dispute_window_minutes."""
    match_day = {k: v for k, v in match_day.items() if k in MATCH_DAY_FIELDS}
    require_verified_host(actor, "creating a tournament")
    _check_new(game=game, kind=kind, plan=plan, title=title, starts_at=starts_at)
    check_schedule(
        opens_at=registration_opens_at,
        closes_at=registration_closes_at,
        starts_at=starts_at,
        checkin=(match_day.get("checkin_opens_at"), match_day.get("checkin_closes_at")),
    )
    check_max_teams(kind=kind, max_teams=max_teams)
    split, table = _money_and_table(game, entry_fee, prize_pool, prize_split, points_table)
    tournament = Tournament(
        kind=kind,
        game=game,
        host=actor,
        title=title.strip(),
        description=description,
        rules=rules,
        status=Status.DRAFT,
        plan=plan,
        plan_rank=PLAN_RANK[plan],
        visibility=visibility,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        starts_at=starts_at,
        max_teams=max_teams,
        entry_fee=entry_fee,
        prize_pool=prize_pool,
        prize_split=split,
        points_table=table,
        **match_day,
    )
    if banner is not None:
        image_put(tournament, "banner", clean_image(banner, field="banner"))
    tournament.save()
    return tournament


def _money_and_table(
    game: Game, entry_fee: int, prize_pool: int, prize_split: list | None, points_table: Any
) -> tuple[list[dict[str, int]], dict[str, Any]]:
    check_money("entry_fee", entry_fee)
    check_money("prize_pool", prize_pool)
    split = clean_prize_split(prize_split or [], prize_pool)
    return split, _points_table(points_table if points_table else game.default_points_preset)


def _check_new(*, game: Game, kind: str, plan: str, title: str, starts_at: datetime) -> None:
    if not game.is_active:
        raise _bad("game", f"{game.name} is not open for new tournaments.")
    if kind not in Tournament.Kind.values:
        raise _bad("kind", f"kind must be one of {', '.join(Tournament.Kind.values)}.")
    if plan not in PLAN_RANK:
        raise _bad("plan", f"plan must be one of {', '.join(PLAN_RANK)}.")
    if not title.strip():
        raise _bad("title", "A title is required.")
    if starts_at <= timezone.now():
        raise _bad("starts_at", "The start must be in the future.")


def _check_fields_allowed(tournament: Tournament, changes: dict[str, Any]) -> None:
    unknown = set(changes) - EDITABLE
    if unknown:
        raise _bad(sorted(unknown)[0], f"{', '.join(sorted(unknown))} cannot be changed here.")
    if tournament.status in FINAL_STATUSES:
        raise TournamentStateConflict(f"A {tournament.status} tournament cannot be edited.")
    if tournament.status == Status.LIVE:
        locked = set(changes) - LIVE_EDITABLE
        if locked:
            raise TournamentStateConflict(
                f"Live tournament: only {', '.join(sorted(LIVE_EDITABLE))} can change.",
                details={"fields": sorted(locked)},
            )
    if tournament.status != Status.DRAFT:
        # The plan fee is paid for one plan at publishing; rosters are checked against one game.
        for field in ("plan", "game"):
            if field in changes and changes[field] != getattr(tournament, field):
                raise _bad(field, f"{field} can only change while the tournament is a draft.")


def tournament_update(
    *, actor: User, tournament: Tournament, changes: dict[str, Any]
) -> Tournament:
    """Apply a host's partial update, limited by status (see EDITABLE / LIVE_EDITABLE)."""
    now = timezone.now()
    changes = dict(changes)
    if "banner" in changes:
        # Decoding and re-encoding an image is slow: never under the row lock.
        changes["banner"] = clean_image(changes["banner"], field="banner")
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        _require_host_of(actor, t)
        _check_fields_allowed(t, changes)
        taken = seats_taken(tournament=t)
        if "entry_fee" in changes and changes["entry_fee"] != t.entry_fee:
            check_money("entry_fee", changes["entry_fee"])
            if (
                Registration.objects.filter(tournament=t)
                .exclude(status=Registration.Status.EXPIRED)
                .exists()
            ):
                raise _bad("entry_fee", "The entry fee cannot change once teams have registered.")
        start = changes.get("starts_at")
        if start is not None and start != t.starts_at and start <= now:
            raise _bad("starts_at", "The start must be in the future.")
        if "game" in changes and not changes["game"].is_active:
            raise _bad("game", f"{changes['game'].name} is not open for new tournaments.")
        if "plan" in changes:
            if changes["plan"] not in PLAN_RANK:
                raise _bad("plan", f"plan must be one of {', '.join(PLAN_RANK)}.")
            t.plan_rank = PLAN_RANK[changes["plan"]]
        if "points_table" in changes:
            changes["points_table"] = _points_table(changes["points_table"])
        if "title" in changes:
            changes["title"] = changes["title"].strip()
            if not changes["title"]:
                raise _bad("title", "A title is required.")
        if "prize_pool" in changes:
            check_money("prize_pool", changes["prize_pool"])

        if "banner" in changes:
            image_put(t, "banner", changes.pop("banner"))
        for field, value in changes.items():
            setattr(t, field, value)
        check_schedule(
            opens_at=t.registration_opens_at,
            closes_at=t.registration_closes_at,
            starts_at=t.starts_at,
            checkin=(t.checkin_opens_at, t.checkin_closes_at),
        )
        check_max_teams(kind=t.kind, max_teams=t.max_teams, seats_taken=taken)
        if {"prize_pool", "prize_split"} & set(changes):
            t.prize_split = clean_prize_split(t.prize_split, t.prize_pool)
        t.save()
        # A moved window moves the status with it, within this same lock.
        return lock_and_sync_tournament(tournament_id=t.pk, now=now)


def tournament_delete(*, actor: User, tournament: Tournament) -> None:
    """Only a draft, or a published tournament nobody registered for; otherwise cancel it."""
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=timezone.now())
        _require_host_of(actor, t)
        if t.status not in (Status.DRAFT, *SCHEDULED_STATUSES) or t.registrations.exists():
            raise TournamentStateConflict(
                "Only a tournament without registrations can be deleted; cancel it instead."
            )
        files_delete_after_commit(stored_names(t, "banner"))
        t.delete()


def tournament_publish(*, actor: User, tournament: Tournament) -> Tournament:
    """Publish a draft. Unpaid plan fee: PlanFeeUnpaid (402) whose details carry the payment to
    complete (billing starts it, outside the row lock); it publishes when that payment completes.
    When billing cannot start one, its own error is the answer (e.g. 503 when PhonePe is down)."""
    try:
        return _publish(actor=actor, tournament=tournament)
    except PlanFeeUnpaid as exc:
        payment = hooks.plan_fee_payment(actor, tournament)
        if payment is not None:
            exc.details["payment"] = payment
        raise


def _publish(*, actor: User, tournament: Tournament) -> Tournament:
    now = timezone.now()
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        _require_host_of(actor, t)
        require_verified_host(actor, "publishing a tournament")
        if t.status != Status.DRAFT:
            raise TournamentStateConflict(f"Only a draft can be published; this one is {t.status}.")
        if t.registration_closes_at <= now:
            raise _bad("registration_closes_at", "Registration would already be closed: move it.")
        if not hooks.plan_fee_paid(t):
            raise PlanFeeUnpaid(
                f"Pay the {t.plan} plan fee before publishing.", details={"plan": t.plan}
            )
        t.status = Status.PUBLISHED
        t.published_at = now
        t.save(update_fields=["status", "published_at", "updated_at"])
        return lock_and_sync_tournament(tournament_id=t.pk, now=now)


def tournament_start(*, actor: User, tournament: Tournament) -> Tournament:
    """Go live: registration closes, unpaid holds lapse, at least two confirmed teams."""
    now = timezone.now()
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=now)
        _require_host_of(actor, t)
        if t.status not in SCHEDULED_STATUSES:
            raise TournamentStateConflict(f"A {t.status} tournament cannot be started.")
        unpaid = list(
            t.registrations.filter(status=Registration.Status.PENDING_PAYMENT).values_list(
                "pk", flat=True
            )
        )
        registrations_deactivate(
            registration_ids=unpaid,
            status=Registration.Status.EXPIRED,
            reason="Not paid when the tournament started.",
        )
        queued = t.registrations.filter(status=Registration.Status.WAITLISTED)
        registrations_deactivate(
            registration_ids=list(queued.values_list("pk", flat=True)),
            status=Registration.Status.EXPIRED,
            reason="The tournament started: the waitlist is closed.",
        )
        confirmed = t.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if confirmed < 2:
            raise TournamentStateConflict(
                f"At least 2 confirmed teams are needed to start; there are {confirmed}."
            )
        tournament_set_status(t, Status.LIVE)
        return t


def tournament_cancel(*, actor: User, tournament: Tournament, reason: str = "") -> Tournament:
    """Cancel before completion. Retrying is harmless: a cancelled tournament stays as it was.
    Billing refunds every completed entry fee after commit (core.hooks)."""
    with transaction.atomic():
        t = lock_and_sync_tournament(tournament_id=tournament.pk, now=timezone.now())
        _require_host_of(actor, t)
        # Also on a retry: billing's refunds are idempotent, and a retry re-drives a lost one.
        hooks.tournament_cancelled_after_commit(t)
        if t.status == Status.CANCELLED:
            return t
        if t.status == Status.COMPLETED:
            raise TournamentStateConflict("A completed tournament cannot be cancelled.")
        t.cancelled_reason = reason[:300]
        tournament_set_status(t, Status.CANCELLED, also=("cancelled_reason",))
        return t
