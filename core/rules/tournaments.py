"""The rules a tournament's fields obey, shared by the tournament and registration services, the
competition engine (scrim limits when rounds and matches are added) and the read cache.

Pure checks on values (no writes, nothing of Django): the schedule-derived status, scrim limits,
prize splits. Statuses, kinds and plans are the plain string values of core.models' choices
(tests/core/rules/test_tournaments.py keeps the two in step).
"""

from datetime import datetime
from typing import Any, Protocol

from core.errors import Conflict, ValidationError

DRAFT = "draft"
PUBLISHED = "published"
REGISTRATION_OPEN = "registration_open"
REGISTRATION_CLOSED = "registration_closed"
LIVE = "live"
COMPLETED = "completed"
CANCELLED = "cancelled"
SCRIM = "scrim"


class Scheduled(Protocol):
    """What the schedule rules read of a tournament."""

    status: str
    registration_opens_at: datetime
    registration_closes_at: datetime


class HasKind(Protocol):
    kind: str


# Scrims: one round, at most 25 teams (also a DB check constraint), at most 6 matches.
SCRIM_MAX_TEAMS = 25
SCRIM_MAX_ROUNDS = 1
SCRIM_MAX_MATCHES = 6
scrim_limits = {
    "max_teams": SCRIM_MAX_TEAMS,
    "rounds": SCRIM_MAX_ROUNDS,
    "matches": SCRIM_MAX_MATCHES,
}

# Anything bigger is a typo, not a tournament; keeps amounts well inside the integer column.
MAX_TEAMS = 1024
MAX_PAISE = 1_000_000_000  # ₹1 crore
MAX_PRIZE_PLACES = 100

# Plans in the order listings sort them (featured and premium first; billing/plans.py prices them).
PLAN_RANK = {"basic": 0, "featured": 1, "premium": 2}

# The statuses whose exact value follows from the clock (published → open → closed).
SCHEDULED_STATUSES = (PUBLISHED, REGISTRATION_OPEN, REGISTRATION_CLOSED)
FINAL_STATUSES = (COMPLETED, CANCELLED)


class TournamentLimitReached(Conflict):
    code = "scrim_limit"


def status_from_schedule(
    *, status: str, opens_at: datetime, closes_at: datetime, now: datetime
) -> str:
    """The status a tournament has at `now`: between publishing and going live it follows the
    registration window alone, so a late periodic task never changes what an action sees."""
    if status not in SCHEDULED_STATUSES:
        return status
    if now < opens_at:
        return PUBLISHED
    if now < closes_at:
        return REGISTRATION_OPEN
    return REGISTRATION_CLOSED


def effective_status(tournament: Scheduled, now: datetime) -> str:
    return status_from_schedule(
        status=tournament.status,
        opens_at=tournament.registration_opens_at,
        closes_at=tournament.registration_closes_at,
        now=now,
    )


def _bad(field: str, message: str) -> ValidationError:
    return ValidationError(message, details={field: [message]})


def check_schedule(
    *,
    opens_at: datetime,
    closes_at: datetime,
    starts_at: datetime,
    checkin: tuple[datetime | None, datetime | None] = (None, None),
) -> None:
    """The registration window, the start and the optional check-in window (both ends or
    neither; it opens before it closes, and closes at or before the start)."""
    if not opens_at < closes_at:
        raise _bad("registration_closes_at", "Registration must close after it opens.")
    if not closes_at <= starts_at:
        raise _bad("starts_at", "The tournament must start at or after registration closes.")
    checkin_opens, checkin_closes = checkin
    if (checkin_opens is None) != (checkin_closes is None):
        raise _bad("checkin_closes_at", "Give both ends of the check-in window, or neither.")
    if checkin_opens is None or checkin_closes is None:
        return
    if not checkin_opens < checkin_closes:
        raise _bad("checkin_closes_at", "Check-in must close after it opens.")
    if not checkin_closes <= starts_at:
        raise _bad("checkin_closes_at", "Check-in must close at or before the start.")


def check_max_teams(*, kind: str, max_teams: int, seats_taken: int = 0) -> None:
    if max_teams < 2:
        raise _bad("max_teams", "A tournament needs at least 2 teams.")
    if max_teams > MAX_TEAMS:
        raise _bad("max_teams", f"At most {MAX_TEAMS} teams.")
    if kind == SCRIM and max_teams > SCRIM_MAX_TEAMS:
        raise _bad("max_teams", f"A scrim has at most {SCRIM_MAX_TEAMS} teams.")
    if max_teams < seats_taken:
        raise _bad(
            "max_teams",
            f"{seats_taken} teams already hold a seat; max_teams cannot go below that.",
        )


def check_money(field: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PAISE:
        raise _bad(field, f"{field} must be a whole number of paise between 0 and {MAX_PAISE}.")


def clean_prize_split(split: Any, prize_pool: int) -> list[dict[str, int]]:
    """[{"place": 1, "amount": paise}, …] with distinct places ≥ 1 summing exactly to the pool."""
    if not isinstance(split, list):
        raise _bad("prize_split", "prize_split must be a list of {place, amount}.")
    if len(split) > MAX_PRIZE_PLACES:
        raise _bad("prize_split", f"At most {MAX_PRIZE_PLACES} prize places.")
    cleaned: list[dict[str, int]] = []
    for entry in split:
        if not isinstance(entry, dict) or set(entry) != {"place", "amount"}:
            raise _bad("prize_split", "Each prize entry is exactly {place, amount}.")
        place, amount = entry["place"], entry["amount"]
        if isinstance(place, bool) or not isinstance(place, int) or place < 1:
            raise _bad("prize_split", f"Place {place!r} must be a whole number from 1.")
        check_money("prize_split", amount)
        cleaned.append({"place": place, "amount": amount})
    places = [e["place"] for e in cleaned]
    if len(set(places)) != len(places):
        raise _bad("prize_split", "Each place appears once in the prize split.")
    total = sum(e["amount"] for e in cleaned)
    if total != prize_pool:
        raise _bad(
            "prize_split",
            f"The prize split sums to {total} paise but the prize pool is {prize_pool} paise.",
        )
    return sorted(cleaned, key=lambda e: e["place"])


def tournament_check_can_add_round(*, tournament: HasKind, existing_rounds: int) -> None:
    """Called by the competition engine before it creates a round."""
    if tournament.kind == SCRIM and existing_rounds >= SCRIM_MAX_ROUNDS:
        raise TournamentLimitReached(
            f"A scrim has exactly {SCRIM_MAX_ROUNDS} round.",
            details={"limit": SCRIM_MAX_ROUNDS, "existing": existing_rounds},
        )


def tournament_check_can_add_match(*, tournament: HasKind, existing_matches: int) -> None:
    """Called by the competition engine before it creates a match (count across the scrim)."""
    if tournament.kind == SCRIM and existing_matches >= SCRIM_MAX_MATCHES:
        raise TournamentLimitReached(
            f"A scrim has at most {SCRIM_MAX_MATCHES} matches.",
            details={"limit": SCRIM_MAX_MATCHES, "existing": existing_matches},
        )
