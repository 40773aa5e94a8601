"""core/services/disputes.py: who may dispute and when, accepting with a correction (versioned,
recomputed, in the history), rejecting (nothing changes), both sides notified, and open disputes
holding round completion and the winner unless the host overrides with a reason."""

from datetime import timedelta
from typing import Any, NamedTuple

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationError
from core.models import Match, MatchDispute, Notification, ResultChange, Round, Team, Tournament
from core.services.competition import group_create, match_create, round_complete, round_create
from core.services.disputes import Evidence, dispute_open, dispute_resolve
from core.services.results import match_result_submit
from core.services.winners import tournament_select_winner
from tests.factories import UserFactory, captain_of
from tests.support.events import logged, submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


class Played(NamedTuple):
    tournament: Tournament
    field: list[Team]
    round: Round
    match: Match


def _rows(field: list[Team], order: list[int]) -> list[dict[str, Any]]:
    return [{"team": field[i].pk, "placement": p, "kills": 0} for p, i in enumerate(order, 1)]


def _played(**kw: Any) -> Played:
    """A live tournament, its final round, one group, one match with a final result."""
    t, field = live_tournament(teams=3, **kw)
    round_ = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    group = group_create(
        actor=t.host, tournament=t, round_=round_, name="A", team_ids=[f.pk for f in field]
    )
    match = match_create(actor=t.host, tournament=t, group=group)
    match_result_submit(
        actor=t.host, match_id=match.pk, submission=submission(_rows(field, [0, 1, 2]), final=True)
    )
    return Played(t, field, round_, match)


def _open(p: Played, team: int = 1) -> MatchDispute:
    return dispute_open(
        actor=captain_of(p.field[team]),
        match_id=p.match.pk,
        reason="We were first.",
        evidence=[Evidence("link", "https://example.com/shot.png")],
    )


def test_a_captain_disputes_within_the_window_and_the_host_is_told() -> None:
    p = _played()
    dispute = _open(p)
    assert (dispute.status, dispute.result_version, dispute.team_id) == ("open", 1, p.field[1].pk)
    assert Notification.objects.filter(user=p.tournament.host, kind="dispute.opened").exists()
    assert [e["data"]["status"] for e in logged(p.tournament) if e["name"] == "match.dispute"] == [
        "open"
    ]
    with pytest.raises(Conflict, match="already has an open dispute"):
        _open(p)


def test_strangers_late_comers_and_unfinished_matches_are_refused() -> None:
    p = _played()
    with pytest.raises(PermissionDenied):
        dispute_open(actor=UserFactory(), match_id=p.match.pk, reason="x", evidence=[])
    with pytest.raises(ValidationError):
        dispute_open(actor=captain_of(p.field[0]), match_id=p.match.pk, reason=" ", evidence=[])
    Match.objects.filter(pk=p.match.pk).update(completed_at=timezone.now() - timedelta(minutes=16))
    with pytest.raises(Conflict) as late:
        _open(p)
    assert late.value.code == "dispute_closed" and "closed_at" in late.value.details
    Match.objects.filter(pk=p.match.pk).update(status=Match.Status.LIVE, completed_at=None)
    with pytest.raises(Conflict, match="final result"):
        _open(p)


def test_accepted_with_a_correction_versions_recomputes_and_keeps_history() -> None:
    p = _played()
    dispute = _open(p)
    before = len(logged(p.tournament))
    corrected = submission(_rows(p.field, [1, 0, 2]), final=True)
    resolved = dispute_resolve(
        actor=p.tournament.host,
        match_id=p.match.pk,
        dispute_id=dispute.pk,
        accept=True,
        reason="Replay checked.",
        correction=corrected,
    )
    assert resolved.status == "accepted"
    names = [e["name"] for e in logged(p.tournament)[before:]]
    assert names == ["match.result", "match.dispute"]  # protocol v2: standings ride in the result
    result = next(e for e in logged(p.tournament)[before:] if e["name"] == "match.result")
    assert result["data"]["version"] == 2
    history = list(ResultChange.objects.filter(match=p.match).order_by("version"))
    assert [(h.version, h.actor_id, h.face) for h in history] == [
        (1, p.tournament.host_id, "rest"),
        (2, p.tournament.host_id, "rest"),
    ]
    assert history[1].before == history[0].after and history[1].dispute_id == dispute.pk
    assert history[1].after[0]["team"] == p.field[1].pk
    players = Notification.objects.filter(
        kind__in=["dispute.opened", "dispute.decided"], data__dispute=dispute.pk
    )
    assert players.filter(user=captain_of(p.field[1])).count() == 2  # opened, decided
    assert players.filter(user=p.tournament.host).count() == 2


def test_a_rejected_dispute_changes_nothing_but_its_status() -> None:
    p = _played()
    dispute = _open(p)
    with pytest.raises(ValidationError):
        dispute_resolve(
            actor=p.tournament.host, match_id=p.match.pk, dispute_id=dispute.pk, accept=False
        )
    rejected = dispute_resolve(
        actor=p.tournament.host,
        match_id=p.match.pk,
        dispute_id=dispute.pk,
        accept=False,
        reason="Screenshot from another match.",
    )
    assert rejected.status == "rejected"
    p.match.refresh_from_db()
    assert p.match.result_version == 1
    assert ResultChange.objects.filter(match=p.match).count() == 1
    with pytest.raises(Conflict) as again:
        dispute_resolve(
            actor=p.tournament.host,
            match_id=p.match.pk,
            dispute_id=dispute.pk,
            accept=True,
        )
    assert again.value.code == "dispute_closed"
    with pytest.raises(PermissionDenied):
        dispute_resolve(
            actor=captain_of(p.field[0]), match_id=p.match.pk, dispute_id=dispute.pk, accept=True
        )


def test_open_disputes_hold_the_round_and_the_winner_until_overridden() -> None:
    p = _played()
    dispute = _open(p)
    with pytest.raises(Conflict) as held:
        round_complete(actor=p.tournament.host, tournament=p.tournament, round_=p.round)
    assert held.value.code == "round_state" and held.value.details["disputes"] == [dispute.pk]
    with pytest.raises(Conflict) as held_winner:
        tournament_select_winner(actor=p.tournament.host, tournament=p.tournament)
    assert held_winner.value.details["disputes"] == [dispute.pk]
    final = tournament_select_winner(
        actor=p.tournament.host, tournament=p.tournament, override_reason="Settled by the admins."
    )
    assert (final.status, final.override_reason) == ("completed", "Settled by the admins.")


def test_after_the_round_completes_only_staff_correct_and_the_line_says_so() -> None:
    p = _played()
    round_complete(actor=p.tournament.host, tournament=p.tournament, round_=p.round)
    rows = submission(_rows(p.field, [2, 1, 0]), final=True)
    with pytest.raises(Conflict) as refused:
        match_result_submit(actor=p.tournament.host, match_id=p.match.pk, submission=rows)
    assert refused.value.code == "round_state"
    staff = UserFactory(is_staff=True)
    match_result_submit(actor=staff, match_id=p.match.pk, submission=rows, face="websocket")
    line = ResultChange.objects.get(match=p.match, version=2)
    assert (line.actor_id, line.face, line.after_round_completed) == (staff.pk, "websocket", True)
