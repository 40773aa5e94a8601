"""Every status a spectator can see change is logged as a `tournament.status` event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import Tournament
from core.services.registrations import registration_create
from core.services.tournaments import (
    tournament_cancel,
    tournament_schedule_sweep,
    tournament_start,
)
from tests.core.engine_helpers import logged
from tests.core.tourney_helpers import roster_ids
from tests.factories import TournamentFactory, captain_of, team_with_roster

S = Tournament.Status


def statuses(t: Tournament) -> list[str]:
    return [e["data"]["status"] for e in logged(t) if e["name"] == "tournament.status"]


@pytest.mark.django_db
def test_schedule_start_and_cancel_are_announced_once_each() -> None:
    now = timezone.now()
    t = TournamentFactory(
        status=S.PUBLISHED,
        registration_opens_at=now - timedelta(minutes=1),
        registration_closes_at=now + timedelta(hours=1),
        starts_at=now + timedelta(hours=2),
    )
    tournament_schedule_sweep(now=now)
    tournament_schedule_sweep(now=now)  # nothing moves twice
    assert statuses(t) == [S.REGISTRATION_OPEN]
    for _ in range(2):
        team = team_with_roster()
        registration_create(
            actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)
        )
    # The window closes (moved into the past: the actions below read the real clock).
    Tournament.objects.filter(pk=t.pk).update(
        registration_closes_at=timezone.now() - timedelta(seconds=1)
    )
    tournament_schedule_sweep()
    assert statuses(t) == [S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED]
    tournament_start(actor=t.host, tournament=t)
    assert statuses(t) == [S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.LIVE]
    tournament_cancel(actor=t.host, tournament=t, reason="server outage")
    tournament_cancel(actor=t.host, tournament=t, reason="retried")
    assert statuses(t)[-1] == S.CANCELLED and statuses(t).count(S.CANCELLED) == 1
    seqs = [e["seq"] for e in logged(t)]
    assert seqs == list(range(1, len(seqs) + 1))


@pytest.mark.django_db
def test_a_refused_action_logs_nothing() -> None:
    t = TournamentFactory(status=S.REGISTRATION_OPEN)
    with pytest.raises(Exception, match="2 confirmed teams"):
        tournament_start(actor=t.host, tournament=t)
    assert statuses(t) == []
