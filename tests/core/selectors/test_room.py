"""core/selectors/room.py: who may watch a private room and command any room, and the room
snapshot's data read straight from the selector (the websocket's view of it:
tests/realtime/test_snapshot_and_fuzz.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.events import current_seq
from core.models import Registration, Tournament
from core.selectors.room import (
    SNAPSHOT_ANNOUNCEMENTS,
    room_meta_for,
    room_snapshot_data,
    user_may_command,
    user_may_watch_private,
)
from core.services.announcements import announcement_create
from core.services.results import match_result_submit
from core.services.winners import tournament_select_winner
from tests.factories import HostFactory, TournamentFactory, UserFactory, team_with_roster
from tests.support.events import submission
from tests.support.rooms import live_room
from tests.support.tournaments import confirm

pytestmark = pytest.mark.django_db


def test_room_meta_exists_for_every_tournament_but_a_draft() -> None:
    live = TournamentFactory(status=Tournament.Status.LIVE, visibility="private")
    assert room_meta_for(live.pk) == {
        "id": live.pk,
        "host_id": live.host_id,
        "visibility": "private",
        "status": "live",
    }
    assert room_meta_for(TournamentFactory(status=Tournament.Status.DRAFT).pk) is None
    assert room_meta_for(live.pk + 1000) is None


def test_a_private_room_is_watched_by_its_host_staff_and_seated_players() -> None:
    t = TournamentFactory(visibility="private")
    meta = room_meta_for(t.pk)
    assert meta is not None
    team = team_with_roster(size=2)
    registration = confirm(t, team)
    player = team.memberships.first().user
    for user in (t.host, UserFactory(is_staff=True), player):
        assert user_may_watch_private(user, meta), user
    for user in (None, AnonymousUser(), UserFactory(), HostFactory()):
        assert not user_may_watch_private(user, meta), user
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.WITHDRAWN)
    assert not user_may_watch_private(player, meta)


def test_only_an_active_host_or_staff_may_command() -> None:
    t = TournamentFactory()
    meta = room_meta_for(t.pk)
    assert meta is not None
    assert user_may_command(t.host, meta)
    assert user_may_command(UserFactory(is_staff=True), meta)
    for user in (None, AnonymousUser(), UserFactory(), HostFactory()):
        assert not user_may_command(user, meta)
    t.host.is_active = False
    assert not user_may_command(t.host, meta)


@pytest.mark.django_db(transaction=True)  # its own transaction sets REPEATABLE READ on PostgreSQL
def test_the_snapshot_is_the_state_as_of_its_seq() -> None:
    room = live_room(teams=3)
    match_result_submit(
        actor=room.host, match_id=room.matches[0].pk, submission=submission(room.rows([1, 0, 2]))
    )
    for i in range(SNAPSHOT_ANNOUNCEMENTS + 2):
        announcement_create(actor=room.host, tournament_id=room.tournament.pk, message=f"n{i}")
    seq, body = room_snapshot_data(room.tournament.pk)
    # round.status and the v2 match.result, then the announcements
    assert seq == current_seq(room.tournament.pk) == 2 + SNAPSHOT_ANNOUNCEMENTS + 2
    assert body["tournament"]["id"] == room.tournament.pk
    assert body["tournament"]["points_table"] == {
        "placement": [10, 6, 5, 4, 3, 2, 1, 1],
        "per_kill": 1,
    }
    messages = [a["message"] for a in body["announcements"]]
    assert len(messages) == SNAPSHOT_ANNOUNCEMENTS and messages[0] == "n21"  # newest first
    (rnd,) = body["rounds"]
    (group,) = rnd["groups"]
    assert [m["version"] for m in group["matches"]] == [1, 0]
    assert [r["team"] for r in group["matches"][0]["results"]] == [
        room.teams[1].pk,
        room.teams[0].pk,
        room.teams[2].pk,
    ]
    assert group["standings"][0]["team"]["id"] == room.teams[1].pk
    assert rnd["standings"] == group["standings"]


def test_the_snapshot_names_the_winner_once_crowned() -> None:
    room = live_room(teams=3)
    match_result_submit(
        actor=room.host,
        match_id=room.matches[0].pk,
        submission=submission(room.rows([2, 0, 1]), final=True),
    )
    assert room_snapshot_data(room.tournament.pk)[1]["winner"] is None
    tournament_select_winner(actor=room.host, tournament=room.tournament)
    champion = room.teams[2]
    _, body = room_snapshot_data(room.tournament.pk)
    assert body["winner"] == {"id": champion.pk, "name": champion.name, "tag": champion.tag,
                              "logo": None}  # fmt: skip
    assert body["tournament"]["status"] == "completed"
    assert [r["status"] for r in body["rounds"]] == ["completed"]
