"""core/services/webhooks.py: endpoints belong to hosts, URLs are http(s) and public unless
allowed, events are the documented ones; and a registration change reaches a subscribed
endpoint (through core/services/registrations.py) after commit, generic and Discord alike."""

from typing import Any

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from core.models import WebhookDelivery
from core.services import registrations
from core.services.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_update,
    webhook_url_check,
    webhook_url_resolves_public,
)
from tests.factories import (
    HostFactory,
    TournamentFactory,
    UserFactory,
    captain_of,
    team_with_roster,
)
from tests.support.receiver import Answer, receiver
from tests.support.tournaments import roster_ids
from tests.support.webhooks import discord_violations, endpoint_for

pytestmark = pytest.mark.django_db


def test_only_hosts_have_endpoints_and_only_for_their_tournaments() -> None:
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(actor=UserFactory(), url="https://a.example/x", events=["winner"])
    foreign = TournamentFactory()
    with pytest.raises(ValidationError):
        webhook_endpoint_create(
            actor=HostFactory(),
            url="https://a.example/x",
            events=["winner"],
            tournament_id=foreign.pk,
        )


def test_events_are_stored_in_the_documented_order_once() -> None:
    e = webhook_endpoint_create(
        actor=HostFactory(), url="https://a.example/x", events=["winner", "registration", "winner"]
    )
    assert e.events == ["registration", "winner"]
    with pytest.raises(ValidationError):
        webhook_endpoint_update(actor=e.owner, endpoint_id=e.pk, changes={"events": ["nope"]})
    with pytest.raises(NotFound):
        webhook_endpoint_update(actor=HostFactory(), endpoint_id=e.pk, changes={"enabled": False})


def test_enabling_again_clears_the_failures() -> None:
    e = webhook_endpoint_create(actor=HostFactory(), url="https://a.example/x", events=["winner"])
    e.enabled, e.consecutive_failures, e.disabled_reason = False, 9, "kept failing"
    e.save()
    e = webhook_endpoint_update(actor=e.owner, endpoint_id=e.pk, changes={"enabled": True})
    assert (e.enabled, e.consecutive_failures, e.disabled_reason) == (True, 0, "")


def test_private_addresses_pass_only_when_allowed(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    for url in ("http://127.0.0.1/x", "http://[::ffff:10.0.0.1]/x", "http://0.0.0.0/x"):
        with pytest.raises(ValidationError):
            webhook_url_check(url)
    assert webhook_url_check(" https://93.184.216.34/hook ") == "https://93.184.216.34/hook"
    assert webhook_url_resolves_public("http://127.0.0.1:9/x") is not None
    assert webhook_url_resolves_public("http://93.184.216.34/x") is None  # a literal: no DNS
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    assert webhook_url_check("http://127.0.0.1:8000/x") == "http://127.0.0.1:8000/x"
    assert webhook_url_resolves_public("http://127.0.0.1:9/x") is None


def test_a_host_has_a_bounded_number_of_endpoints(settings: Any) -> None:
    settings.WEBHOOK_MAX_ENDPOINTS = 1
    host = HostFactory()
    webhook_endpoint_create(actor=host, url="https://a.example/x", events=["winner"])
    with pytest.raises(Conflict):
        webhook_endpoint_create(actor=host, url="https://a.example/y", events=["winner"])


def test_registration_changes_are_delivered_after_commit(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    t = TournamentFactory()
    team = team_with_roster()
    with receiver(Answer(204)) as r:
        generic = endpoint_for(t, r.url, events=["registration"])
        discord = endpoint_for(t, r.url, kind="discord", events=["registration"])
        with django_capture_on_commit_callbacks(execute=True):
            registrations.registration_create(
                actor=captain_of(team), tournament=t, team=team, players=roster_ids(team)[:4]
            )
        with django_capture_on_commit_callbacks(execute=True):
            registrations.registration_withdraw(actor=captain_of(team), tournament=t)
    generic_bodies = [g.json() for g in r.received if "type" in g.json()]
    assert [(b["type"], b["data"]["status"]) for b in generic_bodies] == [
        ("registration", "confirmed"),
        ("registration", "withdrawn"),
    ]
    assert generic_bodies[0]["data"]["team"] == {"id": team.pk, "name": team.name, "tag": team.tag}
    discord_bodies = [g.json() for g in r.received if "type" not in g.json()]
    assert len(discord_bodies) == 2 and all(discord_violations(b) == [] for b in discord_bodies)
    assert WebhookDelivery.objects.filter(endpoint__in=[generic, discord]).count() == 4
