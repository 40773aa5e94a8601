"""billing/phonepe/http.py: whether a failed call may have reached PhonePe. A pay that cannot
have landed leaves no order anywhere (billing then keeps no row of it); one that may have must be
reconciled."""

from __future__ import annotations

from typing import Any

import pytest

from billing.phonepe import PhonePeClient, PhonePeUnavailable
from billing.phonepe.sandbox.remote import SandboxControl


def _pay(phonepe: PhonePeClient) -> None:
    phonepe.pay(
        merchant_order_id="SV-H-1",
        amount=29900,
        redirect_url="http://testserver/payments/return/SV-H-1/",
    )


def test_nothing_listening_means_the_request_never_landed(settings: Any) -> None:
    settings.PHONEPE_ENV = "local"
    settings.PHONEPE_LOCAL_URL = "http://127.0.0.1:9"  # connection refused
    settings.PHONEPE_RETRY_BACKOFF_SECONDS = 0.01
    with PhonePeClient.from_settings() as phonepe:
        with pytest.raises(PhonePeUnavailable) as token:
            phonepe.get_token()
        with pytest.raises(PhonePeUnavailable) as pay:
            _pay(phonepe)  # fails on the token it needs: the pay itself was never sent
    assert token.value.may_have_landed is False
    assert pay.value.may_have_landed is False


@pytest.mark.django_db
def test_a_5xx_or_a_timeout_may_have_landed(phonepe_sandbox: SandboxControl) -> None:
    with PhonePeClient.from_settings() as phonepe:
        phonepe.get_token()
        phonepe_sandbox.fail_next(10, path="/pay")
        with pytest.raises(PhonePeUnavailable) as failed:
            _pay(phonepe)
    assert failed.value.may_have_landed is True and failed.value.http_status == 500
    with PhonePeClient.from_settings(timeout=0.2, max_attempts=1) as phonepe:
        phonepe.get_token()
        phonepe_sandbox.hang_next(1, seconds=1.0, path="/pay")
        with pytest.raises(PhonePeUnavailable) as hung:
            _pay(phonepe)
    assert hung.value.may_have_landed is True  # read timeout: the request left
