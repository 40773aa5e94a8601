"""core/services/tournaments.py: who may create, what values are accepted, the status lifecycle,
scrim limits on create and update, and the plan-fee question (the rules themselves:
tests/core/rules/test_tournaments.py)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import hooks
from core.errors import ApplicationError, Conflict, PermissionDenied, ValidationError
from core.models import HostProfile, Tournament, User
from core.services import tournaments as svc
from core.services.registrations import registration_create
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    game,
    team_with_roster,
)
from tests.support.tournaments import roster_ids

pytestmark = pytest.mark.django_db
S = Tournament.Status


def _times(opens_h: float = -1, closes_h: float = 24, starts_h: float = 48) -> dict[str, Any]:
    now = timezone.now()
    return {
        "registration_opens_at": now + timedelta(hours=opens_h),
        "registration_closes_at": now + timedelta(hours=closes_h),
        "starts_at": now + timedelta(hours=starts_h),
    }


def _create(actor: User, **kw: Any) -> Tournament:
    args = {"game": game(), "title": "Cup", "max_teams": 16, **_times()}
    args.update(kw)
    return svc.tournament_create(actor=actor, **args)


def test_create_is_a_draft_with_the_games_default_points_table() -> None:
    host = HostFactory()
    t = _create(host, plan="premium")
    assert (t.status, t.host, t.plan_rank) == (S.DRAFT, host, 2)
    assert t.points_table == {
        "preset": "pubgm_2023",
        "placement": [10, 6, 5, 4, 3, 2, 1, 1],
        "per_kill": 1,
    }


@pytest.mark.parametrize(
    ("make_user", "code"),
    [
        (lambda: UserFactory(), "not_a_host"),
        (lambda: HostFactory(email_verified_at=None), "email_not_verified"),
        (
            lambda: HostFactory(host_profile__status=HostProfile.Status.SUBMITTED),
            "host_not_verified",
        ),
    ],
)
def test_only_verified_hosts_create(make_user: Callable[[], User], code: str) -> None:
    with pytest.raises(PermissionDenied) as exc:
        _create(make_user())
    assert exc.value.code == code


def test_preset_and_custom_points_tables() -> None:
    host = HostFactory()
    assert _create(host, points_table="pubgm_2020").points_table["placement"][0] == 15
    custom = {"preset": "custom", "placement": [20, 10], "per_kill": 2}
    assert _create(host, points_table=custom).points_table == custom
    for bad in (
        {"preset": "custom", "placement": [1001], "per_kill": 1},
        {"preset": "custom", "placement": [1] * 101, "per_kill": 1},
        {"preset": "custom", "placement": [10], "per_kill": 101},
        {"preset": "nope"},
    ):
        with pytest.raises(ValidationError) as exc:
            _create(host, points_table=bad)
        assert "points_table" in exc.value.details


def test_schedule_must_be_ordered_and_in_the_future() -> None:
    host = HostFactory()
    with pytest.raises(ValidationError, match="close after it opens"):
        _create(host, **_times(opens_h=5, closes_h=2))
    with pytest.raises(ValidationError, match="start at or after"):
        _create(host, **_times(closes_h=30, starts_h=20))
    with pytest.raises(ValidationError, match="future"):
        _create(host, **_times(opens_h=-10, closes_h=-5, starts_h=-1))


def test_prize_split_must_sum_to_the_pool() -> None:
    host = HostFactory()
    split = [{"place": 2, "amount": 30_000}, {"place": 1, "amount": 70_000}]
    t = _create(host, prize_pool=100_000, prize_split=split)
    assert t.prize_split == sorted(split, key=lambda e: e["place"])
    with pytest.raises(ValidationError, match="sums to 90000"):
        _create(host, prize_pool=100_000, prize_split=[{"place": 1, "amount": 90_000}])
    with pytest.raises(ValidationError, match="once"):
        _create(
            host,
            prize_pool=2,
            prize_split=[{"place": 1, "amount": 1}, {"place": 1, "amount": 1}],
        )
    with pytest.raises(ValidationError):
        _create(host, prize_pool=100, prize_split=[])


def test_banner_is_validated_as_an_image(settings: Any) -> None:
    host = HostFactory()
    with pytest.raises(ValidationError) as exc:
        _create(host, banner=SimpleUploadedFile("b.png", b"not an image", "image/png"))
    assert "banner" in exc.value.details
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError, match="larger"):
        _create(host, banner=SimpleUploadedFile("b.png", b"x" * 11, "image/png"))


def test_scrim_limits_on_create_and_update() -> None:
    host = HostFactory()
    with pytest.raises(ValidationError, match="at most 25"):
        _create(host, kind="scrim", max_teams=26)
    scrim = _create(host, kind="scrim", max_teams=25)
    with pytest.raises(ValidationError, match="at most 25"):
        svc.tournament_update(actor=host, tournament=scrim, changes={"max_teams": 30})
    # A tournament has no such limit.
    t = _create(host, max_teams=64)
    assert (
        svc.tournament_update(actor=host, tournament=t, changes={"max_teams": 100}).max_teams == 100
    )


def test_lifecycle_publish_start_cancel() -> None:
    host = HostFactory()
    t = _create(host, **_times(opens_h=1))
    t = svc.tournament_publish(actor=host, tournament=t)
    assert (t.status, t.published_at is not None) == (S.PUBLISHED, True)
    with pytest.raises(Conflict):
        svc.tournament_publish(actor=host, tournament=t)
    with pytest.raises(Conflict, match="At least 2"):
        svc.tournament_start(actor=host, tournament=t)
    t.registration_opens_at = timezone.now() - timedelta(minutes=1)
    t.save()
    for _ in range(2):
        team = team_with_roster()
        registration_create(
            actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)
        )
    t = svc.tournament_start(actor=host, tournament=t)
    assert t.status == S.LIVE
    with pytest.raises(Conflict, match="Live tournament"):
        svc.tournament_update(actor=host, tournament=t, changes={"max_teams": 20})
    assert svc.tournament_update(actor=host, tournament=t, changes={"rules": "No hacks"}).rules
    t = svc.tournament_cancel(actor=host, tournament=t, reason="Server down")
    assert (t.status, t.cancelled_reason) == (S.CANCELLED, "Server down")
    # Retrying a cancel changes nothing and does not fail.
    assert svc.tournament_cancel(actor=host, tournament=t, reason="again").cancelled_reason == (
        "Server down"
    )
    with pytest.raises(Conflict):
        svc.tournament_update(actor=host, tournament=t, changes={"title": "x"})


def test_publish_asks_whether_the_plan_fee_is_paid() -> None:
    host = HostFactory()
    t = _create(host, plan="featured")
    asked = []

    def unpaid(tournament: Tournament) -> bool:
        asked.append(tournament.pk)
        return False

    previous = hooks.install(plan_fee_paid=unpaid)
    try:
        with pytest.raises(ApplicationError) as exc:
            svc.tournament_publish(actor=host, tournament=t)
    finally:
        hooks.restore(previous)
    assert (exc.value.code, exc.value.http_status, asked) == ("plan_fee_unpaid", 402, [t.pk])
    t.refresh_from_db()
    assert t.status == S.DRAFT
    assert svc.tournament_publish(actor=host, tournament=t).status == S.REGISTRATION_OPEN


def test_writes_are_limited_by_status() -> None:
    host = HostFactory()
    t = TournamentFactory(host=host, max_teams=4, entry_fee=0)
    for _ in range(3):
        team = team_with_roster()
        registration_create(
            actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)
        )
    with pytest.raises(ValidationError, match="3 teams already hold a seat"):
        svc.tournament_update(actor=host, tournament=t, changes={"max_teams": 2})
    with pytest.raises(ValidationError, match="entry fee"):
        svc.tournament_update(actor=host, tournament=t, changes={"entry_fee": 5000})
    with pytest.raises(ValidationError, match="draft"):
        svc.tournament_update(actor=host, tournament=t, changes={"plan": "premium"})
    assert svc.tournament_update(actor=host, tournament=t, changes={"max_teams": 3}).max_teams == 3
    with pytest.raises(Conflict, match="without registrations"):
        svc.tournament_delete(actor=host, tournament=t)


def test_other_hosts_cannot_touch_a_tournament() -> None:
    t = TournamentFactory()
    intruder = HostFactory()
    for call in (
        lambda: svc.tournament_update(actor=intruder, tournament=t, changes={"title": "x"}),
        lambda: svc.tournament_cancel(actor=intruder, tournament=t),
        lambda: svc.tournament_start(actor=intruder, tournament=t),
        lambda: svc.tournament_delete(actor=intruder, tournament=t),
    ):
        with pytest.raises(PermissionDenied):
            call()
    t.refresh_from_db()
    assert t.status == S.REGISTRATION_OPEN
