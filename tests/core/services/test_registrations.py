"""core/services/registrations.py: roster rules with errors naming the player, seats, holds,
withdraw, the confirm / release that billing calls (docs/payments.md), and the host's
moderation."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import PlayerGameProfile, Registration, Team, TeamMembership, Tournament
from core.services import registrations as svc
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.emails import sent_to
from tests.support.tournaments import roster_ids

pytestmark = pytest.mark.django_db
R = Registration.Status


def _register(tournament: Tournament, team: Team | None = None, **kw: Any) -> Registration:
    team = team or team_with_roster()
    args = {"players": roster_ids(team)[:4], **kw}
    return svc.registration_create(actor=captain_of(team), tournament=tournament, team=team, **args)


def test_free_registration_is_confirmed_with_an_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t = TournamentFactory()
    team = team_with_roster(size=5)
    with django_capture_on_commit_callbacks(execute=True):
        registration = _register(t, team, substitutes=roster_ids(team)[4:])
    assert (registration.status, registration.hold_expires_at) == (R.CONFIRMED, None)
    players = list(registration.players.order_by("id"))
    assert [p.is_substitute for p in players] == [False] * 4 + [True]
    profile = PlayerGameProfile.objects.get(user=players[0].user, game=t.game)
    assert (players[0].in_game_id, players[0].in_game_name) == (
        profile.in_game_id,
        profile.in_game_name,
    )
    # The captain and each rostered player (registration.confirmed, docs/notifications.md).
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.user.email for p in players)
    (to_captain,) = sent_to(captain_of(team).email)
    assert team.name in to_captain.subject and t.title in to_captain.body


def test_entry_fee_holds_the_seat_for_the_configured_time(settings: Any) -> None:
    settings.REGISTRATION_HOLD_MINUTES = 7
    t = TournamentFactory(entry_fee=5000)
    before = timezone.now()
    registration = _register(t)
    assert registration.status == R.PENDING_PAYMENT
    assert registration.hold_expires_at - before >= timedelta(minutes=7)
    assert registration.hold_expires_at - before < timedelta(minutes=8)
    assert not registration.is_paid


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda team, ids: ids[:3], "exactly 4 players"),
        (lambda team, ids: [*ids[:3], UserFactory().pk], "is not a member"),
        (lambda team, ids: [*ids[:3], ids[0]], "appears twice"),
    ],
)
def test_roster_shape(mutate: Callable[[Team, list[int]], list[int]], message: str) -> None:
    t = TournamentFactory()
    team = team_with_roster()
    with pytest.raises(ValidationError, match=message):
        _register(t, team, players=mutate(team, roster_ids(team)))
    assert not Registration.objects.exists()


def test_too_many_substitutes() -> None:
    team = team_with_roster(size=6)
    ids = roster_ids(team)
    with pytest.raises(ValidationError, match="at most 1 substitutes"):
        _register(TournamentFactory(), team, players=ids[:4], substitutes=ids[4:])


def test_errors_name_the_player_without_email_or_game_id() -> None:
    t = TournamentFactory()
    team = team_with_roster()
    ids = roster_ids(team)
    lazy = TeamMembership.objects.get(team=team, user_id=ids[2]).user
    lazy.email_verified_at = None
    lazy.save()
    with pytest.raises(ValidationError, match=f"{lazy.username} has not verified"):
        _register(t, team)
    lazy.email_verified_at = timezone.now()
    lazy.save()
    PlayerGameProfile.objects.filter(user=lazy).delete()
    with pytest.raises(ValidationError, match=f"{lazy.username} has no BGMI in-game id"):
        _register(t, team)


def test_only_the_captain_registers_and_only_for_the_right_game() -> None:
    t = TournamentFactory()
    team = team_with_roster()
    member = TeamMembership.objects.filter(team=team, role="member").first().user
    with pytest.raises(PermissionDenied, match="captain"):
        svc.registration_create(actor=member, tournament=t, team=team, players=roster_ids(team))
    ff_team = team_with_roster(game_obj=game("free-fire"))
    with pytest.raises(ValidationError, match="is a Free Fire team; this tournament is BGMI"):
        _register(t, ff_team)


def test_registration_window_is_checked_by_the_clock_not_the_stored_status() -> None:
    # The periodic task has not run: the stored status still says open, the clock says closed.
    now = timezone.now()
    t = TournamentFactory(
        registration_opens_at=now - timedelta(days=2),
        registration_closes_at=now - timedelta(seconds=1),
    )
    with pytest.raises(Conflict) as exc:
        _register(t)
    assert exc.value.code == "registration_closed"
    draft = TournamentFactory(status=Tournament.Status.DRAFT)
    with pytest.raises(Conflict, match="not open"):
        _register(draft)


def test_seats_team_and_player_uniqueness() -> None:
    t = TournamentFactory(max_teams=2)
    team = team_with_roster()
    _register(t, team)
    with pytest.raises(Conflict) as exc:
        _register(t, team)
    assert exc.value.code == "already_registered"
    # A player of the first roster joins another team: refused, naming them.
    other = team_with_roster()
    first_player = roster_ids(team)[1]
    TeamMembership.objects.create(team=other, user_id=first_player)
    with pytest.raises(Conflict) as exc:
        _register(t, other, players=[*roster_ids(other)[:3], first_player])
    assert exc.value.code == "player_already_registered"
    assert exc.value.details["players"] == [
        TeamMembership.objects.get(team=team, user_id=first_player).user.username
    ]
    _register(t)
    # Full: the next team joins the waitlist, and cannot join it twice.
    waiting_team = team_with_roster()
    assert _register(t, waiting_team).status == R.WAITLISTED
    with pytest.raises(Conflict) as exc:
        _register(t, waiting_team)
    assert exc.value.code == "already_registered"


def test_an_expired_hold_frees_its_seat_for_the_next_team() -> None:
    t = TournamentFactory(max_teams=2, entry_fee=1000)
    first = _register(t)
    _register(t)
    Registration.objects.filter(pk=first.pk).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )
    late = _register(t)
    first.refresh_from_db()
    assert (first.status, late.status) == (R.EXPIRED, R.PENDING_PAYMENT)
    assert not first.players.filter(active=True).exists()


def test_withdraw_frees_the_seat_and_the_players() -> None:
    t = TournamentFactory(max_teams=2)
    team = team_with_roster()
    registration = _register(t, team)
    _register(t)
    withdrawn = svc.registration_withdraw(actor=captain_of(team), tournament=t)
    assert withdrawn.status == R.WITHDRAWN
    assert not registration.players.filter(active=True).exists()
    # The seat and the roster are free again: the same team may even come back.
    assert _register(t, team).status == R.CONFIRMED
    with pytest.raises(NotFound):
        svc.registration_withdraw(actor=UserFactory(), tournament=t)


def test_withdraw_after_registration_closes_is_refused() -> None:
    t = TournamentFactory()
    team = team_with_roster()
    _register(t, team)
    Tournament.objects.filter(pk=t.pk).update(
        registration_closes_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Conflict, match="closed"):
        svc.registration_withdraw(actor=captain_of(team), tournament=t)


def test_confirm_and_release_as_billing_calls_them(
    django_capture_on_commit_callbacks: Any,
) -> None:
    t = TournamentFactory(entry_fee=5000, max_teams=2)
    registration = _register(t)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = svc.registration_confirm(registration=registration)
        again = svc.registration_confirm(registration=registration)
    assert (confirmed.status, confirmed.is_paid, confirmed.hold_expires_at) == (
        R.CONFIRMED,
        True,
        None,
    )
    assert again.status == R.CONFIRMED
    assert len(sent_to(registration.registered_by.email)) == 1  # idempotent: one email

    held = _register(t)
    assert svc.registration_release_hold(registration=held).status == R.EXPIRED
    assert svc.registration_release_hold(registration=held).status == R.EXPIRED
    # The released seat went to another team; paying late finds the tournament full.
    _register(t)
    with pytest.raises(svc.TournamentFull):
        svc.registration_confirm(registration=held)


def test_a_late_payment_takes_a_free_seat_back() -> None:
    t = TournamentFactory(entry_fee=5000, max_teams=2)
    registration = _register(t)
    Registration.objects.filter(pk=registration.pk).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )
    confirmed = svc.registration_confirm(registration=registration)
    assert (confirmed.status, confirmed.is_paid) == (R.CONFIRMED, True)
    assert confirmed.players.filter(active=True).count() == 4


def test_host_moderation() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host, entry_fee=1000)
    pending = _register(t)
    confirmed = svc.registration_moderate(
        actor=host, tournament=t, registration_id=pending.pk, action="approve"
    )
    assert (confirmed.status, confirmed.is_paid) == (R.CONFIRMED, False)
    with pytest.raises(ValidationError, match="reason"):
        svc.registration_moderate(
            actor=host, tournament=t, registration_id=pending.pk, action="disqualify"
        )
    dq = svc.registration_moderate(
        actor=host,
        tournament=t,
        registration_id=pending.pk,
        action="disqualify",
        reason="Emulator",
    )
    assert (dq.status, dq.reason) == (R.DISQUALIFIED, "Emulator")
    assert not dq.players.filter(active=True).exists()
    other = _register(t)
    rejected = svc.registration_moderate(
        actor=host, tournament=t, registration_id=other.pk, action="reject", reason="Fake ids"
    )
    assert rejected.status == R.REJECTED
    with pytest.raises(Conflict):
        svc.registration_moderate(
            actor=host, tournament=t, registration_id=other.pk, action="disqualify", reason="x"
        )
    with pytest.raises(PermissionDenied):
        svc.registration_moderate(
            actor=HostFactory(), tournament=t, registration_id=other.pk, action="approve"
        )
    with pytest.raises(NotFound):
        svc.registration_moderate(
            actor=host,
            tournament=TournamentFactory(host=host),
            registration_id=other.pk,
            action="approve",
        )
