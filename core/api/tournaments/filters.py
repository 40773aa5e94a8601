"""The tournament and scrim lists' query parameters: parsed and documented the same way."""

from collections.abc import Mapping

from core.api.params import (
    choice_parameter,
    query_choice,
    query_ref,
    query_text,
    ref_parameter,
    text_parameter,
)
from core.models import Tournament
from core.selectors.tournaments import ORDERINGS

ORDERING_CHOICES = sorted(ORDERINGS)
LIST_PARAMS = [
    ref_parameter("game", "game slug or id"),
    choice_parameter("status", Tournament.Status.values),
    choice_parameter("kind", Tournament.Kind.values, "(only on /api/tournaments/)"),
    ref_parameter("host", "host username or id"),
    text_parameter("search", "title, game or host name contains"),
    choice_parameter(
        "ordering",
        ORDERING_CHOICES,
        "starts_at (default), created_at, prize_pool, entry_fee; '-' for descending. "
        "Premium then featured plans always come first.",
        default="starts_at",
    ),
]


def list_filters(params: Mapping[str, str], kind: str | None) -> dict[str, str | None]:
    """The list's query parameters, each checked (400 for a value outside its type or choices);
    on /api/scrims/ the route fixes the kind."""
    return {
        "game": query_ref(params, "game"),
        "status": query_choice(params, "status", Tournament.Status.values),
        "kind": kind or query_choice(params, "kind", Tournament.Kind.values),
        "host": query_ref(params, "host"),
        "search": query_text(params, "search"),
        "ordering": query_choice(params, "ordering", ORDERING_CHOICES, default="starts_at"),
    }
