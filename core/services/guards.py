"""The opening every host write on a tournament's structure makes: take the locks (in the order
core/services/locks.py gives), check that the actor hosts the tournament and that what they are
changing may still change. Services call one of these first and then decide under the locks."""

from dataclasses import dataclass

from core.errors import Conflict, NotFound, PermissionDenied
from core.models import Match, Round, Tournament, User

from .locks import lock_match, lock_round, lock_round_of_match, lock_tournament

CLOSED = (Tournament.Status.COMPLETED, Tournament.Status.CANCELLED)


class RoundStateConflict(Conflict):
    code = "round_state"


def require_host(actor: User, tournament: Tournament) -> None:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in as the tournament's host.")
    if not (actor.is_staff or actor.pk == tournament.host_id):
        raise PermissionDenied("Only the tournament's host can do this.")


def require_open(tournament: Tournament) -> None:
    if tournament.status in CLOSED:
        raise Conflict(f"The tournament is {tournament.status}.")


def host_tournament(actor: User, tournament_id: int) -> Tournament:
    """The tournament, locked, for a write by its host (or staff) while it is not closed."""
    tournament = lock_tournament(tournament_id)
    require_host(actor, tournament)
    require_open(tournament)
    return tournament


def host_round(
    tournament: Tournament, round_id: int, *, completed: str | None = "The round is completed."
) -> Round:
    """A round of the (locked) tournament, locked; `completed` is the refusal when the round is
    already completed (None: a completed round is fine for this write)."""
    round_ = lock_round(round_id)
    if round_.tournament_id != tournament.pk:
        raise NotFound("No such round in this tournament.")
    if completed is not None and round_.status == Round.Status.COMPLETED:
        raise RoundStateConflict(completed)
    return round_


@dataclass(frozen=True, slots=True)
class LockedMatch:
    tournament: Tournament
    round: Round
    match: Match


def host_match(actor: User, match_id: int, *, tournament_id: int | None = None) -> LockedMatch:
    """A match and its round, locked (round first: the round cannot complete under a match
    write), for a write by the tournament's host. With `tournament_id`, a match of another
    tournament is not found (a room's commands name matches of their own tournament only)."""
    round_ = lock_round_of_match(match_id, tournament_id=tournament_id)
    match = lock_match(match_id)
    require_host(actor, match.tournament)
    return LockedMatch(match.tournament, round_, match)
