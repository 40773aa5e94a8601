"""Every notification kind triggered through its real flow (services, not notifications_send),
for the table-driven kinds tests (tests/core/services/test_notification_kinds.py and
tests/realtime/test_me_kinds.py). A flow builds its scenario when made; `fire` runs the one call
that must notify `recipients`; `email` is whether each recipient gets that kind's email."""

import dataclasses
import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core import mail, signing
from django.utils import timezone

from core.models import Match, Registration, TeamJoinRequest, Tournament, User
from core.services import registrations as regs
from core.services.announcements import announcement_create
from core.services.competition import group_create, match_create, round_complete, round_create
from core.services.disputes import Evidence, dispute_open, dispute_resolve
from core.services.host_tools import match_cancel, match_reschedule
from core.services.hosts import host_approve, host_reject
from core.services.matches import match_credentials_notify
from core.services.notification_preferences import UNSUBSCRIBE_SALT
from core.services.reminders import reminders_send
from core.services.results import match_result_submit
from core.services.teams import team_invite_create, team_join_request_reject
from core.services.winners import tournament_select_winner
from tests.factories import (
    GameProfileFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    team_with_roster,
)
from tests.support.accounts import submitted_host
from tests.support.events import submission
from tests.support.teams import request_to_join
from tests.support.tournaments import live_tournament, roster_ids


@dataclasses.dataclass
class Flow:
    kind: str
    recipients: list[User]
    fire: Callable[[], object]
    email: bool = True


def email_kinds(address: str) -> list[str]:
    """The notification kind of each email sent to `address`, read from its signed
    List-Unsubscribe link (every notification email has one)."""
    kinds = []
    for message in mail.outbox:
        if address in message.to and "List-Unsubscribe" in message.extra_headers:
            token = message.extra_headers["List-Unsubscribe"].split("token=")[1].rstrip(">")
            kinds.append(signing.loads(token, salt=UNSUBSCRIBE_SALT)["k"])
    return kinds


