"""The host's tools for match day (docs/api.md "Host tools"): a round's matches made in one go
(a count per group, a rotation of maps, a start and an interval), a match moved or cancelled with
a reason (an event for the room, a notification for its players), and a group's room credentials
released at once or at a time."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import Conflict, ValidationError
from core.events import event_append
from core.models import Group, Match, Round, Tournament, User
from core.rules import tournaments as tournament_rules

from .guards import RoundStateConflict, host_match, host_round, host_tournament, require_open
from .matches import match_update, players_of_group
from .notifications import notifications_send

MAX_BULK = 20


def matches_bulk_create(
    *,
    actor: User,
    tournament: Tournament,
    round_: Round,
    count: int,
    maps: list[str] | None = None,
    starts_at: datetime | None = None,
    interval_minutes: int = 0,
) -> list[Match]:
    """`count` more matches in every group of the round, numbered on from each group's last;
    the i-th takes maps[i % len(maps)] and starts at starts_at + i * interval (groups play side
    by side, so the same slot in every group)."""
    if not 1 <= count <= MAX_BULK:
        raise ValidationError(f"count is 1..{MAX_BULK}.", details={"count": ["Out of range."]})
    maps = maps or []
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        round_ = host_round(t, round_.pk)
        groups = list(Group.objects.filter(round=round_).order_by("name", "id"))
        if not groups:
            raise RoundStateConflict("The round has no groups yet.")
        existing = Match.objects.filter(tournament=t).count()
        tournament_rules.tournament_check_can_add_match(
            tournament=t, existing_matches=existing + count * len(groups) - 1
        )
        created = []
        for group in groups:
            last = max(
                Match.objects.filter(group=group).values_list("number", flat=True), default=0
            )
            for i in range(count):
                when = starts_at + timedelta(minutes=interval_minutes * i) if starts_at else None
                created.append(
                    Match(
                        tournament=t,
                        group=group,
                        number=last + i + 1,
                        map=maps[i % len(maps)] if maps else "",
                        scheduled_at=when,
                    )
                )
        Match.objects.bulk_create(created)
        made = Q()
        for m in created:
            made |= Q(group_id=m.group_id, number=m.number)
        return list(Match.objects.filter(made).order_by("group__name", "number"))


def _schedule_event(match: Match, round_id: int, reason: str) -> None:
    event_append(
        tournament=match.tournament_id,
        name="match.schedule",
        data={
            "match": match.pk,
            "round": round_id,
            "group": match.group_id,
            "number": match.number,
            "status": match.status,
            "scheduled_at": match.scheduled_at.isoformat() if match.scheduled_at else None,
            "reason": reason,
        },
    )


def _tell_players(match: Match, kind: str, title: str, reason: str) -> None:
    notifications_send(
        users=players_of_group(match),
        kind=kind,
        title=title,
        body=reason,
        data={"tournament": match.tournament_id, "match": match.pk},
        email_context={
            "tournament": match.tournament.title,
            "tournament_id": match.tournament_id,
            "match_number": match.number,
        },
    )


def _reason(reason: str) -> str:
    reason = reason.strip()[:300]
    if not reason:
        raise ValidationError("Give a reason.", details={"reason": ["Required."]})
    return reason


def match_reschedule(*, actor: User, match_id: int, scheduled_at: datetime, reason: str) -> Match:
    """Move a scheduled match, with a reason the room and the players are told."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = host_match(actor, match_id)
        require_open(locked.tournament)
        match = locked.match
        if locked.round.status == Round.Status.COMPLETED or match.status != Match.Status.SCHEDULED:
            raise Conflict(f"Only a scheduled match moves (this one is {match.status}).")
        match.scheduled_at = scheduled_at
        match.save(update_fields=["scheduled_at", "updated_at"])
        _schedule_event(match, locked.round.pk, reason)
        when = scheduled_at.strftime("%Y-%m-%d %H:%M UTC")
        _tell_players(match, "match.rescheduled", f"Match {match.number} moved to {when}", reason)
        return match


def match_cancel(*, actor: User, match_id: int, reason: str) -> Match:
    """Cancel a match (its result stops counting) with a reason the room and players are told."""
    reason = _reason(reason)
    with transaction.atomic():
        update = match_update(actor=actor, match_id=match_id, changes={"status": "cancelled"})
        match = update.match
        _schedule_event(match, match.group.round_id, reason)
        _tell_players(match, "match.cancelled", f"Match {match.number} is cancelled", reason)
        return match


def group_credentials_release(
    *, actor: User, tournament: Tournament, group: Group, at: datetime | None = None
) -> list[Match]:
    """Release the room credentials of every match of the group that has them and is still to be
    played, now or at `at` (each match's players are told at that time, as PATCH does)."""
    at = at or timezone.now()
    with transaction.atomic():
        host_tournament(actor, tournament.pk)
        matches = list(
            Match.objects.filter(
                group=group, status__in=[Match.Status.SCHEDULED, Match.Status.LIVE]
            )
            .exclude(room_id="")
            .order_by("number")
        )
        if not matches:
            raise Conflict("No match of the group to be played has room credentials.")
        return [
            match_update(actor=actor, match_id=m.pk, changes={"credentials_release_at": at}).match
            for m in matches
        ]
