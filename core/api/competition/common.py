"""What the competition views share: the Idempotency-Key header and the host writes' errors."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from core.api.schema import error
from core.errors import ValidationError

# A retried write with the same key (and the same user) answers its first outcome.
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 64},
    OpenApiParameter.HEADER,
    description="1..64 characters: the same key again answers the first outcome",
)
# Every host write goes through the tournament's guard: its host or staff, while it is open.
HOST_ONLY = error(403, "`forbidden`: only the tournament's host (or staff)")
# Reads of a private tournament's competition (as its live room): core/selectors/tournaments.py.
PRIVATE = error(403, "`forbidden`: a private tournament, for its host, staff and players")
CLOSED = "`conflict`: the tournament is completed or cancelled"
RETRIED = "`conflict`: the Idempotency-Key was used for another request"


def idempotency_key(request: Request) -> str | None:
    """The header's key; absent is None, sent empty is refused (the service checks the length)."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not key.strip():
        message = "Idempotency-Key is 1..64 characters."
        raise ValidationError(message, details={"Idempotency-Key": [message]})
    return key