def _users(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _register(t: Tournament) -> Registration:
    team = team_with_roster()
    return regs.registration_create(
        actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
    )


def _roster_of(registration: Registration) -> list[User]:
    return _users(list(registration.players.values_list("user_id", flat=True)))


def registration_confirmed() -> Flow:
    t, team = TournamentFactory(), team_with_roster()
    ids = roster_ids(team)[:4]
    fire = lambda: regs.registration_create(  # noqa: E731
        actor=captain_of(team), tournament=t, team=team, players=ids
    )
    return Flow("registration.confirmed", _users(ids), fire)


def registration_waitlisted() -> Flow:
    t = TournamentFactory(max_teams=2)
    _register(t), _register(t)
    team = team_with_roster()
    ids = roster_ids(team)[:4]
    fire = lambda: regs.registration_create(  # noqa: E731
        actor=captain_of(team), tournament=t, team=team, players=ids
    )
    return Flow("registration.waitlisted", _users(ids), fire)


def registration_promoted() -> Flow:
    t = TournamentFactory(max_teams=2)
    first, _second, waiting = _register(t), _register(t), _register(t)
    fire = lambda: regs.registration_withdraw(actor=first.registered_by, tournament=t)  # noqa: E731
    return Flow("registration.promoted", _roster_of(waiting), fire)


def _moderated(action: str, kind: str) -> Flow:
    t = TournamentFactory()
    registration = _register(t)
    fire = lambda: regs.registration_moderate(  # noqa: E731
        actor=t.host, tournament=t, registration_id=registration.pk, action=action, reason="Cheat"
    )
    return Flow(kind, _roster_of(registration), fire)


def registration_rejected() -> Flow:
    return _moderated("reject", "registration.rejected")


def registration_disqualified() -> Flow:
    return _moderated("disqualify", "registration.disqualified")


def _checkin_tournament(closes_in: timedelta) -> tuple[Tournament, Registration]:
    now = timezone.now()
    t = TournamentFactory(checkin_opens_at=now - timedelta(minutes=30))
    t.checkin_closes_at = now + closes_in
    t.save(update_fields=["checkin_closes_at"])
    return t, _register(t)


def checkin_open() -> Flow:
    _, registration = _checkin_tournament(timedelta(hours=1))
    return Flow("checkin.open", _roster_of(registration), reminders_send)


def checkin_closing() -> Flow:
    _, registration = _checkin_tournament(timedelta(minutes=9))
    # Told the window opened an hour ago: this run sends only the closing reminder.
    reminders_send(now=timezone.now() - timedelta(minutes=20))
    return Flow("checkin.closing", _roster_of(registration), reminders_send)


_field_names = itertools.count(1)


def _live(teams: int) -> tuple[Tournament, list]:
    """A live tournament whose team names no other flow of the same test uses."""
    return live_tournament(teams=teams, prefix=f"Squad {next(_field_names)}")


def _match(teams: int = 2, **kw: Any) -> tuple[Tournament, list, Match]:
    t, field = _live(teams)
    round_ = round_create(actor=t.host, tournament=t, name="Final", is_final=True, **kw)
    group = group_create(
        actor=t.host, tournament=t, round_=round_, name="A", team_ids=[f.pk for f in field]
    )
    return t, field, match_create(actor=t.host, tournament=t, group=group)


def _players(field: list) -> list[User]:
    return [captain_of(team) for team in field]  # live_tournament's rosters are one player


def match_starting() -> Flow:
    _, field, match = _match()
    Match.objects.filter(pk=match.pk).update(scheduled_at=timezone.now() + timedelta(minutes=14))
    return Flow("match.starting", _players(field), reminders_send)


def match_credentials() -> Flow:
    _, field, match = _match()
    Match.objects.filter(pk=match.pk).update(
        room_id="R1", room_password="pw", credentials_release_at=timezone.now()
    )
    return Flow(
        "match.credentials", _players(field), lambda: match_credentials_notify(match_id=match.pk)
    )


def match_rescheduled() -> Flow:
    t, field, match = _match()
    when = timezone.now() + timedelta(days=1)
    fire = lambda: match_reschedule(  # noqa: E731
        actor=t.host, match_id=match.pk, scheduled_at=when, reason="Server down"
    )
    return Flow("match.rescheduled", _players(field), fire)


def match_cancelled() -> Flow:
    t, field, match = _match()
    fire = lambda: match_cancel(actor=t.host, match_id=match.pk, reason="Rain")  # noqa: E731
    return Flow("match.cancelled", _players(field), fire)


def _rows(field: list, kills: int = 0) -> list[dict[str, Any]]:
    return [{"team": f.pk, "placement": i, "kills": kills} for i, f in enumerate(field, 1)]


def _submit(t: Tournament, match: Match, field: list, kills: int = 0) -> object:
    return match_result_submit(
        actor=t.host, match_id=match.pk, submission=submission(_rows(field, kills), final=True)
    )


def result_final() -> Flow:
    t, field, match = _match()
    return Flow("result.final", _players(field), lambda: _submit(t, match, field))


def result_corrected() -> Flow:
    """Corrected within 10 minutes of the final result: in-app, but the email is grouped with
    the one result.final sent (one email per tournament per window)."""
    t, field, match = _match()
    _submit(t, match, field)
    fire = lambda: _submit(t, match, field, kills=3)  # noqa: E731
    return Flow("result.corrected", _players(field), fire, email=False)


def _disputed() -> tuple[Tournament, list, Match, Callable[[], Any]]:
    t, field, match = _match(teams=3)
    _submit(t, match, field)
    opener = lambda: dispute_open(  # noqa: E731
        actor=captain_of(field[1]),
        match_id=match.pk,
        reason="We were first.",
        evidence=[Evidence("link", "https://example.com/shot.png")],
    )
    return t, field, match, opener


def dispute_opened() -> Flow:
    t, field, _, opener = _disputed()
    return Flow("dispute.opened", [t.host, captain_of(field[1])], opener)


def dispute_decided() -> Flow:
    t, field, match, opener = _disputed()
    dispute = opener()
    fire = lambda: dispute_resolve(  # noqa: E731
        actor=t.host, match_id=match.pk, dispute_id=dispute.pk, accept=False, reason="Replay"
    )
    return Flow("dispute.decided", [t.host, captain_of(field[1])], fire)


def _round_done(kind: str, teams: slice) -> Flow:
    t, field = _live(3)
    round_ = round_create(actor=t.host, tournament=t, name="Qualifier", qualify_top_n=1)
    group = group_create(
        actor=t.host, tournament=t, round_=round_, name="A", team_ids=[f.pk for f in field]
    )
    _submit(t, match_create(actor=t.host, tournament=t, group=group), field)
    fire = lambda: round_complete(actor=t.host, tournament=t, round_=round_)  # noqa: E731
    return Flow(kind, _players(field[teams]), fire)


def round_qualified() -> Flow:
    return _round_done("round.qualified", slice(0, 1))  # placed first: the top 1 goes on


def round_eliminated() -> Flow:
    return _round_done("round.eliminated", slice(1, 3))


def tournament_winner() -> Flow:
    t, field, match = _match(teams=3)
    _submit(t, match, field)
    fire = lambda: tournament_select_winner(actor=t.host, tournament=t)  # noqa: E731
    return Flow("tournament.winner", _players(field), fire)


def tournament_announcement() -> Flow:
    t, field = _live(2)
    fire = lambda: announcement_create(  # noqa: E731
        actor=t.host, tournament_id=t.pk, message="Lobby opens at 8"
    )
    return Flow("tournament.announcement", _players(field), fire)


def host_approved() -> Flow:
    host, staff = submitted_host(), UserFactory(is_staff=True)
    fire = lambda: host_approve(actor=staff, host_user_id=host.pk)  # noqa: E731
    return Flow("host.approved", [host], fire)


def host_rejected() -> Flow:
    host, staff = submitted_host(), UserFactory(is_staff=True)
    fire = lambda: host_reject(actor=staff, host_user_id=host.pk, reason="Blurry ID")  # noqa: E731
    return Flow("host.rejected", [host], fire)


def team_invite() -> Flow:
    team = team_with_roster(size=2)
    invitee = UserFactory()
    GameProfileFactory(user=invitee, game=team.game)
    fire = lambda: team_invite_create(actor=captain_of(team), team=team, invitee=invitee)  # noqa: E731
    return Flow("team.invite", [invitee], fire)


def team_join_decided() -> Flow:
    team = team_with_roster(size=2)
    player = UserFactory()
    GameProfileFactory(user=player, game=team.game)
    request = TeamJoinRequest.objects.get(pk=request_to_join(team, player))
    fire = lambda: team_join_request_reject(actor=captain_of(team), join_request=request)  # noqa: E731
    return Flow("team.join_decided", [player], fire)


FLOWS: list[Callable[[], Flow]] = [
    registration_confirmed,
    registration_waitlisted,
    registration_promoted,
    registration_rejected,
    registration_disqualified,
    checkin_open,
    checkin_closing,
    match_starting,
    match_credentials,
    match_rescheduled,
    match_cancelled,
    result_final,
    result_corrected,
    dispute_opened,
    dispute_decided,
    round_qualified,
    round_eliminated,
    tournament_winner,
    tournament_announcement,
    host_approved,
    host_rejected,
    team_invite,
    team_join_decided,
]
