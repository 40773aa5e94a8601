"""Rounds that complete by themselves (a tournament's `auto_complete_rounds`): the minute sweep
(core/services/schedule.py) completes, as the host would, every live round whose matches are all
completed or cancelled, whose last final result is older than the dispute window and which has
no open dispute. The final round's completion crowns the winner (winners.round_finish); teams
tied at rank 1 stay the host's choice. Every condition is re-checked under the locks by the
service that completes the round, so a sweep racing the host is harmless."""

import logging
from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef

from core.errors import ApplicationError
from core.models import Match, MatchDispute, Round, Tournament

from .winners import round_finish

log = logging.getLogger(__name__)


def _candidates() -> list[Round]:
    open_match = Match.objects.filter(
        group__round=OuterRef("pk"), status__in=[Match.Status.SCHEDULED, Match.Status.LIVE]
    )
    open_dispute = MatchDispute.objects.filter(round=OuterRef("pk"), status="open")
    return list(
        Round.objects.filter(
            status=Round.Status.LIVE,
            tournament__status=Tournament.Status.LIVE,
            tournament__auto_complete_rounds=True,
        )
        .annotate(last_final=Max("groups__matches__completed_at"))
        .filter(~Exists(open_match), ~Exists(open_dispute), last_final__isnull=False)
        .select_related("tournament", "tournament__host")
        .order_by("tournament_id", "number")
    )


def rounds_auto_complete(*, now: datetime) -> int:
    """Complete the rounds that are due; returns how many completed."""
    done = 0
    for round_ in _candidates():
        tournament = round_.tournament
        if round_.last_final + timedelta(minutes=tournament.dispute_window_minutes) > now:
            continue
        try:
            round_finish(actor=tournament.host, tournament=tournament, round_=round_)
        except ApplicationError as exc:  # a tie for the title, an earlier round still open
            log.info("round %s not completed by itself: %s", round_.pk, exc.message)
            continue
        done += 1
    return done
