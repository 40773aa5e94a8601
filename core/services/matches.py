"""Match status, schedule and custom-room credentials."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core import jobs
from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.events import current_seq, event_append
from core.models import GroupTeam, Match, Registration, RegistrationPlayer, Round, Tournament, User

from .competition import round_mark_live
from .guards import LockedMatch, RoundStateConflict, host_match, require_open
from .idempotency import fingerprint_of, idempotent_apply
from .notifications import notifications_send

ALLOWED_MOVES = {
    Match.Status.SCHEDULED: {Match.Status.LIVE, Match.Status.CANCELLED},
    Match.Status.LIVE: {Match.Status.SCHEDULED, Match.Status.COMPLETED, Match.Status.CANCELLED},
    Match.Status.COMPLETED: {Match.Status.LIVE},  # reopened for a correction
    Match.Status.CANCELLED: {Match.Status.SCHEDULED},
}
CREDENTIAL_FIELDS = ("room_id", "room_password", "credentials_release_at")
EDITABLE = ("status", "map", "scheduled_at", *CREDENTIAL_FIELDS)


class CredentialsNotReleased(PermissionDenied):
    code = "credentials_not_released"


@dataclass(frozen=True, slots=True)
class MatchUpdate:
    """What a match update answers: the match as it now is, the seq of the last event it
    produced (the current seq if none) and whether it was a retry answered from its record."""

    match: Match
    seq: int
    duplicate: bool = False


def match_status_data(match: Match, round_id: int) -> dict[str, Any]:
    """The data of a `match.status` event."""
    return {
        "match": match.pk,
        "round": round_id,
        "group": match.group_id,
        "number": match.number,
        "status": match.status,
    }


def match_update(
    *,
    actor: User,
    match_id: int,
    changes: dict[str, Any],
    request_id: str | None = None,
    tournament_id: int | None = None,
) -> MatchUpdate:
    """PATCH / `match.status`: status (with a match.status event), map, schedule, room
    credentials. Retried with the same `request_id`, it answers the first outcome."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        locked = host_match(actor, match_id, tournament_id=tournament_id)
        require_open(locked.tournament)
        if locked.round.status == Round.Status.COMPLETED:
            raise RoundStateConflict("The round is completed.")

        def apply() -> dict[str, Any]:
            _apply_changes(locked, changes)
            return {"seq": current_seq(locked.tournament.pk)}

        outcome, duplicate = idempotent_apply(
            actor=actor,
            key=request_id,
            fingerprint=fingerprint_of("match.update", match_id, changes),
            apply=apply,
        )
        return MatchUpdate(locked.match, outcome["seq"], duplicate)


def _apply_changes(locked: LockedMatch, changes: dict[str, Any]) -> None:
    match, tournament = locked.match, locked.tournament
    fields = ["updated_at"]
    for name in ("map", "scheduled_at", *CREDENTIAL_FIELDS):
        if name in changes:
            value = changes[name]
            setattr(match, name, value if value is not None or name.endswith("_at") else "")
            fields.append(name)
    if any(name in changes for name in CREDENTIAL_FIELDS):
        match.credentials_notified_at = None  # new credentials: tell the players again
        fields.append("credentials_notified_at")
    status = changes.get("status")
    moved = status is not None and status != match.status
    if moved:
        _check_move(match, tournament, status)
        match.status = status
        match.completed_at = timezone.now() if status == Match.Status.COMPLETED else None
        fields += ["status", "completed_at"]
    match.save(update_fields=fields)
    if moved:
        if status == Match.Status.LIVE:
            round_mark_live(locked.round)
        event_append(
            tournament=tournament.pk,
            name="match.status",
            data=match_status_data(match, locked.round.pk),
        )
    if match.room_id and match.credentials_release_at is not None:
        jobs.enqueue_after_commit(
            jobs.MATCH_CREDENTIALS_NOTIFY,
            eta=match.credentials_release_at
            if match.credentials_release_at > timezone.now()
            else None,
            match_id=match.pk,
        )


def _check_move(match: Match, tournament: Tournament, status: str) -> None:
    if status not in ALLOWED_MOVES[match.status]:
        raise Conflict(f"A {match.status} match cannot become {status}.")
    if status == Match.Status.LIVE and tournament.status != Tournament.Status.LIVE:
        raise Conflict("Start the tournament before a match goes live.")
    if status == Match.Status.COMPLETED and match.result_version == 0:
        raise Conflict("Submit the result before completing the match.")


def _roster_of_group(match: Match) -> QuerySet[RegistrationPlayer]:
    teams = GroupTeam.objects.filter(group_id=match.group_id).values("team_id")
    return RegistrationPlayer.objects.filter(
        tournament_id=match.tournament_id,
        active=True,
        registration__status=Registration.Status.CONFIRMED,
        registration__team_id__in=teams,
    )


def players_of_group(match: Match) -> list[User]:
    """The active players of the confirmed teams in the match's group."""
    user_ids = _roster_of_group(match).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True))


def match_credentials_notify(*, match_id: int, now: datetime | None = None) -> int:
    """Tell the group's players the room is ready, once, from the release time on (the task runs
    at the release time; an early or repeated run does nothing). Returns how many were told."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            Match.objects.filter(
                pk=match_id,
                credentials_notified_at__isnull=True,
                credentials_release_at__lte=now,
            )
            .exclude(room_id="")
            .update(credentials_notified_at=now)
        )
        if not claimed:
            return 0
        match = Match.objects.select_related("tournament").get(pk=match_id)
        players = players_of_group(match)
        context = {
            "tournament": match.tournament.title,
            "tournament_id": match.tournament_id,
            "match_number": match.number,
            "map": match.map,
        }
        notifications_send(
            users=players,
            kind="match.credentials",
            title=f"Room ready: {match.tournament.title}, match {match.number}",
            body="The custom-room id and password are available.",
            data={"tournament": match.tournament_id, "match": match.pk},
            email_template="room_credentials",
            email_context=context,
        )
        return len(players)


def match_credentials_get(*, actor: User, match: Match) -> dict[str, Any]:
    """Host and staff always; players of confirmed registrations in the match's group from the
    release time on; nobody else."""
    tournament = match.tournament
    if not actor.is_authenticated:
        raise PermissionDenied("Sign in to see room credentials.")
    is_host = actor.is_staff or actor.pk == tournament.host_id
    if not is_host:
        if not _roster_of_group(match).filter(user_id=actor.pk).exists():
            raise PermissionDenied("Only the players of this match's group can see its room.")
        release = match.credentials_release_at
        if release is None:
            raise CredentialsNotReleased(
                "The host has not released the room credentials yet (no release time is set).",
                details={"release_at": None},
            )
        if release > timezone.now():
            raise CredentialsNotReleased(
                f"The room credentials are released at {release.isoformat()}.",
                details={"release_at": release.isoformat()},
            )
    if not match.room_id:
        raise NotFound("The host has not set the room credentials yet.")
    return {
        "match": match.pk,
        "room_id": match.room_id,
        "room_password": match.room_password,
        "release_at": match.credentials_release_at,
    }
