"""DNS rebinding at delivery, against a real HTTP receiver on 127.0.0.1 with private hosts NOT
allowed: the host is resolved once, every answer checked, and the connection made to the
checked address. The resolver is scripted for one name (other names resolve as usual)."""

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from core.models import Tournament, WebhookEndpoint
from core.services import webhooks
from core.services.announcements import announcement_create
from tests.support.receiver import Answer, receiver
from tests.support.tournaments import live_tournament
from tests.support.webhooks import deliveries

pytestmark = pytest.mark.django_db
NAME = "hooks.scrim-partner.com"
REAL_GETADDRINFO = socket.getaddrinfo


class Resolver:
    """Answers each lookup of NAME with the next scripted address (the last one repeats)."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.asked = 0

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        self.asked += 1
        ip = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[Resolver]:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    r = Resolver()
    monkeypatch.setattr(socket, "getaddrinfo", r)
    yield r


def _announce(t: Tournament, port: int, on_commit: Any) -> WebhookEndpoint:
    # Stored directly: the URL check at creation is not what is under test.
    endpoint = WebhookEndpoint.objects.create(
        owner=t.host, tournament=t, url=f"http://{NAME}:{port}/hook", events=["announcement"]
    )
    with on_commit(execute=True):
        announcement_create(actor=t.host, tournament_id=t.pk, message="Lobby at 8")
    return endpoint


def test_a_name_resolving_to_loopback_is_refused(
    resolver: Resolver, django_capture_on_commit_callbacks: Any
) -> None:
    t, _ = live_tournament(teams=2)
    resolver.script[:] = ["127.0.0.1"]
    with receiver(Answer(200)) as r:
        endpoint = _announce(t, r.server.server_address[1], django_capture_on_commit_callbacks)
    assert r.received == []
    (delivery,) = deliveries(endpoint)
    assert (delivery.status, delivery.last_error) == (
        "failed",
        "host resolves to a non-public address",
    )


def test_the_connection_goes_to_the_checked_answer_not_a_later_one(
    resolver: Resolver, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check approves 127.0.0.1 (made to count as public here, so the receiver can stand
    in for a public server); a second lookup would answer 127.0.0.2, where nothing listens. The
    request reaching the receiver, with the name in its Host header, proves it connected to the
    first, checked answer and never resolved again."""
    real_public = webhooks._public_ip
    monkeypatch.setattr(webhooks, "_public_ip", lambda ip: ip == "127.0.0.1" or real_public(ip))
    t, _ = live_tournament(teams=2)
    resolver.script[:] = ["127.0.0.1", "127.0.0.2"]
    with receiver(Answer(200)) as r:
        port = r.server.server_address[1]
        endpoint = _announce(t, port, django_capture_on_commit_callbacks)
    (got,) = r.received
    assert got.headers["Host"] == f"{NAME}:{port}"
    assert resolver.asked == 1
    assert deliveries(endpoint)[0].status == "delivered"


def test_a_public_answer_then_loopback_never_reaches_loopback(
    resolver: Resolver, django_capture_on_commit_callbacks: Any
) -> None:
    """Checked: a public address (TEST-NET would not pass the check, so a real public one; the
    attempt there fails or times out). Then the name rebinds to 127.0.0.1, where the receiver
    listens: it must get nothing."""
    t, _ = live_tournament(teams=2)
    resolver.script[:] = ["93.184.216.34", "127.0.0.1"]
    with receiver(Answer(200)) as r:
        endpoint = _announce(t, r.server.server_address[1], django_capture_on_commit_callbacks)
    assert r.received == []
    assert resolver.asked == 1
    (delivery,) = deliveries(endpoint)
    assert delivery.status == "pending" and delivery.last_error.startswith(("timeout", "conn"))
