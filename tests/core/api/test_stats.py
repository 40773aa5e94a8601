"""Match statistics (core/services/stats.py, core/selectors/stats.py) through the real flow: a
seeded set of tournaments gives the hand-computed numbers below for a player, a team and a
tournament's top fraggers and MVP; a correction replaces the old contribution exactly; the
30-day leaderboard leaves out an old match; the reads' query counts do not grow with matches."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import Match, MatchStatLine, StatTotal, Team, Tournament
from core.selectors.stats import player_stats, team_match_history, team_stats
from core.services.stats import stats_record_finish
from tests.support.api import client_as
from tests.support.tournaments import confirm, live_tournament

pytestmark = pytest.mark.django_db


def _matches(tournament: Tournament, count: int) -> tuple[APIClient, list[int]]:
    """A final round with one group of every confirmed team and `count` matches."""
    host = client_as(tournament.host)
    base = f"/api/tournaments/{tournament.pk}"
    round_id = host.post(f"{base}/rounds/", {"name": "Final", "is_final": True}).json()["id"]
    group = host.post(f"{base}/groups/", {"round": round_id, "auto_seed": True, "groups": 1})
    group_id = group.json()[0]["id"]
    ids = [host.post(f"{base}/matches/", {"group": group_id}).json()["id"] for _ in range(count)]
    return host, ids


def _submit(host: APIClient, match_id: int, rows: list[dict[str, Any]], final: bool = True) -> None:
    r = host.put(f"/api/matches/{match_id}/", {"results": rows, "final": final}, format="json")
    assert r.status_code == 200, r.content


def _row(team: Team, placement: int, kills: int, players: dict[int, int]) -> dict[str, Any]:
    lines = [{"player": user_id, "kills": k} for user_id, k in players.items()]
    return {"team": team.pk, "placement": placement, "kills": kills, "players": lines}


def _members(team: Team) -> list[int]:
    return list(team.memberships.order_by("id").values_list("user_id", flat=True))


class Seed:
    """T1: teams A, B, C (two players each), matches M1, M2; T2: A and B, match M3 (final) and
    M4 (provisional: not counted)."""

    def __init__(self) -> None:
        self.t1, (self.a, self.b, self.c) = live_tournament(teams=3, roster=2)
        self.a1, self.a2 = _members(self.a)
        self.b1, self.b2 = _members(self.b)
        self.host1, (self.m1, self.m2) = _matches(self.t1, 2)
        _submit(self.host1, self.m1, self.m1_rows(a_place=1, b_place=2))
        _submit(
            self.host1,
            self.m2,
            [
                _row(self.b, 1, 6, {self.b1: 6}),
                _row(self.a, 2, 3, {self.a1: 3, self.a2: 0}),
                _row(self.c, 3, 2, {}),
            ],
        )
        self.t2, _ = live_tournament(teams=0, game=self.t1.game, prefix="Other")
        confirm(self.t2, self.a)
        confirm(self.t2, self.b)
        self.host2, (self.m3, self.m4) = _matches(self.t2, 2)
        _submit(self.host2, self.m3, [_row(self.b, 1, 7, {}), _row(self.a, 2, 2, {self.a1: 2})])
        _submit(
            self.host2,
            self.m4,
            [_row(self.a, 1, 10, {self.a1: 10}), _row(self.b, 2, 0, {})],
            final=False,
        )

    def m1_rows(self, *, a_place: int, b_place: int) -> list[dict[str, Any]]:
        rows = [
            _row(self.a, a_place, 8, {self.a1: 5, self.a2: 3}),
            _row(self.b, b_place, 4, {self.b1: 4}),
            _row(self.c, 3, 1, {}),
        ]
        return sorted(rows, key=lambda r: r["placement"])


def _board(query: str) -> dict[int, dict[str, Any]]:
    r = APIClient().get(f"/api/accounts/leaderboard/?{query}")
    assert r.status_code == 200, r.content
    return {row.get("id", row.get("user")): row for row in r.json()["results"]}


def test_seeded_tournaments_give_the_hand_computed_numbers_and_a_correction_updates_them() -> None:
    seed = Seed()
    # a1: M1 1st 5 kills, M2 2nd 3 kills, M3 2nd 2 kills (M4 is provisional).
    player = player_stats(user_id=seed.a1)[0]
    assert player["game"] == seed.t1.game.slug
    assert (player["tournaments_played"], player["matches"], player["wins"]) == (2, 3, 1)
    assert (player["kills"], player["average_placement"], player["kills_per_match"]) == (
        10,
        1.67,
        3.33,
    )
    # Team A: kills 8 + 3 + 2, placements 1, 2, 2.
    (row,) = team_stats(team_id=seed.a.pk)
    assert (row["tournaments_played"], row["matches"], row["wins"], row["kills"]) == (2, 3, 1, 13)
    assert (row["average_placement"], row["kills_per_match"]) == (1.67, 4.33)
    assert [
        (h["match_id"], h["placement"], h["kills"])
        for h in team_match_history(team_id=seed.a.pk).values()
    ] == [
        (seed.m3, 2, 2),
        (seed.m2, 2, 3),
        (seed.m1, 1, 8),
    ]
    # T1's top fraggers: b1 4 + 6, a1 5 + 3, a2 3 + 0; the MVP is b1.
    fraggers = APIClient().get(f"/api/tournaments/{seed.t1.pk}/top-fraggers/").json()
    assert [(f["player"]["id"], f["kills"]) for f in fraggers] == [
        (seed.b1, 10),
        (seed.a1, 8),
        (seed.a2, 3),
    ]
    mvp = APIClient().get(f"/api/tournaments/{seed.t1.pk}/mvp/").json()
    assert (mvp["mvp"]["player"]["id"], mvp["mvp"]["kills"]) == (seed.b1, 10)

    # M1 corrected: B takes the WWCD from A (version 2 replaces version 1's contribution).
    url = f"/api/matches/{seed.m1}/"
    body = {"results": seed.m1_rows(a_place=2, b_place=1), "final": True, "version": 1}
    assert seed.host1.put(url, body, format="json").status_code == 200
    player = player_stats(user_id=seed.a1)[0]
    assert (player["matches"], player["wins"], player["kills"]) == (3, 0, 10)
    assert player["average_placement"] == 2.0
    assert team_stats(team_id=seed.a.pk)[0]["wins"] == 0
    b = team_stats(team_id=seed.b.pk)[0]
    assert (b["tournaments_played"], b["matches"], b["wins"], b["kills"]) == (2, 3, 3, 17)
    assert set(
        MatchStatLine.objects.filter(match_id=seed.m1).values_list("version", flat=True)
    ) == {2}
    # A provisional re-submit withdraws the match's contribution until it is final again.
    _submit(seed.host1, seed.m2, [_row(seed.b, 1, 6, {seed.b1: 6}), _row(seed.a, 2, 3, {})], False)
    assert player_stats(user_id=seed.a1)[0]["matches"] == 2
    assert team_stats(team_id=seed.c.pk)[0]["tournaments_played"] == 1


def _get(path: str) -> Any:
    r = APIClient().get(path)
    assert r.status_code == 200, r.content
    return r.json()


def _player_rest(user_id: int) -> dict[str, Any]:
    (row,) = _get(f"/api/accounts/players/{user_id}/")["stats"]["games"]
    return row


def _team_rest(team_id: int) -> dict[str, Any]:
    (row,) = _get(f"/api/accounts/teams/{team_id}/")["stats"]["games"]
    return row


def _history(team_id: int) -> list[tuple[int, int, int, int, int]]:
    body = _get(f"/api/accounts/teams/{team_id}/matches/")
    rows = body["results"]
    assert body["count"] == len(rows)
    keys = ("match", "placement", "kills", "points")
    return [(h[keys[0]], h["tournament"]["id"], *(h[k] for k in keys[1:])) for h in rows]


def test_the_profiles_serve_the_hand_computed_numbers_over_rest_and_follow_a_correction() -> None:
    seed = Seed()
    game = seed.t1.game.slug
    # a1: M1 1st 5 kills, M2 2nd 3, M3 2nd 2 (M4 provisional): 10 kills over 3, places 1+2+2.
    a1 = _player_rest(seed.a1)
    assert a1.pop("points") > 0  # the points table's numbers: the team's are checked below
    assert a1 == {
        "game": game,
        "tournaments_played": 2,
        "matches": 3,
        "wins": 1,
        "kills": 10,
        "average_placement": 1.67,
        "kills_per_match": 3.33,
        "best_finish": None,
    }
    # b2 played M1 and M2 in T1 (no kill line of their own) and M3 in T2: B placed 2, 1, 1.
    b2 = _player_rest(seed.b2)
    assert (b2["matches"], b2["wins"], b2["kills"], b2["average_placement"]) == (3, 2, 0, 1.33)
    # Team A: kills 8 + 3 + 2 = 13 over 3 matches, places 1, 2, 2.
    a = _team_rest(seed.a.pk)
    assert (a["tournaments_played"], a["matches"], a["wins"], a["kills"]) == (2, 3, 1, 13)
    assert (a["average_placement"], a["kills_per_match"]) == (1.67, 4.33)
    # Team C: only T1, places 3 and 3, kills 1 + 2.
    c = _team_rest(seed.c.pk)
    assert (c["matches"], c["wins"], c["kills"], c["average_placement"]) == (2, 0, 3, 3.0)
    assert c["kills_per_match"] == 1.5
    history = _history(seed.a.pk)
    assert [(m, t, p, k) for m, t, p, k, _ in history] == [
        (seed.m3, seed.t2.pk, 2, 2),
        (seed.m2, seed.t1.pk, 2, 3),
        (seed.m1, seed.t1.pk, 1, 8),
    ]
    assert sum(points for *_, points in history) == a["points"]
    fraggers = _get(f"/api/tournaments/{seed.t1.pk}/top-fraggers/")
    assert [(f["rank"], f["player"]["id"], f["kills"], f["matches"]) for f in fraggers] == [
        (1, seed.b1, 10, 2),
        (2, seed.a1, 8, 2),
        (3, seed.a2, 3, 2),
    ]

    _correct_m1_and_read_again(seed)


def _correct_m1_and_read_again(seed: Seed) -> None:
    # M1 corrected (B 1st with 4 kills, A 2nd with 8; a1's 5 become 1): every read follows.
    rows = seed.m1_rows(a_place=2, b_place=1)
    rows[1]["players"] = [{"player": seed.a1, "kills": 1}, {"player": seed.a2, "kills": 7}]
    body = {"results": rows, "final": True, "version": 1}
    assert seed.host1.put(f"/api/matches/{seed.m1}/", body, format="json").status_code == 200
    a1 = _player_rest(seed.a1)
    assert (a1["matches"], a1["wins"], a1["kills"], a1["average_placement"]) == (3, 0, 6, 2.0)
    assert a1["kills_per_match"] == 2.0
    a = _team_rest(seed.a.pk)
    assert (a["wins"], a["kills"], a["average_placement"]) == (0, 13, 2.0)
    b = _team_rest(seed.b.pk)
    assert (b["matches"], b["wins"], b["kills"], b["average_placement"]) == (3, 3, 17, 1.0)
    # The corrected match counts as of its correction: newest, now in second place.
    match, _, place, kills, _ = _history(seed.a.pk)[0]
    assert (match, place, kills) == (seed.m1, 2, 8)
    fraggers = _get(f"/api/tournaments/{seed.t1.pk}/top-fraggers/")
    # b1 4 + 6 = 10, a2 7 + 0 = 7, a1 1 + 3 = 4.
    assert [(f["player"]["id"], f["kills"]) for f in fraggers] == [
        (seed.b1, 10),
        (seed.a2, 7),
        (seed.a1, 4),
    ]
    assert _get(f"/api/tournaments/{seed.t1.pk}/mvp/")["mvp"]["player"]["id"] == seed.b1


def test_best_finish_keeps_the_best_place() -> None:
    seed = Seed()
    stats_record_finish(tournament=seed.t2, places={seed.a.pk: 2, seed.b.pk: 1})
    stats_record_finish(tournament=seed.t1, places={seed.a.pk: 1, seed.b.pk: 3, seed.c.pk: 2})
    assert team_stats(team_id=seed.a.pk)[0]["best_finish"] == 1
    assert team_stats(team_id=seed.b.pk)[0]["best_finish"] == 1
    assert player_stats(user_id=seed.a2)[0]["best_finish"] == 1


def test_leaderboard_by_period_leaves_out_an_old_match() -> None:
    seed = Seed()
    old = timezone.now() - timedelta(days=40)
    MatchStatLine.objects.filter(match_id=seed.m3).update(played_at=old)
    game = seed.t1.game.slug
    recent = _board(f"period=30d&game={game}")
    assert (recent[seed.a.pk]["matches"], recent[seed.a.pk]["kills"]) == (2, 11)
    assert recent[seed.b.pk]["wins"] == 1
    every = _board(f"period=all&game={game}")
    assert (every[seed.a.pk]["matches"], every[seed.a.pk]["kills"]) == (3, 13)
    assert every[seed.b.pk]["tournaments"] == 2
    players = _board(f"period=30d&kind=players&game={game}")
    assert (players[seed.a1]["matches"], players[seed.a1]["kills"]) == (2, 8)
    assert APIClient().get("/api/accounts/leaderboard/?period=7d").status_code == 400


def _query_counts(paths: list[str]) -> list[int]:
    counts = []
    for path in paths:
        APIClient().get(path)  # warm (sessions, caches)
        with CaptureQueriesContext(connection) as ctx:
            assert APIClient().get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    return counts


def test_query_counts_do_not_grow_with_matches() -> None:
    tournament, (a, b) = live_tournament(teams=2, roster=2)
    a1 = _members(a)[0]
    host, ids = _matches(tournament, 10)
    paths = [
        "/api/accounts/leaderboard/?period=30d",
        "/api/accounts/leaderboard/?period=30d&kind=players",
        "/api/accounts/leaderboard/?period=all",
        "/api/accounts/leaderboard/?period=all&kind=players",
        f"/api/tournaments/{tournament.pk}/mvp/",
        f"/api/tournaments/{tournament.pk}/top-fraggers/",
        f"/api/accounts/players/{a1}/",
        f"/api/accounts/teams/{a.pk}/",
        f"/api/accounts/teams/{a.pk}/matches/",
    ]
    rows = [_row(a, 1, 3, {a1: 3}), _row(b, 2, 1, {})]
    for match_id in ids[:2]:
        _submit(host, match_id, rows)
    two = _query_counts(paths)
    for match_id in ids[2:]:
        _submit(host, match_id, rows)
    assert StatTotal.objects.get(team=a, user__isnull=True).matches == 10
    assert Match.objects.filter(status="completed").count() == 10
    assert _query_counts(paths) == two
    assert _get(f"/api/accounts/teams/{a.pk}/matches/")["count"] == 10


def test_rebuild_command_gives_the_same_numbers() -> None:
    seed = Seed()
    fields = ("team_id", "user_id", "tournaments", "matches", "wins", "kills", "placement_sum")
    before = set(StatTotal.objects.values_list(*fields))
    StatTotal.objects.update(kills=999)
    MatchStatLine.objects.filter(match_id=seed.m1).delete()
    call_command("stats_rebuild", stdout=StringIO())
    assert set(StatTotal.objects.values_list(*fields)) == before
    assert MatchStatLine.objects.filter(match_id=seed.m4).count() == 0
