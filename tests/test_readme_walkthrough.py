"""README.md's "Host a tournament from scratch", executed: every ```http block, in order, against
a live server (uvicorn, as deployed) and the local PhonePe sandbox, over a database seeded by
`manage.py seed_demo` (tests/support/walkthrough.py reads the blocks, live_stack.py starts both).
"""

from pathlib import Path

import pytest

from tests.support.live_stack import live_stack
from tests.support.walkthrough import StepFailed, Walkthrough, parse_step, pick, steps

README = Path(__file__).resolve().parents[1] / "README.md"
TITLE = "Host a tournament from scratch"
# The story the section tells, in this order (each a request some step makes, or the Pay step).
STORY = [
    ("POST", "/api/accounts/login/"),
    ("POST", "/api/scrims/"),
    ("POST", "/api/scrims/{scrim}/publish/"),
    ("PAY", ""),
    ("GET", "/api/scrims/{scrim}/"),
    ("POST", "/api/scrims/{scrim}/register/"),
    ("POST", "/api/scrims/{scrim}/register/"),
    ("GET", "/api/scrims/{scrim}/registrations/"),
    ("POST", "/api/scrims/{scrim}/start/"),
    ("POST", "/api/scrims/{scrim}/rounds/"),
    ("POST", "/api/scrims/{scrim}/groups/"),
    ("POST", "/api/scrims/{scrim}/matches/"),
    ("PATCH", "/api/matches/{match}/"),
    ("PUT", "/api/matches/{match}/"),
    ("GET", "/api/scrims/{scrim}/standings/"),
    ("POST", "/api/scrims/{scrim}/select-winner/"),
    ("GET", "/api/scrims/{scrim}/"),
]


def walkthrough() -> list:
    return steps(README.read_text(), TITLE)


def test_the_section_tells_the_whole_story_in_order() -> None:
    made = [("PAY", "") if s.pay else (s.method, s.path) for s in walkthrough()]
    remaining = iter(made)
    missing = [request for request in STORY if request not in remaining]
    assert missing == [], f"the walkthrough lacks (in this order): {missing}"
    plan = walkthrough()
    assert any(
        path == ".status" and value == '"registration_open"'
        for s in plan
        for path, value in s.waits
    )
    assert plan[-1].checks == [(".status", '"completed"')]


# Transactional: with PostgreSQL the server shares this run's test database (live_stack.py).
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_the_walkthrough_runs_verbatim_against_a_live_server(tmp_path: Path) -> None:
    with live_stack(tmp_path) as (server, sandbox):
        walk = Walkthrough(server.http)
        try:
            walk.run(walkthrough())
            # The publish came from the webhook: the sandbox delivered it to this server.
            delivered = [a for a in sandbox.webhooks() if a["status"] == "delivered"]
            assert [(a["event"], a["url"], a["http_status"]) for a in delivered] == [
                ("checkout.order.completed", f"{server.http}/api/payments/callback/", 200)
            ]
            # And the runner is no rubber stamp: a step that the server contradicts fails.
            wrong = parse_step(
                '# anyone — answers 200 — .status is "draft"\nGET /api/scrims/{scrim}/'
            )
            with pytest.raises(StepFailed, match=r'(?s)step 1 failed:\n# anyone .*"completed"'):
                walk.run([wrong])
            missing = parse_step("# anyone — answers 404\nGET /api/scrims/{scrim}/")
            with pytest.raises(StepFailed, match="expected 404, answered 200"):
                walk.run([missing])
        finally:
            walk.close()


def test_steps_are_read_exactly() -> None:
    step = parse_step(
        "# as the host — answers 201 — keep .id as {scrim}, .game.slug as {game}"
        ' — .status is "draft"\nPOST /api/scrims/\n\n{"title": "x"}'
    )
    assert (step.who, step.status, step.method, step.path) == ("host", 201, "POST", "/api/scrims/")
    assert step.keeps == [(".id", "scrim"), (".game.slug", "game")]
    assert step.checks == [(".status", '"draft"')]
    assert step.body == '{"title": "x"}'
    for broken in [
        "# the host — answers 200\nGET /api/scrims/",  # who?
        "# anyone — answers 200 — perhaps .id\nGET /api/scrims/",  # an unknown clause
        "# anyone\nGET /api/scrims/",  # no status
        "# anyone — answers 200\nFETCH /api/scrims/",  # no request line
        "# open {url} in a browser and press Pay\nPOST /x/",  # Pay is the comment alone
    ]:
        with pytest.raises(ValueError):
            parse_step(broken)


def test_paths_pick_like_jq() -> None:
    body = {"results": [{"id": 3, "members": [{"user": {"id": 7}}, {"user": {"id": 8}}]}]}
    assert pick(body, ".results[0].id") == 3
    assert pick(body, ".results[0].members[].user.id") == [7, 8]
    assert pick([{"id": 5}], ".[0].id") == 5
    assert pick(body, ".") == body
    for absent in (".results[1].id", ".results[0].name", ".results.id"):
        with pytest.raises(StepFailed):
            pick(body, absent)
