"""The public tournament bodies (list rows and detail) as plain dicts from `values()` rows.

A read that misses the public read cache used to pay DRF's ModelSerializer for every row: field
construction, one `to_representation` per field, nested serializers for game and host. These
bodies are the same JSON byte for byte (tests/core/selectors/test_tournament_bodies.py compares
them with the serializers in core/api/tournaments/serializers.py, which stay only to describe the
responses in OpenAPI), built from one `values()` query: no model instances, no field objects.

Datetimes are written as DRF writes them (the current time zone, `+00:00` as `Z`), JSON columns
as their serializers would (only the documented keys, in their order).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.templatetags.static import static
from django.utils import timezone

from core.errors import NotFound
from core.models import Tournament, User
from core.rules.tournaments import status_from_schedule
from core.selectors.prepared import PreparedValues
from core.selectors.tournaments import tournament_visible_to, with_seats

# An image URL made absolute for the viewer's host (the API's images are absolute URLs).
Absolute = Callable[[str], str]

_GAME = ("game_id", "game__slug", "game__name", "game__squad_size", "game__max_substitutes")
LIST_COLUMNS = (
    "id",
    "kind",
    *_GAME,
    "game__lobby_size",
    "game__banner",
    "host_id",
    "host__username",
    "title",
    "banner",
    "banner_variants",
    "status",
    "plan",
    "visibility",
    "registration_opens_at",
    "registration_closes_at",
    "starts_at",
    "max_teams",
    "seats_taken",
    "entry_fee",
    "prize_pool",
)
DETAIL_COLUMNS = (
    *LIST_COLUMNS,
    "description",
    "rules",
    "prize_split",
    "points_table",
    "published_at",
    "checkin_opens_at",
    "checkin_closes_at",
    "dispute_window_minutes",
    "auto_complete_rounds",
    "placings",
    "cancelled_reason",
    "created_at",
    "updated_at",
)


def iso(value: datetime | None) -> str | None:
    """A datetime as DRF's DateTimeField renders it (ISO 8601, the current time zone, Z)."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _banner(row: dict[str, Any]) -> str:
    """The uploaded banner, or the game's default image shipped with the project."""
    if row["banner"]:
        return default_storage.url(row["banner"])
    return static(row["game__banner"]) if row["game__banner"] else ""


def _variants(entries: list[dict[str, Any]] | None, absolute: Absolute) -> list[dict[str, Any]]:
    return [
        {
            "url": absolute(default_storage.url(entry["name"])),
            "width": entry["width"],
            "height": entry["height"],
            "format": entry["format"],
        }
        for entry in entries or []
    ]


def list_body(row: dict[str, Any], absolute: Absolute, now: datetime) -> dict[str, Any]:
    """One row of the tournament list (the TournamentListSerializer shape)."""
    status = status_from_schedule(
        status=row["status"],
        opens_at=row["registration_opens_at"],
        closes_at=row["registration_closes_at"],
        now=now,
    )
    return {
        "id": row["id"],
        "kind": row["kind"],
        "game": {
            "id": row["game_id"],
            "slug": row["game__slug"],
            "name": row["game__name"],
            "squad_size": row["game__squad_size"],
            "max_substitutes": row["game__max_substitutes"],
            "lobby_size": row["game__lobby_size"],
        },
        "host": {"id": row["host_id"], "username": row["host__username"]},
        "title": row["title"],
        "banner": _banner(row),
        "banner_variants": _variants(row["banner_variants"], absolute),
        "status": status,
        "plan": row["plan"],
        "visibility": row["visibility"],
        "registration_opens_at": iso(row["registration_opens_at"]),
        "registration_closes_at": iso(row["registration_closes_at"]),
        "starts_at": iso(row["starts_at"]),
        "max_teams": row["max_teams"],
        "seats_taken": row["seats_taken"],
        "entry_fee": row["entry_fee"],
        "prize_pool": row["prize_pool"],
    }


def detail_body(row: dict[str, Any], absolute: Absolute, now: datetime) -> dict[str, Any]:
    """The tournament detail (the TournamentSerializer shape)."""
    table = row["points_table"]
    return {
        **list_body(row, absolute, now),
        "description": row["description"],
        "rules": row["rules"],
        "prize_split": [
            {"place": int(e["place"]), "amount": int(e["amount"])} for e in row["prize_split"]
        ],
        "points_table": {
            "preset": table["preset"],
            "placement": [int(p) for p in table["placement"]],
            "per_kill": int(table["per_kill"]),
        },
        "published_at": iso(row["published_at"]),
        "checkin_opens_at": iso(row["checkin_opens_at"]),
        "checkin_closes_at": iso(row["checkin_closes_at"]),
        "dispute_window_minutes": row["dispute_window_minutes"],
        "auto_complete_rounds": row["auto_complete_rounds"],
        "placings": [
            {
                "place": int(p["place"]),
                "team": {"id": int(p["team"]["id"]), "name": str(p["team"]["name"])},
                "amount": int(p["amount"]),
            }
            for p in row["placings"]
        ],
        "cancelled_reason": row["cancelled_reason"],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


class ListRows:
    """`tournament_list`'s queryset as the paginator's source: a page is the list bodies' rows
    (one query per page), the count is the same filters without the joins and the seats
    subquery (neither changes how many rows there are; building and running them did cost a
    read that misses the cache a tenth of its time)."""

    ordered = True  # tournament_list always orders

    def __init__(self, qs: QuerySet[Tournament]) -> None:
        self.rows = qs.values(*LIST_COLUMNS)
        self.counted = qs.values("pk").order_by()

    def count(self) -> int:  # what Django's Paginator asks for (once: it caches the count)
        return self.counted.count()

    def __getitem__(self, key: slice) -> QuerySet[Tournament]:
        return self.rows[key]


def tournament_list_rows(qs: QuerySet[Tournament]) -> ListRows:
    """`tournament_list`'s queryset as the list bodies' rows, counted cheaply."""
    return ListRows(qs)


def tournament_list_bodies(rows: list[dict[str, Any]], absolute: Absolute) -> list[dict[str, Any]]:
    now = timezone.now()
    return [list_body(row, absolute, now) for row in rows]


def _detail(pk: int, now: datetime, kind: str | None = None) -> QuerySet[Tournament]:
    qs = with_seats(Tournament.objects.filter(pk=pk), now=now)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.values(*DETAIL_COLUMNS, "hidden_at")[:1]


# The detail's one query, compiled once (core/selectors/prepared.py): building it cost more than
# running it.
_DETAIL = PreparedValues(_detail, pk="int", now="datetime")
_DETAIL_OF_KIND = PreparedValues(_detail, pk="int", now="datetime", kind="str")


def tournament_detail_body(
    *, viewer: User | None, pk: int, absolute: Absolute, kind: str | None = None
) -> tuple[dict[str, Any], bool]:
    """The detail body and whether every viewer sees it alike (a draft is its host's alone).
    One query; the same visibility as `tournament_get`."""
    now = timezone.now()
    query = _DETAIL_OF_KIND if kind else _DETAIL
    found = query.rows(pk=pk, now=now, **({"kind": kind} if kind else {}))
    if not found:
        raise NotFound("No such tournament.")
    row = found[0]
    hidden = row.pop("hidden_at") is not None
    status, host_id = row["status"], row["host_id"]
    if not tournament_visible_to(viewer, status=status, hidden=hidden, host_id=host_id):
        raise NotFound("No such tournament.")
    shared = status != Tournament.Status.DRAFT and not hidden
    return detail_body(row, absolute, now), shared
