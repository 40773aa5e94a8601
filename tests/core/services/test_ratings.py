"""core/services/ratings.py: a player who played in a completed tournament rates its host once
(1..5, optional comment), edits it for 7 days; not the host, not before completion, not someone
who did not play; reports reach staff, and a hidden rating no longer counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import HostRating, Registration, Tournament
from core.selectors.ratings import host_rating_summary
from core.services import ratings as svc
from tests.factories import UserFactory
from tests.support.ratings import completed

pytestmark = pytest.mark.django_db


def test_each_player_rates_the_host_once() -> None:
    t, players = completed()
    rating = svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=4, comment=" ok ")
    assert (rating.host_id, rating.score, rating.comment) == (t.host_id, 4, "ok")
    with pytest.raises(Conflict) as again:
        svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=5)
    assert again.value.code == "already_rated"
    svc.host_rating_create(actor=players[1], tournament_id=t.pk, score=5)
    assert host_rating_summary(host_id=t.host_id) == {"average": 4.5, "count": 2}


def test_the_host_cannot_rate_themself() -> None:
    t, _ = completed()
    with pytest.raises(PermissionDenied):
        svc.host_rating_create(actor=t.host, tournament_id=t.pk, score=5)


@pytest.mark.parametrize("status", ["live", "cancelled", "registration_open"])
def test_only_a_completed_tournament_is_rated(status: str) -> None:
    t, players = completed()
    Tournament.objects.filter(pk=t.pk).update(status=status)
    with pytest.raises(Conflict):
        svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=5)


def test_only_players_who_played_rate() -> None:
    t, players = completed()
    with pytest.raises(PermissionDenied):
        svc.host_rating_create(actor=UserFactory(), tournament_id=t.pk, score=5)
    Registration.objects.filter(tournament=t, players__user=players[0]).update(
        status=Registration.Status.DISQUALIFIED
    )
    with pytest.raises(PermissionDenied):
        svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=1)
    with pytest.raises(NotFound):
        svc.host_rating_create(actor=players[0], tournament_id=10**9, score=1)


@pytest.mark.parametrize("score", [0, 6, -1, True, 3.5, "5"])
def test_a_score_is_a_whole_number_from_1_to_5(score: object) -> None:
    t, players = completed()
    with pytest.raises(ValidationError):
        svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=score)  # type: ignore[arg-type]


def test_a_rating_is_editable_for_7_days_by_its_rater_only() -> None:
    t, players = completed()
    rating = svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=2)
    day_6 = rating.created_at + timedelta(days=6, hours=23)
    edited = svc.host_rating_update(
        actor=players[0], rating_id=rating.pk, score=5, comment="better", now=day_6
    )
    assert (edited.score, edited.comment) == (5, "better")
    with pytest.raises(NotFound):
        svc.host_rating_update(actor=players[1], rating_id=rating.pk, score=1)
    with pytest.raises(Conflict):
        svc.host_rating_update(
            actor=players[0], rating_id=rating.pk, score=1, now=day_6 + timedelta(days=1)
        )
    assert HostRating.objects.get(pk=rating.pk).score == 5


def test_a_report_goes_to_staff_and_a_hidden_rating_stops_counting() -> None:
    t, players = completed()
    rating = svc.host_rating_create(actor=players[0], tournament_id=t.pk, score=1, comment="rude")
    reporter = UserFactory()
    first = svc.host_rating_report(actor=reporter, rating_id=rating.pk, reason="abusive")
    assert svc.host_rating_report(actor=reporter, rating_id=rating.pk, reason="again") == first
    with pytest.raises(ValidationError):
        svc.host_rating_report(actor=reporter, rating_id=rating.pk, reason="  ")
    assert svc.host_rating_hide(rating_ids=[rating.pk]) == 1
    first.refresh_from_db()
    assert first.resolved
    assert host_rating_summary(host_id=t.host_id) == {"average": None, "count": 0}
    with pytest.raises(NotFound):
        svc.host_rating_report(actor=reporter, rating_id=rating.pk, reason="x")
    assert timezone.now()
