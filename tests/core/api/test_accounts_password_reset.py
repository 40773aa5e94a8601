"""core/api/accounts/ password reset: no enumeration, a working emailed link, single use,
sessions revoked."""

from typing import Any
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from core.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.api import assert_error
from tests.support.emails import link_in, query_of, sent_to

pytestmark = pytest.mark.django_db
NEW = "Fresh-passw0rd-42"


def request_reset(email: str) -> Any:
    return APIClient().post("/api/accounts/password-reset/", {"email": email}, format="json")


def confirm(**data: str) -> Any:
    return APIClient().post("/api/accounts/password-reset-confirm/", data, format="json")


def test_known_and_unknown_email_get_the_identical_200(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        known = request_reset(user.email)
        unknown = request_reset("nobody-here@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert len(sent_to(user.email)) == 1
    assert sent_to("nobody-here@example.com") == []


def _reset_link(user: User, capture: Any) -> str:
    with capture(execute=True):
        request_reset(user.email.upper())
    [message] = sent_to(user.email)
    assert "Reset" in message.subject
    return link_in(message)


def test_confirm_with_the_emailed_uid_and_token_revokes_every_refresh_token(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory(email_verified_at=None)
    sessions = [str(RefreshToken.for_user(user)) for _ in range(3)]
    params = query_of(_reset_link(user, django_capture_on_commit_callbacks))
    response = confirm(uid=params["uid"], token=params["token"], new_password=NEW)
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert user.email_verified_at is not None  # the link proved the address
    for token in sessions:
        assert_error(APIClient().post("/api/accounts/token/refresh/", {"refresh": token}), 401)
    # Single use: the token hashed the old password.
    assert_error(confirm(uid=params["uid"], token=params["token"], new_password="X" + NEW), 400)


def test_confirm_refusals(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    params = query_of(_reset_link(user, django_capture_on_commit_callbacks))
    assert_error(confirm(uid=params["uid"], token="bad-token", new_password=NEW), 400)
    assert_error(confirm(uid="!!", token=params["token"], new_password=NEW), 400)
    other = UserFactory()
    other_uid = urlsafe_base64_encode(force_bytes(other.pk))
    assert_error(confirm(uid=other_uid, token=params["token"], new_password=NEW), 400)
    body = assert_error(confirm(uid=params["uid"], token=params["token"], new_password="1"), 400)
    assert "new_password" in body["details"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_reset_link_opens_a_form_that_sets_the_password(
    django_capture_on_commit_callbacks: Any,
) -> None:
    user = UserFactory()
    link = _reset_link(user, django_capture_on_commit_callbacks)
    browser = Client(enforce_csrf_checks=True)
    page_url = f"{urlparse(link).path}?{urlparse(link).query}"
    form = browser.get(page_url)
    assert form.status_code == 200 and b"Choose a new password" in form.content
    csrf = form.cookies["csrftoken"].value
    done = browser.post(page_url, {"new_password": NEW, "repeat": NEW, "csrfmiddlewaretoken": csrf})
    assert done.status_code == 200 and b"Password changed" in done.content
    user.refresh_from_db()
    assert user.check_password(NEW)
    again = browser.get(page_url)
    assert again.status_code == 400 and b"invalid or was already used" in again.content


def test_suspended_account_gets_no_reset_mail(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert request_reset(user.email).status_code == 200
    assert sent_to(user.email) == []
