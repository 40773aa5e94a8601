"""core/api/accounts/: registering, the verification email and its link, and resending it."""

from typing import Any
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import HostProfile, User
from core.services.tokens import email_verification_token
from tests.factories import UserFactory
from tests.support.api import assert_error, jwt_client_for
from tests.support.emails import link_in, query_of, sent_to

pytestmark = pytest.mark.django_db
URL = "/api/accounts/register/"
GOOD = {"username": "newbie", "email": "newbie@example.com", "password": "Tr1cky-passphrase"}


def register(client: APIClient, **overrides: Any) -> Any:
    return client.post(URL, {**GOOD, **overrides}, format="json")


def test_player_registers_gets_tokens_and_one_verification_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = register(jwt_client_for())
    assert response.status_code == 201, response.content
    body = response.json()
    assert {"access", "refresh", "user"} <= set(body)
    assert body["user"]["role"] == "player" and body["user"]["email_verified"] is False
    user = User.objects.get(username="newbie")
    assert user.check_password(GOOD["password"]) and user.email_verified_at is None
    assert not HostProfile.objects.filter(user=user).exists()
    [message] = sent_to("newbie@example.com")
    assert "Verify" in message.subject
    assert "/verify-email/?token=" in link_in(message)


def test_host_registration_creates_a_pending_host_profile() -> None:
    response = register(jwt_client_for(), role="host")
    assert response.status_code == 201
    profile = HostProfile.objects.get(user__username="newbie")
    assert profile.status == HostProfile.Status.PENDING
    assert response.json()["user"]["host_status"] == "pending"


@pytest.mark.parametrize("role", ["staff", "admin", "superuser", ""])
def test_role_accepts_only_player_or_host(role: str) -> None:
    body = assert_error(register(jwt_client_for(), role=role), 400, "validation_error")
    assert "role" in body["details"]
    assert not User.objects.filter(username="newbie").exists()


def test_mass_assignment_on_register_is_ignored() -> None:
    response = register(
        jwt_client_for(),
        is_staff=True,
        is_superuser=True,
        email_verified_at=timezone.now().isoformat(),
        is_active=False,
    )
    assert response.status_code == 201
    user = User.objects.get(username="newbie")
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert user.email_verified_at is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "TAKEN@example.com"}, "email"),
        ({"username": "Taken"}, "username"),
        ({"username": "has@sign"}, "username"),
        ({"username": "a b"}, "username"),
        ({"password": "password"}, "password"),
        ({"password": "newbie1234"}, "password"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_register_refusals(overrides: dict, field: str) -> None:
    UserFactory(username="taken", email="taken@example.com")
    body = assert_error(register(jwt_client_for(), **overrides), 400, "validation_error")
    assert field in body["details"]
    assert User.objects.count() == 1


def test_the_emailed_link_verifies_in_a_browser_and_sends_welcome(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(jwt_client_for())
    link = link_in(sent_to("newbie@example.com")[0])
    with django_capture_on_commit_callbacks(execute=True):
        page = Client().get(urlparse(link).path, query_of(link))
    assert page.status_code == 200
    assert b"Email verified" in page.content
    user = User.objects.get(username="newbie")
    assert user.email_verified_at is not None
    assert any("Welcome" in m.subject for m in sent_to(user.email))
    # Opening it again is harmless and sends no second welcome.
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().get(urlparse(link).path, query_of(link)).status_code == 200
    assert sum("Welcome" in m.subject for m in sent_to(user.email)) == 1


def test_verify_email_api_with_token() -> None:
    user = UserFactory(email_verified_at=None)
    token = email_verification_token(user)
    response = jwt_client_for().post("/api/accounts/verify-email/", {"token": token}, format="json")
    assert response.status_code == 200
    assert response.json()["email_verified"] is True
    user.refresh_from_db()
    assert user.is_email_verified


def test_verify_email_refuses_forged_expired_and_stale_tokens(settings: Any) -> None:
    user = UserFactory(email_verified_at=None)
    client = jwt_client_for()
    url = "/api/accounts/verify-email/"
    good = email_verification_token(user)
    assert_error(client.post(url, {"token": good[:-2] + "xx"}, format="json"), 400)
    # Expired: read with a max age the token is already past.
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 10):
        settings.EMAIL_VERIFICATION_MAX_AGE = 5
        body = assert_error(client.post(url, {"token": good}, format="json"), 400)
    assert body["details"] == {"token": ["expired"]}
    # Bound to the address: after an email change the old link no longer verifies.
    settings.EMAIL_VERIFICATION_MAX_AGE = 3600
    user.email = "changed@example.com"
    user.save()
    body = assert_error(client.post(url, {"token": good}, format="json"), 400)
    assert body["details"] == {"token": ["email_changed"]}
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_a_token_signed_with_another_salt_is_refused() -> None:
    from django.core import signing

    user = UserFactory(email_verified_at=None)
    forged = signing.dumps({"uid": user.pk, "email": user.email})  # no salt
    assert_error(
        jwt_client_for().post("/api/accounts/verify-email/", {"token": forged}, format="json"), 400
    )


def test_resend_for_signed_in_user_and_by_email(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email_verified_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = jwt_client_for(user).post(
            "/api/accounts/verify-email/resend/", {}, format="json"
        )
    assert response.status_code == 200
    assert len(sent_to(user.email)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        anon = jwt_client_for().post(
            "/api/accounts/verify-email/resend/", {"email": user.email}, format="json"
        )
        unknown = jwt_client_for().post(
            "/api/accounts/verify-email/resend/", {"email": "nobody@example.com"}, format="json"
        )
    assert anon.json() == unknown.json() and unknown.status_code == 200
    assert len(sent_to(user.email)) == 2
    assert sent_to("nobody@example.com") == []
