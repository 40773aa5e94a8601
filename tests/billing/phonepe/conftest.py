"""Fixtures of the PhonePe client and sandbox tests (the sandbox: tests/billing/conftest.py)."""

from collections.abc import Iterator

import httpx
import pytest

from billing.phonepe import PhonePeClient
from billing.phonepe.sandbox.remote import SandboxControl
from tests.support.payments import sandbox_credentials_form


@pytest.fixture
def phonepe_client(phonepe_sandbox: SandboxControl) -> Iterator[PhonePeClient]:
    """The project's PhonePe client, configured from the settings (pointed at the sandbox)."""
    with PhonePeClient.from_settings() as phonepe:
        yield phonepe


@pytest.fixture
def sandbox_api(phonepe_sandbox: SandboxControl) -> Iterator[httpx.Client]:
    """A raw HTTP client with a valid O-Bearer token: the sandbox as PhonePe's API."""
    with httpx.Client(base_url=phonepe_sandbox.url, timeout=10) as http:
        token = http.post("/v1/oauth/token", data=sandbox_credentials_form()).json()["access_token"]
        http.headers["Authorization"] = f"O-Bearer {token}"
        yield http
