"""Result disputes (docs/api.md "Disputes"): within the tournament's window after a match's final
result, a captain of a team in that match disputes it with a reason and evidence; the host
accepts (correcting the result through `match_result_submit`, which versions it, keeps it in the
history and recomputes the standings) or rejects it with a reason. Both sides are notified; open
disputes hold the round's completion and the winner's selection (core/services/competition.py,
winners.py) unless the host overrides with a reason."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.events import event_append
from core.models import (
    GroupTeam,
    Match,
    MatchDispute,
    Registration,
    RegistrationPlayer,
    Round,
    TeamMembership,
    Tournament,
    User,
)
from core.rules.results import ResultSubmission

from .guards import host_match
from .locks import lock_dispute, lock_match, lock_round
from .notifications import notifications_send
from .results import match_result_submit

DStatus = MatchDispute.Status
MAX_EVIDENCE = 10


class DisputeClosed(Conflict):
    code = "dispute_closed"


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # "text" | "link"
    value: str


def _lock_for_player(match_id: int) -> tuple[Round, Match]:
    round_id = Match.objects.filter(pk=match_id).values_list("group__round_id", flat=True).first()
    if round_id is None:
        raise NotFound("No such match.")
    return lock_round(round_id), lock_match(match_id)


def _disputing_team(actor: User, match: Match, team_id: int | None) -> int:
    """The team of the match's group that `actor` captains (`team_id` when several)."""
    captained = set(
        TeamMembership.objects.filter(
            user=actor,
            role=TeamMembership.Role.CAPTAIN,
            team__in=GroupTeam.objects.filter(group_id=match.group_id).values("team_id"),
        ).values_list("team_id", flat=True)
    )
    if team_id is not None:
        captained &= {team_id}
    if not captained:
        raise PermissionDenied("Only a captain of a team in this match can dispute its result.")
    if len(captained) > 1:
        message = "You captain several teams in this match: say which one."
        raise ValidationError(message, details={"team": [message]})
    return captained.pop()


def _check_window(tournament: Tournament, round_: Round, match: Match) -> None:
    if tournament.status != Tournament.Status.LIVE or round_.status == Round.Status.COMPLETED:
        raise DisputeClosed("Results of this match can no longer be disputed.")
    if match.status != Match.Status.COMPLETED or match.completed_at is None:
        raise DisputeClosed("Only a match's final result can be disputed.")
    closes = match.completed_at + timedelta(minutes=tournament.dispute_window_minutes)
    if timezone.now() > closes:
        raise DisputeClosed(
            f"The dispute window closed at {closes.isoformat()}.", details={"closed_at": closes}
        )


def dispute_open(
    *,
    actor: User,
    match_id: int,
    reason: str,
    evidence: list[Evidence],
    team_id: int | None = None,
) -> MatchDispute:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason.", details={"reason": ["Required."]})
    if len(evidence) > MAX_EVIDENCE:
        message = f"At most {MAX_EVIDENCE} pieces of evidence."
        raise ValidationError(message, details={"evidence": [message]})
    with transaction.atomic():
        round_, match = _lock_for_player(match_id)
        team = _disputing_team(actor, match, team_id)
        _check_window(match.tournament, round_, match)
        try:
            with transaction.atomic():
                dispute = MatchDispute.objects.create(
                    match=match,
                    tournament=match.tournament,
                    round=round_,
                    team_id=team,
                    opened_by=actor,
                    reason=reason,
                    evidence=[{"kind": e.kind, "value": e.value} for e in evidence],
                    result_version=match.result_version,
                )
        except IntegrityError:
            raise Conflict("Your team already has an open dispute on this match.") from None
        _announce(dispute)
        _notify(dispute, opened=True)
        return dispute


def dispute_resolve(
    *,
    actor: User,
    match_id: int,
    dispute_id: int,
    accept: bool,
    reason: str = "",
    correction: ResultSubmission | None = None,
) -> MatchDispute:
    """Accept (with an optional corrected result) or reject (with a reason) an open dispute."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError("Give a reason to reject.", details={"reason": ["Required."]})
    if not accept and correction is not None:
        message = "A rejected dispute changes nothing: send no results."
        raise ValidationError(message, details={"results": [message]})
    with transaction.atomic():
        host_match(actor, match_id)
        dispute = lock_dispute(dispute_id)
        if dispute.match_id != match_id:
            raise NotFound("No such dispute of this match.")
        if dispute.status != DStatus.OPEN:
            raise DisputeClosed(f"The dispute is already {dispute.status}.")
        if correction is not None:
            match_result_submit(
                actor=actor, match_id=match_id, submission=correction, dispute=dispute
            )
        dispute.status = DStatus.ACCEPTED if accept else DStatus.REJECTED
        dispute.resolution = reason[:500]
        dispute.resolved_by = actor
        dispute.resolved_at = timezone.now()
        dispute.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        _announce(dispute)
        _notify(dispute, opened=False)
        return dispute


def _announce(dispute: MatchDispute) -> None:
    event_append(
        tournament=dispute.tournament_id,
        name="match.dispute",
        data={
            "dispute": dispute.pk,
            "match": dispute.match_id,
            "team": dispute.team_id,
            "status": dispute.status,
        },
    )


def _notify(dispute: MatchDispute, *, opened: bool) -> None:
    """Both sides: the host, and the players of the disputing team."""
    match = dispute.match
    tournament = match.tournament
    team_players = _team_players(tournament.pk, dispute.team_id)
    title = (
        f"Result of match {match.number} disputed by {dispute.team.name}"
        if opened
        else f"Dispute of match {match.number}: {dispute.status}"
    )
    notifications_send(
        users=[tournament.host, *team_players],
        kind="dispute.opened" if opened else "dispute.decided",
        title=title,
        body=dispute.reason if opened else (dispute.resolution or dispute.status),
        data={"tournament": tournament.pk, "match": match.pk, "dispute": dispute.pk},
        email_context={"tournament": tournament.title, "tournament_id": tournament.pk},
    )


def _team_players(tournament_id: int, team_id: int) -> list[User]:
    user_ids = RegistrationPlayer.objects.filter(
        tournament_id=tournament_id,
        active=True,
        registration__team_id=team_id,
        registration__status=Registration.Status.CONFIRMED,
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True))
