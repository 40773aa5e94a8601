"""Match status, schedule and custom-room credentials."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.events import event_append
from core.models import GroupTeam, Match, Registration, RegistrationPlayer, Round, Tournament, User

from .competition import RoundStateConflict, lock_round, require_host, round_mark_live
from .notifications import notifications_send
from .results import match_status_data

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


def match_update(*, actor: User, match: Match, changes: dict[str, Any]) -> Match:
    """PATCH: status (with a match.status event), map, schedule, room credentials."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"Cannot change {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        round_ = lock_round(
            Match.objects.values_list("group__round_id", flat=True).get(pk=match.pk)
        )
        locked = (
            Match.objects.select_for_update(of=("self",))
            .select_related("tournament")
            .get(pk=match.pk)
        )
        tournament = locked.tournament
        require_host(actor, tournament)
        if tournament.status in (Tournament.Status.COMPLETED, Tournament.Status.CANCELLED):
            raise Conflict(f"The tournament is {tournament.status}.")
        if round_.status == Round.Status.COMPLETED:
            raise RoundStateConflict("The round is completed.")
        fields = ["updated_at"]
        for name in ("map", "scheduled_at", *CREDENTIAL_FIELDS):
            if name in changes:
                setattr(
                    locked,
                    name,
                    changes[name] if changes[name] is not None or name.endswith("_at") else "",
                )
                fields.append(name)
        if any(name in changes for name in CREDENTIAL_FIELDS):
            locked.credentials_notified_at = None  # new credentials: tell the players again
            fields.append("credentials_notified_at")
        status = changes.get("status")
        moved = status is not None and status != locked.status
        if moved:
            if status not in ALLOWED_MOVES[locked.status]:
                raise Conflict(f"A {locked.status} match cannot become {status}.")
            if status == Match.Status.LIVE and tournament.status != Tournament.Status.LIVE:
                raise Conflict("Start the tournament before a match goes live.")
            if status == Match.Status.COMPLETED and locked.result_version == 0:
                raise Conflict("Submit the result before completing the match.")
            locked.status = status
            locked.completed_at = timezone.now() if status == Match.Status.COMPLETED else None
            fields += ["status", "completed_at"]
        locked.save(update_fields=fields)
        if moved:
            if status == Match.Status.LIVE:
                round_mark_live(round_)
            event_append(
                tournament=tournament.pk,
                name="match.status",
                data=match_status_data(locked, round_.pk),
            )
        if locked.room_id and locked.credentials_release_at is not None:
            _schedule_credentials_notice(locked)
        return locked


def _schedule_credentials_notice(match: Match) -> None:
    from core.tasks import match_credentials_notify  # the task module imports services

    match_id, eta = match.pk, match.credentials_release_at
    if eta <= timezone.now():
        transaction.on_commit(lambda: match_credentials_notify.delay(match_id=match_id))
    else:
        transaction.on_commit(
            lambda: match_credentials_notify.apply_async(kwargs={"match_id": match_id}, eta=eta)
        )


def _roster_of_group(match: Match):  # type: ignore[no-untyped-def]
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
            kind="room_credentials",
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
        if release is None or release > timezone.now():
            raise CredentialsNotReleased(
                "The room credentials are not released yet.",
                details={"release_at": release.isoformat() if release else None},
            )
    if not match.room_id:
        raise NotFound("The host has not set the room credentials yet.")
    return {
        "match": match.pk,
        "room_id": match.room_id,
        "room_password": match.room_password,
        "release_at": match.credentials_release_at,
    }
