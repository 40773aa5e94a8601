"""Preferences (GET/PATCH /api/accounts/me/notification-preferences/), the unread count, and the
one-click unsubscribe: the /unsubscribe/ page (GET asks, POST or RFC 8058 one-click does it)
and its JSON twin, without signing in, for the token's user and kind only; tampered → 400."""

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from core.models import NotificationPreference
from core.services.notification_preferences import email_allowed, unsubscribe_token
from tests.factories import UserFactory
from tests.support.api import assert_error, client_as
from tests.support.emails import sent_to
from tests.support.notification_flows import email_kinds, host_approved, team_invite

pytestmark = pytest.mark.django_db

PREFS = "/api/accounts/me/notification-preferences/"


def test_preferences_list_every_emailing_kind_with_its_default_and_patch_upserts() -> None:
    user = UserFactory()
    api = client_as(user)
    rows = {r["kind"]: r for r in api.get(PREFS).json()}
    assert rows["result.final"] == {
        "kind": "result.final",
        "label": "Match result final",
        "email": True,
        "email_default": True,
        "grouped": True,
    }
    assert "webhook.disabled" not in rows  # in-app only: nothing to choose
    answer = api.patch(PREFS, {"email": {"result.final": False}}, format="json")
    assert answer.status_code == 200
    assert {r["kind"]: r["email"] for r in answer.json()}["result.final"] is False
    api.patch(PREFS, {"email": {"result.final": True, "team.invite": False}}, format="json")
    assert dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email")) == {
        "result.final": True,
        "team.invite": False,
    }


def test_patching_an_unknown_kind_is_400_and_anonymous_is_401() -> None:
    api = client_as(UserFactory())
    assert_error(api.patch(PREFS, {"email": {"no.such": False}}, format="json"), 400)
    assert_error(api.patch(PREFS, {"email": {"team.invite": "maybe"}}, format="json"), 400)
    # Read as JSON types them: 1 is not true (core/api/strict.py).
    assert_error(api.patch(PREFS, {"email": {"team.invite": 1}}, format="json"), 400)
    assert_error(api.patch(PREFS, {"email": ["team.invite"]}, format="json"), 400)
    assert_error(client_as().get(PREFS), 401)


def test_unread_count_follows_mark_read() -> None:
    flow = host_approved()
    flow.fire()
    api = client_as(flow.recipients[0])
    assert api.get("/api/accounts/notifications/unread-count/").json() == {"unread": 1}
    api.post("/api/accounts/notifications/read-all/")
    assert api.get("/api/accounts/notifications/unread-count/").json() == {"unread": 0}


def _unsubscribe_url(django_capture_on_commit_callbacks: Any) -> tuple[Any, str]:
    flow = team_invite()
    with django_capture_on_commit_callbacks(execute=True):
        flow.fire()
    user = flow.recipients[0]
    (message,) = sent_to(user.email)
    return user, message.extra_headers["List-Unsubscribe"].strip("<>")


def test_the_email_link_turns_that_kind_off_without_signing_in(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user, url = _unsubscribe_url(django_capture_on_commit_callbacks)
    parts = urlsplit(url)  # FRONTEND_URL/unsubscribe/?token=…: the page is this server's
    path = f"{parts.path}?{parts.query}"
    browser = Client()  # no session, no token
    page = browser.get(path)
    assert page.status_code == 200 and b"Team invite" in page.content
    assert email_allowed(user_ids=[user.pk], kind="team.invite") == {user.pk}  # GET asks only
    done = browser.post(path, {"List-Unsubscribe": "One-Click"})  # RFC 8058 one-click
    assert done.status_code == 200 and b"Unsubscribed" in done.content
    assert email_allowed(user_ids=[user.pk], kind="team.invite") == set()
    assert email_allowed(user_ids=[user.pk], kind="host.approved") == {user.pk}  # only its kind
    assert list(NotificationPreference.objects.values_list("user_id", "kind", "email")) == [
        (user.pk, "team.invite", False)
    ]
    # The next invite is in-app only.
    mail.outbox.clear()
    flow = team_invite()
    NotificationPreference.objects.create(user=flow.recipients[0], kind="team.invite", email=False)
    flow.fire()
    assert email_kinds(flow.recipients[0].email) == []


def test_a_tampered_or_garbage_token_is_400_and_changes_nothing() -> None:
    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind="team.invite")
    for bad in (token[:-2] + "xx", "garbage", ""):
        page = Client().post(f"/unsubscribe/?token={bad}")
        assert page.status_code == 400 and b"did not work" in page.content
        assert_error(
            client_as().post("/api/accounts/notifications/unsubscribe/", {"token": bad}), 400
        )
    assert not NotificationPreference.objects.exists()


def test_the_json_twin_unsubscribes_the_tokens_user_only() -> None:
    alice, bob = UserFactory(), UserFactory()
    token = unsubscribe_token(user_id=alice.pk, kind="result.final")
    # Signed in as bob, the token still speaks for alice (and only her).
    answer = client_as(bob).post("/api/accounts/notifications/unsubscribe/", {"token": token})
    assert answer.status_code == 200 and answer.json() == {"kind": "result.final", "email": False}
    assert email_allowed(user_ids=[alice.pk, bob.pk], kind="result.final") == {bob.pk}
