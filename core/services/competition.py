"""Rounds, groups and matches of a tournament: the host's structure writes (locks in the order
core/services/locks.py gives: tournament → round → match → event sequence)."""

import logging
import random
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, ValidationError
from core.events import event_append
from core.models import (
    Group,
    GroupTeam,
    Match,
    MatchDispute,
    Registration,
    Round,
    Tournament,
    User,
)
from core.rules import tournaments as tournament_rules
from core.rules.seeding import group_names, snake_deal
from core.selectors.standings import ROUND, Scope, standings_rows

from .guards import RoundStateConflict, host_round, host_tournament
from .notify import notify_round_completed

log = logging.getLogger(__name__)


def round_status_event(round_: Round) -> None:
    qualified = round_.qualified if round_.status == Round.Status.COMPLETED else []
    event_append(
        tournament=round_.tournament_id,
        name="round.status",
        data={"round": round_.pk, "status": round_.status, "qualified": qualified},
    )


def round_mark_live(round_: Round) -> None:
    """The first match going live (or the first result) makes its round live. Caller holds the
    round lock."""
    if round_.status == Round.Status.SCHEDULED:
        round_.status = Round.Status.LIVE
        round_.save(update_fields=["status"])
        round_status_event(round_)


# Rounds are numbered 1..999 (the API refuses others; the next one by default stays within).
MAX_ROUND_NUMBER = 999


def round_create(
    *,
    actor: User,
    tournament: Tournament,
    name: str,
    number: int | None = None,
    qualify_per_group: int | None = None,
    qualify_top_n: int | None = None,
    is_final: bool = False,
) -> Round:
    if qualify_per_group and qualify_top_n:
        raise ValidationError(
            "Choose qualify_per_group or qualify_top_n, not both.",
            details={"qualify_top_n": ["Choose one qualification rule."]},
        )
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        existing = list(Round.objects.filter(tournament=t).values_list("number", flat=True))
        tournament_rules.tournament_check_can_add_round(tournament=t, existing_rounds=len(existing))
        number = number or (max(existing, default=0) + 1)
        if number in existing:
            raise Conflict(f"Round {number} already exists.", details={"number": [number]})
        if number > MAX_ROUND_NUMBER:  # the next number after a round numbered at the limit
            message = f"Round numbers run from 1 to {MAX_ROUND_NUMBER}: give a free number."
            raise Conflict(message, details={"number": [message]})
        return Round.objects.create(
            tournament=t,
            number=number,
            name=name,
            qualify_per_group=qualify_per_group or None,
            qualify_top_n=qualify_top_n or None,
            is_final=is_final or t.kind == Tournament.Kind.SCRIM,
        )


def _previous_round(round_: Round) -> Round | None:
    return (
        Round.objects.filter(tournament_id=round_.tournament_id, number__lt=round_.number)
        .order_by("-number")
        .first()
    )


def round_entrants(round_: Round) -> list[int]:
    """Team ids that may play this round, in seeding order: the confirmed registrations for the
    first round, the previous round's qualified teams (by rank) after it."""
    previous = _previous_round(round_)
    if previous is None:
        return list(
            Registration.objects.filter(
                tournament_id=round_.tournament_id, status=Registration.Status.CONFIRMED
            )
            .order_by("created_at", "id")
            .values_list("team_id", flat=True)
        )
    if previous.status != Round.Status.COMPLETED:
        raise RoundStateConflict(f"Complete {previous.name} first: it decides who plays here.")
    return list(previous.qualified)


def _check_lobby(tournament: Tournament, size: int) -> None:
    if size > tournament.game.lobby_size:
        raise ValidationError(
            f"A group holds at most {tournament.game.lobby_size} teams (one lobby).",
            details={"teams": [f"{size} teams is more than one lobby."]},
        )


def group_create(
    *, actor: User, tournament: Tournament, round_: Round, name: str, team_ids: list[int]
) -> Group:
    """A group filled by hand with teams allowed in its round."""
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        round_ = host_round(t, round_.pk)
        if len(set(team_ids)) != len(team_ids):
            raise ValidationError("A team is listed twice.", details={"teams": ["Duplicate team."]})
        _check_lobby(t, len(team_ids))
        # An empty group may be set up ahead: the previous round's completion fills it.
        allowed = set(round_entrants(round_)) if team_ids else set()
        strangers = [tid for tid in team_ids if tid not in allowed]
        if strangers:
            raise ValidationError(
                "These teams are not entrants of this round.", details={"teams": strangers}
            )
        try:
            with transaction.atomic():
                group = Group.objects.create(round=round_, tournament=t, name=name)
                GroupTeam.objects.bulk_create(
                    GroupTeam(group=group, round=round_, team_id=tid, seed=i)
                    for i, tid in enumerate(team_ids, start=1)
                )
        except IntegrityError as exc:
            raise Conflict(
                "The group name is taken, or a team is already in another group of this round."
            ) from exc
        return group


