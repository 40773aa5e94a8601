"""Room credentials, notifications, the standings query budget and concurrent submits."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.events import format_at
from core.models import (
    Announcement,
    Group,
    GroupTeam,
    Match,
    MatchResult,
    Notification,
    Round,
    Team,
)
from core.services.results import match_result_submit
from tests.core.competition.conftest import client_for, live_tournament
from tests.core.engine_helpers import logged, submission
from tests.factories import game

pytestmark = pytest.mark.django_db


def _two_groups():  # type: ignore[no-untyped-def]
    tournament, field = live_tournament(teams=4, roster=2)
    host = client_for(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "R1", "qualify_per_group": 1}).json()["id"]
    groups = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 2}, format="json"
    ).json()
    match_id = host.post(f"{base}/matches/", {"group": groups[0]["id"], "map": "Miramar"}).json()[
        "id"
    ]
    return tournament, field, host, groups, match_id


def test_credentials_released_to_the_groups_players_only(django_capture_on_commit_callbacks):
    _tournament, field, host, groups, match_id = _two_groups()
    by_id = {t.pk: t for t in field}
    mine = by_id[groups[0]["teams"][0]["id"]].memberships.first().user
    other_group = by_id[groups[1]["teams"][0]["id"]].memberships.first().user
    _, strangers = live_tournament(teams=1, prefix="Else")
    other_tournament = strangers[0].memberships.first().user
    url = f"/api/matches/{match_id}/credentials/"
    later = timezone.now() + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        r = host.patch(
            f"/api/matches/{match_id}/",
            {"room_id": "R-77", "room_password": "pw", "credentials_release_at": later.isoformat()},
            format="json",
        )
    assert r.status_code == 200 and r.json()["has_credentials"] is True
    assert "room_password" not in r.json()
    assert host.get(url).json()["room_id"] == "R-77"  # the host, before release
    early = client_for(mine).get(url)
    assert early.status_code == 403 and early.json()["code"] == "credentials_not_released"
    assert Notification.objects.count() == 0  # the notice waits for the release time

    with django_capture_on_commit_callbacks(execute=True):
        host.patch(
            f"/api/matches/{match_id}/",
            {"credentials_release_at": timezone.now().isoformat()},
            format="json",
        )
    assert client_for(mine).get(url).json() == {
        "match": match_id,
        "room_id": "R-77",
        "room_password": "pw",
        "release_at": client_for(mine).get(url).json()["release_at"],
    }
    assert client_for(other_group).get(url).status_code == 403
    assert client_for(other_tournament).get(url).status_code == 403
    assert APIClient().get(url).status_code in (401, 403)

    told = set(
        Notification.objects.filter(kind="room_credentials").values_list("user_id", flat=True)
    )
    group_players = {
        m.user_id for t in groups[0]["teams"] for m in by_id[t["id"]].memberships.all()
    }
    assert told == group_players and len(told) == 4
    assert len(mail.outbox) == 4 and "Room ready" in mail.outbox[0].subject
    assert "pw" not in mail.outbox[0].body  # the password stays behind the login

    me = client_for(mine)
    listed = me.get("/api/accounts/notifications/?unread=1").json()
    assert listed["count"] == 1
    nid = listed["results"][0]["id"]
    assert me.post(f"/api/accounts/notifications/{nid}/read/").json()["read_at"] is not None
    assert (
        client_for(other_group).post(f"/api/accounts/notifications/{nid}/read/").status_code == 404
    )
    assert me.post("/api/accounts/notifications/read-all/").json() == {"updated": 0}


def test_match_status_changes_emit_events():
    tournament, field, host, _groups, match_id = _two_groups()
    assert (
        host.patch(f"/api/matches/{match_id}/", {"status": "completed"}, format="json").status_code
        == 409
    )
    assert (
        host.patch(f"/api/matches/{match_id}/", {"status": "live"}, format="json").status_code
        == 200
    )
    assert [f["name"] for f in logged(tournament)] == ["round.status", "match.status"]
    assert logged(tournament)[1]["data"]["status"] == "live"
    ann = host.post(
        f"/api/tournaments/{tournament.pk}/announcements/", {"message": "Go!"}, format="json"
    )
    assert ann.status_code == 201
    created = Announcement.objects.get(pk=ann.json()["id"])
    assert logged(tournament)[-1]["data"] == {
        "id": created.pk,
        "message": "Go!",
        "at": format_at(created.created_at),
    }
    assert (
        client_for(field[0].memberships.first().user)
        .post(f"/api/tournaments/{tournament.pk}/announcements/", {"message": "x"}, format="json")
        .status_code
        == 403
    )


def _build_round(tournament, *, groups: int, per_group: int, matches: int, tag: str) -> Round:  # type: ignore[no-untyped-def]
    """A qualifier round built straight into the tables (bulk_create), results included."""
    g = game()
    round_ = Round.objects.create(
        tournament=tournament,
        number=Round.objects.filter(tournament=tournament).count() + 1,
        name=tag,
        qualify_per_group=2,
    )
    teams = Team.objects.bulk_create(
        Team(game=g, name=f"{tag} {i:04d}", tag=f"{i:04d}") for i in range(groups * per_group)
    )
    group_rows = Group.objects.bulk_create(
        Group(round=round_, tournament=tournament, name=f"{tag}{i}") for i in range(groups)
    )
    GroupTeam.objects.bulk_create(
        GroupTeam(group=grp, round=round_, team=teams[gi * per_group + k], seed=k)
        for gi, grp in enumerate(group_rows)
        for k in range(per_group)
    )
    match_rows = Match.objects.bulk_create(
        Match(tournament=tournament, group=grp, number=n, status="completed", result_version=1)
        for grp in group_rows
        for n in range(1, matches + 1)
    )
    results = []
    for mi, m in enumerate(match_rows):
        gi = mi // matches
        for k in range(per_group):
            place = (k + mi) % per_group + 1
            kills = (k * 7 + mi) % 6
            pp = [10, 6, 5, 4, 3, 2, 1, 1][place - 1] if place <= 8 else 0
            results.append(
                MatchResult(
                    match=m,
                    tournament=tournament,
                    round=round_,
                    team=teams[gi * per_group + k],
                    placement=place,
                    kills=kills,
                    placement_points=pp,
                    kill_points=kills,
                    total=pp + kills,
                )
            )
    MatchResult.objects.bulk_create(results, batch_size=2000)
    return round_


def test_standings_query_count_is_constant_up_to_a_1000_team_round(settings):  # type: ignore[no-untyped-def]
    settings.PUBLIC_READ_CACHE = False  # the selector's own cost (cache hits: test_read_cache)
    tournament, _ = live_tournament(teams=2)
    small = _build_round(tournament, groups=2, per_group=4, matches=2, tag="S")
    big = _build_round(tournament, groups=40, per_group=25, matches=6, tag="B")
    client = APIClient()
    counts = {}
    for name, params in {
        "small round": f"?round={small.pk}",
        "big round": f"?round={big.pk}",
        "big group": f"?group={Group.objects.filter(round=big).first().pk}",
        "tournament": "",
    }.items():
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(f"/api/tournaments/{tournament.pk}/standings/{params}")
        assert r.status_code == 200
        counts[name] = len(ctx.captured_queries)
        if name == "big round":
            rows = r.json()["rows"]
            assert len(rows) == 1000 and sum(row["matches"] for row in rows) == 6000
            assert sum(row["qualified"] for row in rows) == 80  # top 2 of each of 40 groups
            assert [row["rank"] for row in rows] == sorted(row["rank"] for row in rows)
    assert counts["small round"] == counts["big round"] == counts["big group"], counts
    assert counts["tournament"] <= counts["big round"], counts


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_to_different_matches_keep_seq_gap_free():
    tournament, _field = live_tournament(teams=24)
    host = client_for(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "R", "is_final": True}).json()["id"]
    groups = host.post(
        f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 6}, format="json"
    ).json()
    matches = [host.post(f"{base}/matches/", {"group": g["id"]}).json()["id"] for g in groups]
    teams_of = {g["id"]: [t["id"] for t in g["teams"]] for g in groups}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(matches))

    def submit(match_id: int, group_id: int) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                rows = [
                    {"team": t, "placement": p, "kills": 1}
                    for p, t in enumerate(teams_of[group_id], 1)
                ]
                match_result_submit(
                    actor=tournament.host, match_id=match_id, submission=submission(rows)
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(m, g["id"]))
        for m, g in zip(matches, groups, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = [f["seq"] for f in logged(tournament)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert sum(f["name"] == "match.result" for f in logged(tournament)) == 18
    assert set(Match.objects.filter(pk__in=matches).values_list("result_version", flat=True)) == {3}
