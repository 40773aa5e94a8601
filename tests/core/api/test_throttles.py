"""core/api/throttles.py: rate limits on login, register and password reset: 429 in the error
shape, atomic counts."""

import threading

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from core.api.throttles import hit, parse_rate
from tests.factories import PASSWORD, UserFactory
from tests.support.api import assert_error

pytestmark = pytest.mark.django_db


def test_parse_rate() -> None:
    assert parse_rate("10/min") == (10, 60)
    assert parse_rate("5/hour") == (5, 3600)
    assert parse_rate("2/s") == (2, 1)


def test_login_is_limited_per_ip_with_retry_after(low_rates: None) -> None:
    user = UserFactory()
    client = APIClient()
    for i in range(3):
        response = client.post("/api/accounts/login/", {"username": f"x{i}", "password": "bad"})
        assert response.status_code == 401
    body = assert_error(
        client.post("/api/accounts/login/", {"username": user.username, "password": PASSWORD}),
        429,
        "rate_limited",
    )
    assert 1 <= body["details"]["retry_after"] <= 86400
    # Another address is counted separately.
    other = APIClient(REMOTE_ADDR="10.9.9.9")
    ok = other.post("/api/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert ok.status_code == 200


def test_login_is_limited_per_account_across_addresses(low_rates: None) -> None:
    user = UserFactory()
    for i in range(3):
        APIClient(REMOTE_ADDR=f"10.0.0.{i}").post(
            "/api/accounts/login/", {"username": user.username, "password": "bad"}
        )
    fresh_ip = APIClient(REMOTE_ADDR="10.0.1.1")
    assert_error(
        fresh_ip.post("/api/accounts/login/", {"username": user.username, "password": PASSWORD}),
        429,
        "rate_limited",
    )


def test_forwarded_for_header_does_not_reset_the_counter(low_rates: None) -> None:
    client = APIClient()
    for i in range(3):
        client.post(
            "/api/accounts/login/",
            {"username": f"u{i}", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    response = client.post(
        "/api/accounts/login/", {"username": "u9", "password": "x"}, HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert_error(response, 429, "rate_limited")


def test_register_is_limited(low_rates: None) -> None:
    client = APIClient()
    for i in range(2):
        data = {"username": f"new{i}", "email": f"new{i}@example.com", "password": "Tr1cky-pass!"}
        assert client.post("/api/accounts/register/", data).status_code == 201
    data = {"username": "new9", "email": "new9@example.com", "password": "Tr1cky-pass!"}
    assert_error(client.post("/api/accounts/register/", data), 429, "rate_limited")


def test_password_reset_is_limited(low_rates: None) -> None:
    client = APIClient()
    for _ in range(2):
        assert (
            client.post("/api/accounts/password-reset/", {"email": "a@example.com"}).status_code
            == 200
        )
    assert_error(
        client.post("/api/accounts/password-reset/", {"email": "b@example.com"}),
        429,
        "rate_limited",
    )


def test_hit_counts_exactly_within_a_window() -> None:
    results = [hit("unit", limit=3, window=86400)[0] for _ in range(5)]
    assert results == [True, True, True, False, False]


@pytest.mark.redis
def test_concurrent_attempts_never_exceed_the_limit_on_redis() -> None:
    from django.conf import settings

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    cache.clear()
    allowed: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def worker() -> None:
        barrier.wait()
        for _ in range(10):
            ok, _ = hit("concurrency-proof", limit=25, window=86400)
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 160
    assert sum(allowed) == 25
