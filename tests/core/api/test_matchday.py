"""The match-day endpoints over REST: check-in (window, undo, the host's board), disputes and a
match's history; who may read each, and their query counts, constant in the number of rows."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Registration, Tournament
from core.services.competition import group_create, match_create, round_create
from core.services.results import match_result_submit
from tests.factories import UserFactory, captain_of
from tests.support.api import client_as
from tests.support.events import submission
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db


def _before_start(teams: int, *, checkin_open: bool = True, prefix: str = "Team") -> Tournament:
    tournament, _ = live_tournament(teams=teams, prefix=prefix)
    now = timezone.now()
    opens = now - timedelta(minutes=5) if checkin_open else now + timedelta(minutes=5)
    Tournament.objects.filter(pk=tournament.pk).update(
        status=Tournament.Status.REGISTRATION_CLOSED,
        registration_closes_at=now - timedelta(hours=1),
        checkin_opens_at=opens,
        checkin_closes_at=now + timedelta(minutes=30),
        starts_at=now + timedelta(hours=1),
    )
    tournament.refresh_from_db()
    return tournament


def _captains(tournament: Tournament) -> list[Any]:
    regs = Registration.objects.filter(tournament=tournament).select_related("team")
    return [captain_of(r.team) for r in regs.order_by("pk")]


def test_check_in_before_the_window_then_in_it_and_undo() -> None:
    t = _before_start(2, checkin_open=False)
    captain = client_as(_captains(t)[0])
    url = f"/api/tournaments/{t.pk}/check-in/"
    early = captain.post(url, {}, format="json")
    assert (early.status_code, early.json()["code"]) == (409, "checkin_closed")
    assert "opens_at" in early.json()["details"]
    Tournament.objects.filter(pk=t.pk).update(checkin_opens_at=timezone.now())
    done = captain.post(url, {}, format="json")
    assert done.status_code == 200 and done.json()["checked_in_at"]
    undone = captain.post(f"{url}undo/", {}, format="json")
    assert undone.status_code == 200 and undone.json()["checked_in_at"] is None
    bad = captain.post(url, {"team": "x"}, format="json")
    assert bad.status_code == 400


def _board(client: Any, t: Tournament) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/tournaments/{t.pk}/check-in/")
    assert response.status_code == 200, response.json()
    return response.json(), len(queries)


def test_the_host_board_and_its_constant_queries() -> None:
    small, large = _before_start(2), _before_start(12, prefix="Squad")
    for t in (small, large):
        client_as(_captains(t)[0]).post(f"/api/tournaments/{t.pk}/check-in/", {}, format="json")
    board, few = _board(client_as(small.host), small)
    assert (len(board["checked_in"]), len(board["not_checked_in"])) == (1, 1)
    board, many = _board(client_as(large.host), large)
    assert (len(board["checked_in"]), len(board["not_checked_in"])) == (1, 11)
    assert few == many
    stranger = client_as(UserFactory()).get(f"/api/tournaments/{small.pk}/check-in/")
    assert stranger.status_code == 403


def _played(teams: int, prefix: str = "Team") -> tuple[Tournament, list, int]:
    t, field = live_tournament(teams=teams, prefix=prefix)
    round_ = round_create(actor=t.host, tournament=t, name="Final", is_final=True)
    group = group_create(
        actor=t.host, tournament=t, round_=round_, name="A", team_ids=[f.pk for f in field]
    )
    match = match_create(actor=t.host, tournament=t, group=group)
    rows = [{"team": f.pk, "placement": i, "kills": 1} for i, f in enumerate(field, 1)]
    for final in (False, True):
        match_result_submit(
            actor=t.host, match_id=match.pk, submission=submission(rows, final=final)
        )
    return t, field, match.pk


def _count(client: Any, path: str) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def test_disputes_and_history_who_reads_them_and_their_queries() -> None:
    counts = []
    for teams, prefix in ((2, "Team"), (8, "Squad")):
        t, field, match_id = _played(teams, prefix)
        for team in field:
            opened = client_as(captain_of(team)).post(
                f"/api/matches/{match_id}/disputes/", {"reason": "Recount."}, format="json"
            )
            assert opened.status_code == 201, opened.json()
        host = client_as(t.host)
        disputes, n_disputes = _count(host, f"/api/matches/{match_id}/disputes/")
        history, n_history = _count(host, f"/api/matches/{match_id}/history/")
        assert len(disputes.json()) == teams and len(history.json()) == 2
        counts.append((n_disputes, n_history))
        own = client_as(captain_of(field[0])).get(f"/api/matches/{match_id}/disputes/")
        assert [d["team"]["id"] for d in own.json()] == [field[0].pk]
        assert (
            client_as(captain_of(field[0])).get(f"/api/matches/{match_id}/history/").status_code
            == 403
        )
        assert client_as(UserFactory()).get(f"/api/matches/{match_id}/disputes/").status_code == 403
    assert counts[0] == counts[1]


def test_dispute_bodies_are_checked() -> None:
    t, field, match_id = _played(2)
    captain = client_as(captain_of(field[0]))
    url = f"/api/matches/{match_id}/disputes/"
    bad_link = captain.post(
        url, {"reason": "x", "evidence": [{"kind": "link", "value": "not a url"}]}, format="json"
    )
    assert bad_link.status_code == 400
    nul = captain.post(url, {"reason": "a\x00b"}, format="json")
    assert nul.status_code == 400
    wrong_type = client_as(t.host).post(
        f"{url}999/resolve/", {"action": "accept", "final": "yes"}, format="json"
    )
    assert wrong_type.status_code == 400
    missing = client_as(t.host).post(f"{url}999/resolve/", {"action": "accept"}, format="json")
    assert missing.status_code == 404
