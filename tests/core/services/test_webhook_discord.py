"""A Discord-type endpoint against a real receiver: after each final result one message with the
round's top 10, the winner, announcements; bodies within Discord's webhook limits (checked by
tests/support/webhooks.py on its own and by core.rules.discord); a 429's retry_after honoured."""

from collections.abc import Iterator
from typing import Any

import pytest

from core import tasks
from core.models import Match, Team, Tournament, WebhookEndpoint
from core.rules.discord import message_problems
from core.services import webhook_deliveries
from core.services.announcements import announcement_create
from core.services.competition import group_create, match_create, round_create
from core.services.results import match_result_submit
from core.services.winners import tournament_select_winner
from tests.support.events import submission
from tests.support.receiver import Answer, receiver
from tests.support.tournaments import live_tournament
from tests.support.webhooks import Clock, deliveries, discord_violations, endpoint_for

pytestmark = pytest.mark.django_db
DISCORD = ["match.result", "standings", "winner", "announcement"]


@pytest.fixture(autouse=True)
def _local_receivers(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    c = Clock()
    monkeypatch.setattr(webhook_deliveries, "clock", c)
    yield c


def _field(teams: int = 14) -> tuple[Tournament, list[Team], Match]:
    t, field = live_tournament(teams=teams, prefix="X" * 50, title="T" * 120)
    final = round_create(actor=t.host, tournament=t, name="Grand final", is_final=True)
    group = group_create(
        actor=t.host, tournament=t, round_=final, name="A", team_ids=[x.pk for x in field]
    )
    return t, field, match_create(actor=t.host, tournament=t, group=group)


def _submit(t: Tournament, match: Match, field: list[Team], *, final: bool) -> None:
    rows = [{"team": team.pk, "placement": i, "kills": 30 - i} for i, team in enumerate(field, 1)]
    match_result_submit(actor=t.host, match_id=match.pk, submission=submission(rows, final=final))


def test_a_final_result_posts_the_top_10_within_discords_limits(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, field, match = _field()
    with receiver(Answer(204)) as r:
        endpoint = endpoint_for(t, r.url, kind="discord", events=DISCORD)
        with django_capture_on_commit_callbacks(execute=True):
            _submit(t, match, field, final=False)  # provisional: not posted
        assert r.received == []
        with django_capture_on_commit_callbacks(execute=True):
            _submit(t, match, field, final=True)
        with django_capture_on_commit_callbacks(execute=True):
            announcement_create(actor=t.host, tournament_id=t.pk, message="gg " * 166)
        with django_capture_on_commit_callbacks(execute=True):
            tournament_select_winner(actor=t.host, tournament=t)
    standings, announcement, winner = (g.json() for g in r.received)
    for body in (standings, announcement, winner):
        assert discord_violations(body) == [] and message_problems(body) == []
        assert body["allowed_mentions"] == {"parse": []}
    (embed,) = standings["embeds"]
    assert len(embed["fields"]) == 10
    assert [f["name"].split(" ", 1)[0] for f in embed["fields"]] == [f"#{i}" for i in range(1, 11)]
    assert field[0].name in embed["fields"][0]["name"]
    assert "match 1 (Grand final, group A)" in standings["content"]
    assert announcement["embeds"][0]["description"] == ("gg " * 166).strip()
    assert field[0].name in winner["content"] and len(winner["embeds"][0]["fields"]) == 10
    assert {d.status for d in deliveries(endpoint)} == {"delivered"}


def test_a_429_with_retry_after_is_honoured(
    clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    t, _, _ = _field(teams=2)
    limited = Answer(
        429,
        {"message": "You are being rate limited.", "retry_after": 7.5, "global": False},
        {"Retry-After": "8"},
    )
    with receiver(limited, Answer(204)) as r:
        endpoint = endpoint_for(t, r.url, kind="discord", events=DISCORD)
        with django_capture_on_commit_callbacks(execute=True):
            announcement_create(actor=t.host, tournament_id=t.pk, message="first")
        (delivery,) = deliveries(endpoint)
        endpoint.refresh_from_db()
        assert delivery.status == "pending" and delivery.last_status_code == 429
        assert (delivery.next_attempt_at - clock.now).total_seconds() == 7.5
        assert (endpoint.paused_until - clock.now).total_seconds() == 7.5
        with django_capture_on_commit_callbacks(execute=True):
            announcement_create(actor=t.host, tournament_id=t.pk, message="second")
        assert len(r.received) == 1  # the endpoint waits out the limit: the second waits too
        clock.advance(7)
        assert tasks.webhooks_retry_due_task() == 0
        clock.advance(0.5)
        assert tasks.webhooks_retry_due_task() == 2
    assert len(r.received) == 3
    assert {d.status for d in deliveries(endpoint)} == {"delivered"}
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.enabled  # a 429 is not a failure


def test_without_a_body_the_retry_after_header_is_honoured(clock: Clock) -> None:
    t, _, _ = _field(teams=2)
    with receiver(Answer(429, None, {"Retry-After": "42"}), Answer(204)) as r:
        endpoint = endpoint_for(t, r.url, kind="discord", events=DISCORD)
        delivery = webhook_deliveries.webhook_ping(actor=t.host, endpoint_id=endpoint.pk)
        webhook_deliveries.webhook_attempt(delivery_id=delivery.pk, force=True)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert (endpoint.paused_until - clock.now).total_seconds() == 42
    assert r.received[0].json()["content"].startswith("Scrimverse test ping")


def test_an_empty_rate_limit_bucket_holds_the_next_message(clock: Clock) -> None:
    t, _, _ = _field(teams=2)
    bucket = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "2.25"}
    with receiver(Answer(204, None, bucket)) as r:
        endpoint = endpoint_for(t, r.url, kind="discord", events=DISCORD)
        delivery = webhook_deliveries.webhook_ping(actor=t.host, endpoint_id=endpoint.pk)
        webhook_deliveries.webhook_attempt(delivery_id=delivery.pk, force=True)
    endpoint.refresh_from_db()
    assert len(r.received) == 1
    assert (endpoint.paused_until - clock.now).total_seconds() == 2.25


def test_the_rules_keep_long_text_within_the_limits() -> None:
    from core.rules import discord

    rows = [
        {
            "rank": i,
            "team": {"name": "N" * 300, "tag": "T" * 300},
            "total": 1,
            "wins": 0,
            "kill_points": 0,
        }
        for i in range(1, 30)
    ]
    bodies = [
        discord.standings_message("T" * 5000, "L" * 5000, rows),
        discord.winner_message("T" * 5000, {"team": rows[0]["team"], "standings": rows}),
        discord.announcement_message("T" * 5000, "m" * 9000),
        discord.text_message("x" * 9000),
    ]
    for body in bodies:
        assert discord_violations(body) == [] and message_problems(body) == []
    assert message_problems({"content": "x" * 2001}) == ["content over 2000"]
    assert WebhookEndpoint.Kind.DISCORD == "discord"
