"""The front page, the live spectator page and the stream overlay: plain Django views. The live
page and the overlay hand a page shell to static/live/live.js, which fills it from the room's
websocket (docs/protocol.md); the front page is server-rendered and needs no script.

The views only decide who may see the page (the same rules as the socket: 404 for unknown and
draft tournaments, 403 for a private one unless host/staff/registered player) and pass the
overlay's options, checked, as data attributes. The data itself comes over the socket only, so
the page and the room can never disagree about the state.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.selectors.room import room_meta_for, user_may_watch_private
from core.selectors.tournaments import tournaments_for_landing

OVERLAY_THEMES = ("dark", "light")
OVERLAY_DEFAULT_ROWS = 16
OVERLAY_MAX_ROWS = 25  # a full battle-royale lobby

# The pages load only their own script and styles and talk only to their own origin. A policy
# that forbids inline script makes an injected <script> inert even if a bug ever rendered data
# as HTML. Team logos may live on object storage, hence https: images.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
)


def landing_page(request: HttpRequest) -> HttpResponse:
    """What this server is, with links to its live tournaments, the API docs, the admin and
    the health probes: the first page a newcomer opens."""
    return _page(request, "pages/landing.html", {"lists": tournaments_for_landing()})


def live_page(request: HttpRequest, tournament_id: int) -> HttpResponse:
    denied = _refusal(request, tournament_id)
    if denied is not None:
        return denied
    return _page(request, "pages/live.html", {"tournament_id": tournament_id})


def overlay_page(request: HttpRequest, tournament_id: int) -> HttpResponse:
    denied = _refusal(request, tournament_id)
    if denied is not None:
        return denied
    theme = request.GET.get("theme", "dark")
    context = {
        "tournament_id": tournament_id,
        "round_id": _positive_int(request.GET.get("round")),
        "group_id": _positive_int(request.GET.get("group")),
        "rows": min(
            _positive_int(request.GET.get("rows")) or OVERLAY_DEFAULT_ROWS, OVERLAY_MAX_ROWS
        ),
        "theme": theme if theme in OVERLAY_THEMES else "dark",
    }
    return _page(request, "pages/overlay.html", context)


def _refusal(request: HttpRequest, tournament_id: int) -> HttpResponse | None:
    meta = room_meta_for(tournament_id)
    if meta is None:
        return _page(request, "pages/error.html", {"message": "No such tournament."}, status=404)
    if meta["visibility"] == "private" and not user_may_watch_private(request.user, meta):
        message = "This tournament is private: only its host and players can watch it."
        return _page(request, "pages/error.html", {"message": message}, status=403)
    return None


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["Content-Security-Policy"] = PAGE_CSP
    # Live data: a cached shell is harmless, but a stale 403/404 after a change is not.
    response["Cache-Control"] = "no-store"
    return response


def _positive_int(value: str | None) -> int | None:
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number < 2**31 else None
