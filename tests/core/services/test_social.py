"""core/services/social.py called directly: `google_sign_in` answers (user, created), refuses a
token Google does not accept or that was issued to another app, a suspended account, and a
server without Google configured."""

from typing import Any

import pytest
import responses
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest

from core.auth.google import TOKENINFO_URL
from core.errors import Unavailable
from core.models import User
from core.services.social import GoogleAuthFailed, google_sign_in
from core.services.users import AccountSuspended
from tests.factories import UserFactory
from tests.support.google import fake_access_token, fake_id_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("google_configured")]


def a_request(rf: Any) -> HttpRequest:
    request = rf.post("/api/accounts/google-auth/")
    request.session = SessionStore()
    return request


def test_the_first_sign_in_creates_the_player_and_the_next_finds_them(
    rf: Any, google: responses.RequestsMock
) -> None:
    fake_access_token(google)
    user, created = google_sign_in(
        request=a_request(rf), token="ya29.token", token_type="access_token"
    )
    assert created is True and user.email == "gamer@example.com" and user.is_email_verified
    again, created = google_sign_in(
        request=a_request(rf), token="ya29.token", token_type="access_token"
    )
    assert (again, created) == (user, False)
    again.refresh_from_db()
    assert again.last_login is not None


def test_an_id_token_signs_in_too(rf: Any, google: responses.RequestsMock) -> None:
    fake_id_token(google)
    user, created = google_sign_in(
        request=a_request(rf), token="eyJ.id.token", token_type="id_token"
    )
    assert created and user.email == "idt@example.com"


def test_refused_tokens_are_google_auth_failed(rf: Any, google: responses.RequestsMock) -> None:
    fake_id_token(google, aud="someone-else.apps.googleusercontent.com")
    with pytest.raises(GoogleAuthFailed) as other_app:
        google_sign_in(request=a_request(rf), token="eyJ.id.token", token_type="id_token")
    assert (other_app.value.code, other_app.value.http_status) == ("google_auth_failed", 400)
    assert other_app.value.details["reason"]  # social-auth's reason, cut to 200 characters
    assert not User.objects.filter(email="idt@example.com").exists()
    google.get(TOKENINFO_URL, status=400, json={"error": "invalid_token"})
    with pytest.raises(GoogleAuthFailed):
        google_sign_in(request=a_request(rf), token="ya29.token", token_type="access_token")


def test_a_suspended_account_is_refused(rf: Any, google: responses.RequestsMock) -> None:
    UserFactory(email="gamer@example.com", is_active=False)
    fake_access_token(google)
    with pytest.raises(AccountSuspended):
        google_sign_in(request=a_request(rf), token="ya29.token", token_type="access_token")


def test_without_a_client_id_sign_in_is_unavailable(rf: Any, settings: Any) -> None:
    settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY = ""
    with pytest.raises(Unavailable, match="not configured"):
        google_sign_in(request=a_request(rf), token="ya29.token", token_type="access_token")
