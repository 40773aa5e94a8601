"""Odd input to every match-day write (wrong types, NUL, out-of-range numbers, bodies that are
not objects) as the host, a captain and a stranger: never a 5xx, and every status the one the
schema documents for that operation (docs/quality.md "Bad input")."""

import itertools

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.services.competition import group_create, match_create, round_create
from tests.factories import UserFactory, captain_of
from tests.support.api import client_as
from tests.support.tournaments import live_tournament

pytestmark = pytest.mark.django_db

BODIES = [
    {},
    [],
    "x",
    1,
    None,
    {"team": "x"},
    {"team": 2**70},
    {"team": -1},
    {"reason": 5},
    {"reason": "a\x00"},
    {"reason": "ok", "evidence": "x"},
    {"reason": "ok", "evidence": [1]},
    {"reason": "ok", "evidence": [{"kind": "bad", "value": "v"}]},
    {"reason": "ok", "evidence": [{"kind": "link", "value": "http://x"}] * 11},
    {"action": "accept", "results": "x"},
    {"action": "accept", "results": [{"team": "a"}]},
    {"action": "reject"},
    {"action": "accept", "final": 1},
    {"count": 0},
    {"count": 21},
    {"count": 1, "maps": [1]},
    {"count": 1, "starts_at": "x"},
    {"count": 2, "interval_minutes": -1},
    {"scheduled_at": "x", "reason": "r"},
    {"scheduled_at": None, "reason": "r"},
    {"at": None},
    {"at": "now"},
    {"at": 5},
    {"override_reason": 3},
    {"override_reason": "x" * 400},
    {"action": "accept", "version": 2**70},
]


def test_odd_input_never_answers_5xx_and_is_documented() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    t, field = live_tournament(teams=2)
    r = round_create(actor=t.host, tournament=t, name="F", is_final=True)
    g = group_create(actor=t.host, tournament=t, round_=r, name="A", team_ids=[f.pk for f in field])
    m = match_create(actor=t.host, tournament=t, group=g)
    tournament, match = "/api/tournaments/{tournament_id}", "/api/matches/{match_id}"
    templates = [
        f"{tournament}/check-in/",
        f"{tournament}/check-in/undo/",
        f"{match}/disputes/",
        f"{match}/disputes/{{dispute_id}}/resolve/",
        f"{match}/reschedule/",
        f"{match}/cancel/",
        f"{tournament}/rounds/{{round_id}}/matches/",
        f"{tournament}/groups/{{group_id}}/release-credentials/",
        f"{tournament}/rounds/{{round_id}}/complete/",
        f"{tournament}/select-winner/",
    ]
    ids = {"tournament_id": t.pk, "match_id": m.pk, "dispute_id": 1, "round_id": r.pk}
    paths = {key.format(**ids, group_id=g.pk): key for key in templates}
    bad = []
    for user in (t.host, captain_of(field[0]), UserFactory()):
        client = client_as(user)
        for (path, key), body in itertools.product(paths.items(), BODIES):
            resp = client.post(path, body, format="json")
            documented = set(schema["paths"][key]["post"]["responses"])
            if resp.status_code >= 500 or str(resp.status_code) not in documented:
                bad.append((path, body, resp.status_code, resp.content[:200]))
        reads = ("history", "disputes")
        for path in [
            *(f"/api/matches/{m.pk}/{r}/" for r in reads),
            f"/api/tournaments/{t.pk}/check-in/",
        ]:
            assert client.get(path).status_code < 500
    assert bad == [], bad[:10]
