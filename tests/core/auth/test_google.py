"""core/auth/google.py through POST /api/accounts/google-auth/, with Google's endpoints faked:
audience checks, linking and the takeover an unverified address must never allow."""

from typing import Any

import pytest
import responses
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken
from social_django.models import UserSocialAuth

from core.auth.google import TOKENINFO_URL
from core.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.api import assert_error, bearer
from tests.support.emails import sent_to
from tests.support.google import fake_access_token, fake_id_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("google_configured")]
URL = "/api/accounts/google-auth/"


def post(**data: str) -> Any:
    return APIClient().post(URL, data, format="json")


def test_new_verified_google_user_becomes_a_verified_player(
    google: responses.RequestsMock, django_capture_on_commit_callbacks: Any
) -> None:
    fake_access_token(google)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(access_token="ya29.token")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] is True and body["user"]["email_verified"] is True
    user = User.objects.get(email="gamer@example.com")
    assert user.role == "player" and not user.has_usable_password()
    assert UserSocialAuth.objects.get(user=user).uid == "g-1"
    assert bearer(body["access"]).get("/api/accounts/profile/").status_code == 200
    assert any("Welcome" in m.subject for m in sent_to("gamer@example.com"))
    # Signing in again finds the same account by `sub`.
    again = post(access_token="ya29.token").json()
    assert again["created"] is False and again["user"]["id"] == user.pk
    assert User.objects.filter(email__iexact="gamer@example.com").count() == 1


def test_id_token_sign_in_checks_audience(google: responses.RequestsMock) -> None:
    fake_id_token(google)
    response = post(id_token="eyJ.id.token")
    assert response.status_code == 200, response.content
    assert UserSocialAuth.objects.get(uid="g-2").user.email == "idt@example.com"


def test_id_token_for_another_app_is_refused(google: responses.RequestsMock) -> None:
    fake_id_token(google, aud="someone-else.apps.googleusercontent.com")
    assert_error(post(id_token="eyJ.id.token"), 400, "google_auth_failed")
    assert not User.objects.filter(email="idt@example.com").exists()


def test_access_token_for_another_app_is_refused(google: responses.RequestsMock) -> None:
    fake_access_token(google, aud="other-app")
    assert_error(post(access_token="ya29.token"), 400, "google_auth_failed")
    assert not User.objects.exists()


def test_invalid_token_is_refused(google: responses.RequestsMock) -> None:
    google.get(TOKENINFO_URL, status=400, json={"error": "invalid_token"})
    assert_error(post(access_token="ya29.token"), 400, "google_auth_failed")


def test_verified_google_email_links_the_existing_account(google: responses.RequestsMock) -> None:
    existing = UserFactory(email="Gamer@Example.com")
    fake_access_token(google, email="gamer@example.com", verified=True)
    body = post(access_token="ya29.token").json()
    assert body["user"]["id"] == existing.pk and body["created"] is False
    assert UserSocialAuth.objects.get(uid="g-1").user == existing
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)  # a verified account keeps its password


def test_unverified_google_email_never_takes_over_an_existing_account(
    google: responses.RequestsMock,
) -> None:
    victim = UserFactory(email="victim@example.com")
    session = str(RefreshToken.for_user(victim))
    fake_access_token(google, email="victim@example.com", verified=False, sub="attacker")
    body = assert_error(post(access_token="ya29.token"), 409, "conflict")
    assert "verified" in body["message"]
    assert not UserSocialAuth.objects.exists()
    assert User.objects.filter(email__iexact="victim@example.com").count() == 1
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
    assert APIClient().post("/api/accounts/token/refresh/", {"refresh": session}).status_code == 200


def test_unverified_google_email_without_account_signs_up_unverified(
    google: responses.RequestsMock, django_capture_on_commit_callbacks: Any
) -> None:
    fake_id_token(google, verified="false")
    with django_capture_on_commit_callbacks(execute=True):
        body = post(id_token="eyJ.id.token").json()
    assert body["created"] is True and body["user"]["email_verified"] is False
    assert any("Verify" in m.subject for m in sent_to("idt@example.com"))


def test_verified_google_claims_an_unverified_password_account(
    google: responses.RequestsMock,
) -> None:
    squatter = UserFactory(email="owner@example.com", email_verified_at=None)
    session = str(RefreshToken.for_user(squatter))
    fake_access_token(google, email="owner@example.com", verified=True)
    body = post(access_token="ya29.token").json()
    assert body["user"]["id"] == squatter.pk and body["user"]["email_verified"] is True
    squatter.refresh_from_db()
    # Whoever set the password never proved the address: password and sessions are gone.
    assert not squatter.has_usable_password()
    assert APIClient().post("/api/accounts/token/refresh/", {"refresh": session}).status_code == 401


def test_suspended_account_cannot_sign_in_with_google(google: responses.RequestsMock) -> None:
    UserFactory(email="gamer@example.com", is_active=False)
    fake_access_token(google)
    assert_error(post(access_token="ya29.token"), 403, "account_suspended")


def test_request_shape_and_configuration(settings: Any) -> None:
    assert_error(post(), 400, "validation_error")
    assert_error(post(access_token="a", id_token="b"), 400, "validation_error")
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = ""
    assert_error(post(access_token="a"), 503, "unavailable")
