"""The PhonePe client's exceptions.

Not ApplicationErrors: these describe a conversation with PhonePe, not a user's mistake. The
billing services decide what each means for a payment (usually: keep it pending, reconcile later).
"""

from __future__ import annotations

from typing import Any


class PhonePeError(Exception):
    """PhonePe answered with an error (4xx), or the answer made no sense."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "PHONEPE_ERROR",
        http_status: int | None = None,
        data: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.data = data

    def __str__(self) -> str:
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        return f"{self.code}{status}: {self.message}"


class PhonePeUnavailable(PhonePeError):
    """No usable answer after the bounded retries: connection errors, timeouts, 5xx or 429.

    For a `pay` or `refund` that `may_have_landed` the outcome is unknown: keep the payment
    pending and let reconciliation ask the status API later. When it cannot have (PhonePe was
    not reachable at all), nothing exists at PhonePe.
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        attempts: int = 0,
        may_have_landed: bool = True,
    ) -> None:
        super().__init__(message, code="UNAVAILABLE", http_status=http_status)
        self.attempts = attempts
        self.may_have_landed = may_have_landed


class PhonePeNotFound(PhonePeError):
    """404: PhonePe has no such order / refund (for a status call: it was never created)."""


class PhonePeBadResponse(PhonePeError):
    """A 2xx whose body we cannot trust (not JSON, missing ids, amounts that are not paise)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="BAD_RESPONSE")
