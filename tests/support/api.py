"""REST clients and the error shape every REST error has (docs/api.md, "Errors").

Two ways to be signed in, on purpose:

- `client_as(user)`: DRF's force_authenticate. The view sees the user and no token is checked;
  for tests about what a view does for a user, not about how the user got there.
- `jwt_client_for(user)`: a real access token in the Authorization header, so the whole
  authentication stack runs (token parsing, the active-account check); for the accounts tests.
"""

from typing import Any

from rest_framework.test import APIClient

from core.models import User
from core.services.tokens import token_pair_for


def client_as(user: User | None = None) -> APIClient:
    """An API client force-authenticated as `user` (anonymous without one)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def jwt_client_for(user: User | None = None) -> APIClient:
    """An API client sending a freshly issued access token of `user` (anonymous without one)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['access']}")
    return client


def bearer(access: str) -> APIClient:
    """An API client sending this access token as it is (valid or not)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an error of this status (and code) in the error shape; returns its body."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body
