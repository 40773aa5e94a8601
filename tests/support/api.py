"""Helpers for the accounts tests: clients, the error shape, and links read from sent emails."""

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.core import mail
from rest_framework.test import APIClient

from core.models import User
from core.services.tokens import token_pair_for


def client_for(user: User | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_pair_for(user)['access']}")
    return client


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_error(response, status: int, code: str | None = None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["code"] == code, body
    return body


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def link_in(message: mail.EmailMultiAlternatives) -> str:
    """The first http(s) link in the plain-text body; it must also be in the HTML part."""
    match = re.search(r"https?://\S+", message.body)
    assert match, message.body
    link = match.group(0)
    html = message.alternatives[0][0]
    assert link.replace("&", "&amp;") in html or link in html
    return link


def query_of(link: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
