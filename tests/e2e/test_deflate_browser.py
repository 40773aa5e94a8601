"""Chromium against the production server (uvicorn on the lean protocol): the browser offers
permessage-deflate, the server agrees (a CDP session sees the handshake's answer), and the live
page and the overlay still follow a result from compressed frames."""

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import server_for
from tests.e2e.test_live_page import WAIT_MS, expected_rows, placements, wait_for_rows

pytestmark = pytest.mark.e2e


def _negotiated(page: Any) -> list[str]:
    """Every Sec-WebSocket-Extensions answer the page's sockets get, as Chromium saw it."""
    agreed: list[str] = []
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")

    def on_response(event: dict[str, Any]) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        agreed.append(headers.get("sec-websocket-extensions", ""))

    cdp.on("Network.webSocketHandshakeResponseReceived", on_response)
    return agreed


def _open_and_submit(page: Any, url: str, host_api: Any, match: int, placed: Any, on: Any) -> None:
    """Open a page of the room, wait until its socket is live, then put a result."""
    page.goto(url)
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    host_api.put_result(match, placed, on=on)


def test_live_page_and_overlay_update_over_deflate(
    page: Any, e2e_env: dict[str, str], seeded: dict[str, Any], host_api: Any, screenshots: Path
) -> None:
    server = server_for(e2e_env, "uvicorn")
    server.uvicorn = True
    server.start()
    try:
        agreed = _negotiated(page)
        # The overlay's tournament for both pages: the live tournament's tests count what its
        # page shows (a team named like markup appears once), and its results are theirs. The
        # overlay's step corrects the same match.
        room = seeded["overlay"]
        teams, match = room["teams"], room["matches"][0]
        _open_and_submit(
            page,
            f"{server.url}/live/{room['tournament']}/",
            host_api,
            match,
            placements(teams, [2, 1, 0, 3, 4, 5], [20, 3, 5, 0, 2, 1]),
            on=server,
        )
        wait_for_rows(page, expected_rows(host_api.standings(room["tournament"], room["group"])))
        page.screenshot(path=screenshots / "live-deflate.png", full_page=True)
        assert agreed and all(a.startswith("permessage-deflate") for a in agreed), agreed
        assert "server_no_context_takeover" in agreed[0]

        _open_and_submit(
            page,
            f"{server.url}/overlay/{room['tournament']}/?group={room['group']}&rows=5",
            host_api,
            match,
            placements(teams, [4, 0, 1, 2, 3, 5], [40, 0, 0, 0, 0, 0]),
            on=server,
        )
        page.wait_for_function(
            "name => document.querySelector('.board-rows .team-name')?.textContent === name",
            arg=teams[4]["name"],
            timeout=WAIT_MS,
        )
        page.screenshot(path=screenshots / "overlay-deflate.png", omit_background=True)
        assert len(agreed) >= 2 and all(a.startswith("permessage-deflate") for a in agreed)
    finally:
        server.stop()