def groups_auto_seed(
    *, actor: User, tournament: Tournament, round_: Round, groups: int, seed: int | None = None
) -> list[Group]:
    """Create `groups` groups (A, B, …) and deal the round's entrants into them: sizes differ by at
    most one. Without `seed` the entrants' order is kept (registration order, or rank for later
    rounds) and dealt in a snake, so strength is spread; with `seed` they are shuffled first, the
    same way every time for the same seed."""
    if groups < 1:
        raise ValidationError("At least one group.", details={"groups": ["Must be 1 or more."]})
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        round_ = host_round(t, round_.pk, completed=None)
        if Group.objects.filter(round=round_).exists():
            raise RoundStateConflict("This round already has groups.")
        entrants = round_entrants(round_)
        if len(entrants) < groups:
            raise ValidationError(
                f"{len(entrants)} teams cannot fill {groups} groups.",
                details={"groups": ["More groups than teams."]},
            )
        if seed is not None:
            random.Random(seed).shuffle(entrants)  # noqa: S311 - a draw, not a secret
        buckets = snake_deal(entrants, groups)
        _check_lobby(t, max(len(b) for b in buckets))
        created = Group.objects.bulk_create(
            Group(round=round_, tournament=t, name=name) for name in group_names(groups)
        )
        if created[0].pk is None:  # backends without RETURNING on bulk insert
            created = list(Group.objects.filter(round=round_).order_by("id"))
        GroupTeam.objects.bulk_create(
            GroupTeam(group=group, round=round_, team_id=tid, seed=i)
            for group, bucket in zip(created, buckets, strict=True)
            for i, tid in enumerate(bucket, start=1)
        )
        return created


def match_create(
    *,
    actor: User,
    tournament: Tournament,
    group: Group,
    number: int | None = None,
    map_name: str = "",
    scheduled_at: datetime | None = None,
) -> Match:
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        if group.tournament_id != t.pk:
            raise NotFound("No such group in this tournament.")
        host_round(t, group.round_id)
        existing = Match.objects.filter(tournament=t).count()
        tournament_rules.tournament_check_can_add_match(tournament=t, existing_matches=existing)
        numbers = set(Match.objects.filter(group=group).values_list("number", flat=True))
        number = number or (max(numbers, default=0) + 1)
        if number in numbers:
            raise Conflict(f"Match {number} already exists in this group.")
        return Match.objects.create(
            tournament=t, group=group, number=number, map=map_name, scheduled_at=scheduled_at
        )


def disputes_hold(round_: Round, *, actor: User, override_reason: str) -> None:
    """Open disputes hold a round's completion (caller holds the round lock) unless the host
    overrides with a reason, which is stored on the round and logged."""
    disputes = list(
        MatchDispute.objects.filter(round=round_, status=MatchDispute.Status.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not disputes:
        return
    reason = override_reason.strip()[:300]
    if not reason:
        raise RoundStateConflict(
            f"{len(disputes)} dispute(s) of this round are open: resolve them, or override "
            "with a reason.",
            details={"disputes": disputes},
        )
    round_.override_reason = reason
    round_.save(update_fields=["override_reason"])
    log.warning(
        "round %s completed over open disputes %s by user %s: %s",
        round_.pk,
        disputes,
        actor.pk,
        reason,
    )


def round_complete(
    *, actor: User, tournament: Tournament, round_: Round, override_reason: str = ""
) -> Round:
    """Freeze the round's standings and advance its qualified teams: they become the next
    round's entrants, and if the next round already has empty groups they are dealt into them."""
    with transaction.atomic():
        t = host_tournament(actor, tournament.pk)
        round_ = host_round(t, round_.pk, completed="The round is already completed.")
        disputes_hold(round_, actor=actor, override_reason=override_reason)
        previous = _previous_round(round_)
        if previous is not None and previous.status != Round.Status.COMPLETED:
            raise RoundStateConflict(f"Complete {previous.name} first: rounds finish in order.")
        open_matches = Match.objects.filter(
            group__round=round_, status__in=[Match.Status.SCHEDULED, Match.Status.LIVE]
        ).count()
        if open_matches:
            raise RoundStateConflict(
                f"{open_matches} match(es) of this round are not completed or cancelled."
            )
        rows = standings_rows(Scope(ROUND, round_.pk, t.pk, round_.pk))
        round_.qualified = [r["team"]["id"] for r in rows if r["qualified"]]
        round_.status = Round.Status.COMPLETED
        round_.completed_at = timezone.now()
        round_.save(update_fields=["qualified", "status", "completed_at"])
        round_status_event(round_)
        _fill_next_round(t, round_)
        notify_round_completed(t, round_.name, rows)
        return round_


def _fill_next_round(tournament: Tournament, round_: Round) -> None:
    following = (
        Round.objects.filter(tournament=tournament, number__gt=round_.number)
        .order_by("number")
        .first()
    )
    if following is None:
        return
    groups = list(Group.objects.filter(round=following).order_by("name", "id"))
    if not groups or GroupTeam.objects.filter(round=following).exists():
        return
    buckets = snake_deal(list(round_.qualified), len(groups))
    _check_lobby(tournament, max(len(b) for b in buckets))
    GroupTeam.objects.bulk_create(
        GroupTeam(group=g, round=following, team_id=tid, seed=i)
        for g, bucket in zip(groups, buckets, strict=True)
        for i, tid in enumerate(bucket, start=1)
    )
