"""core/api/accounts/ sign-in and tokens: JWT checks, refresh rotation and revocation
(docs/quality.md, Access)."""

import base64
import json
import threading
from datetime import timedelta
from typing import Any

import jwt
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from core.models import User
from tests.factories import PASSWORD, UserFactory
from tests.support.api import assert_error, bearer, jwt_client_for

pytestmark = pytest.mark.django_db
PROFILE = "/api/accounts/profile/"


def login(**data: str) -> Any:
    return APIClient().post("/api/accounts/login/", data, format="json")


def refresh(token: str) -> Any:
    return APIClient().post("/api/accounts/token/refresh/", {"refresh": token}, format="json")


@pytest.mark.parametrize("field", ["email", "username", "login"])
def test_login_by_email_or_username(field: str) -> None:
    user = UserFactory(username="Ranger", email="Ranger@Example.com")
    identifier = user.email.upper() if field == "email" else "ranger"
    if field == "login":
        identifier = "ranger@example.com"
    response = login(**{field: identifier, "password": PASSWORD})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["user"]["id"] == user.pk and body["user"]["username"] == "Ranger"
    assert bearer(body["access"]).get(PROFILE).status_code == 200
    user.refresh_from_db()
    assert user.last_login is not None


def test_wrong_password_and_unknown_account_get_the_same_401() -> None:
    user = UserFactory()
    wrong = assert_error(login(email=user.email, password="nope-nope"), 401, "invalid_credentials")
    unknown = assert_error(login(email="ghost@example.com", password="x"), 401)
    assert wrong == unknown


def test_missing_identifier_is_400() -> None:
    assert_error(login(password="x"), 400, "validation_error")


def test_suspended_account_cannot_sign_in_or_use_old_tokens() -> None:
    user = UserFactory()
    pair = login(username=user.username, password=PASSWORD).json()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert_error(login(username=user.username, password=PASSWORD), 403, "account_suspended")
    assert_error(bearer(pair["access"]).get(PROFILE), 401)
    assert_error(refresh(pair["refresh"]), 401)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_alg_none_token_is_401() -> None:
    user = UserFactory()
    claims = dict(AccessToken.for_user(user).payload)
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    assert_error(bearer(unsigned).get(PROFILE), 401, "not_authenticated")


def test_bad_signature_is_401() -> None:
    user = UserFactory()
    claims = dict(AccessToken.for_user(user).payload)
    forged = jwt.encode(claims, "not-the-signing-key-" * 3, algorithm="HS256")
    assert_error(bearer(forged).get(PROFILE), 401, "not_authenticated")
    # The same claims signed with the real key pass: the refusal above is about the key.
    real = jwt.encode(claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256")
    assert bearer(real).get(PROFILE).status_code == 200


def test_expired_access_is_401() -> None:
    token = AccessToken.for_user(UserFactory())
    token.set_exp(lifetime=timedelta(seconds=-5))
    assert_error(bearer(str(token)).get(PROFILE), 401, "not_authenticated")


def test_refresh_token_used_as_access_is_401() -> None:
    pair = login(username=UserFactory().username, password=PASSWORD).json()
    assert_error(bearer(pair["refresh"]).get(PROFILE), 401, "not_authenticated")


def test_refresh_rotates_and_the_old_refresh_is_dead() -> None:
    pair = login(username=UserFactory().username, password=PASSWORD).json()
    rotated = refresh(pair["refresh"])
    assert rotated.status_code == 200
    new = rotated.json()
    assert new["refresh"] != pair["refresh"] and new["access"]
    assert bearer(new["access"]).get(PROFILE).status_code == 200
    assert_error(refresh(pair["refresh"]), 401, "token_not_valid")
    assert refresh(new["refresh"]).status_code == 200


def test_refresh_ignores_a_stale_authorization_header() -> None:
    pair = login(username=UserFactory().username, password=PASSWORD).json()
    stale = bearer("garbage.token.here")
    response = stale.post("/api/accounts/token/refresh/", {"refresh": pair["refresh"]})
    assert response.status_code == 200


def test_logout_blacklists_the_refresh_token() -> None:
    user = UserFactory()
    pair = login(username=user.username, password=PASSWORD).json()
    response = bearer(pair["access"]).post(
        "/api/accounts/logout/", {"refresh": pair["refresh"]}, format="json"
    )
    assert response.status_code == 200
    assert_error(refresh(pair["refresh"]), 401)


def test_logout_refuses_someone_elses_refresh_and_needs_auth() -> None:
    mine, theirs = UserFactory(), UserFactory()
    their_refresh = str(RefreshToken.for_user(theirs))
    assert_error(
        jwt_client_for(mine).post("/api/accounts/logout/", {"refresh": their_refresh}), 400
    )
    assert refresh(their_refresh).status_code == 200  # untouched
    assert_error(APIClient().post("/api/accounts/logout/", {"refresh": their_refresh}), 401)


def test_change_password_signs_out_other_sessions_and_returns_a_new_pair() -> None:
    user = UserFactory()
    other_session = login(username=user.username, password=PASSWORD).json()
    this_session = login(username=user.username, password=PASSWORD).json()
    response = bearer(this_session["access"]).post(
        "/api/accounts/change-password/",
        {"current_password": PASSWORD, "new_password": "An0ther-long-secret"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert_error(refresh(other_session["refresh"]), 401)
    assert_error(refresh(this_session["refresh"]), 401)
    assert refresh(response.json()["refresh"]).status_code == 200
    assert login(username=user.username, password="An0ther-long-secret").status_code == 200
    assert_error(login(username=user.username, password=PASSWORD), 401)


def test_change_password_refusals() -> None:
    user = UserFactory()
    client = jwt_client_for(user)
    url = "/api/accounts/change-password/"
    body = assert_error(
        client.post(url, {"current_password": "wrong", "new_password": "An0ther-long-secret"}),
        400,
    )
    assert "current_password" in body["details"]
    body = assert_error(
        client.post(url, {"current_password": PASSWORD, "new_password": "123"}), 400
    )
    assert "new_password" in body["details"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_reuse_of_one_refresh_token_rotates_once() -> None:
    user = UserFactory()
    token = str(RefreshToken.for_user(user))
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def attempt() -> None:
        try:
            barrier.wait()
            statuses.append(refresh(token).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [401] * 7
