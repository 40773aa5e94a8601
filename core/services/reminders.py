"""Reminders the beat sends from the data (docs/notifications.md): check-in open, check-in
closing in 10 minutes, match starting in 15 minutes. No timer per match: every run selects what
is due now, and the notification's (user, dedupe_key) unique constraint makes each reminder
reach each user once, however many beat runs (or beat processes) overlap."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.models import Match, Notification, Tournament, User
from core.rules.tournaments import SCHEDULED_STATUSES

from .matches import players_of_group
from .notifications import notifications_send
from .notify import notify_match, tournament_people

CHECKIN_CLOSING_AHEAD = timedelta(minutes=10)
MATCH_STARTING_AHEAD = timedelta(minutes=15)


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """One beat run: every reminder due at `now`; returns how many notifications were created
    per kind (0 for those another run sent already)."""
    now = now or timezone.now()
    counts = {"checkin.open": 0, "checkin.closing": 0, "match.starting": 0}
    open_checkins = Tournament.objects.filter(
        status__in=SCHEDULED_STATUSES,
        checkin_closed_at__isnull=True,
        checkin_opens_at__lte=now,
        checkin_closes_at__gt=now,
    )
    for t in open_checkins:
        counts["checkin.open"] += _checkin(t, "checkin.open", checked_in=None)
        if t.checkin_closes_at - CHECKIN_CLOSING_AHEAD <= now:
            counts["checkin.closing"] += _checkin(t, "checkin.closing", checked_in=False)
    starting = Match.objects.filter(
        status=Match.Status.SCHEDULED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + MATCH_STARTING_AHEAD,
    ).select_related("tournament")
    for match in starting:
        counts["match.starting"] += _match_starting(match)
    return counts


def _not_yet_told(users: list[User], key: str) -> list[User]:
    """Skip who has the reminder already (saves the insert; the constraint still decides)."""
    told = set(Notification.objects.filter(dedupe_key=key).values_list("user_id", flat=True))
    return [u for u in users if u.pk not in told]


def _checkin(t: Tournament, kind: str, *, checked_in: bool | None) -> int:
    key = f"{kind}:t{t.pk}"
    users = _not_yet_told(tournament_people(t, checked_in=checked_in), key)
    if not users:
        return 0
    closes = t.checkin_closes_at.isoformat()
    title = (
        f"Check-in for {t.title} is open"
        if kind == "checkin.open"
        else f"Check-in for {t.title} closes in 10 minutes"
    )
    with transaction.atomic():
        created = notifications_send(
            users=users,
            kind=kind,
            title=title,
            body=f"Check in before {closes} (UTC) or your team is a no-show.",
            data={"tournament": t.pk},
            email_context={"tournament": t.title, "tournament_id": t.pk, "team": "your team"},
            dedupe_key=key,
        )
    return len(created)


def _match_starting(match: Match) -> int:
    key = f"match.starting:m{match.pk}"
    users = _not_yet_told(players_of_group(match), key)
    if not users:
        return 0
    with transaction.atomic():
        created = notify_match(
            match,
            users,
            "match.starting",
            f"Match {match.number} of {match.tournament.title} starts in 15 minutes",
            f"Scheduled at {match.scheduled_at.isoformat()} (UTC).",
            dedupe_key=key,
        )
    return len(created)
