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


def test_live_page_and_overlay_update_over_deflate(
    page: Any, e2e_env: dict[str, str], seeded: dict[str, Any], host_api: Any, screenshots: Path
) -> None:
    server = server_for(e2e_env, "uvicorn")
    server.uvicorn = True
    server.start()
    try:
        agreed = _negotiated(page)
        # The overlay's tournament for both pages: the live tournament's tests count what its
        # page shows (a team named like markup appears once), and its results are theirs.
        data = seeded["overlay"]
        page.goto(f"{server.url}/live/{data['tournament']}/")
        page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
        teams = data["teams"]
        host_api.put_result(
            data["matches"][0],
            placements(teams, [2, 1, 0, 3, 4, 5], [20, 3, 5, 0, 2, 1]),
            on=server,
        )
        wait_for_rows(page, expected_rows(host_api.standings(data["tournament"], data["group"])))
        page.screenshot(path=screenshots / "live-deflate.png", full_page=True)
        assert agreed and all(a.startswith("permessage-deflate") for a in agreed), agreed
        assert "server_no_context_takeover" in agreed[0]

        overlay = seeded["overlay"]
        page.goto(f"{server.url}/overlay/{overlay['tournament']}/?group={overlay['group']}&rows=5")
        page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
        oteams = overlay["teams"]
        host_api.put_result(
            overlay["matches"][0],
            placements(oteams, [4, 0, 1, 2, 3, 5], [40, 0, 0, 0, 0, 0]),
            on=server,
        )
        page.wait_for_function(
            "name => document.querySelector('.board-rows .team-name')?.textContent === name",
            arg=oteams[4]["name"],
            timeout=WAIT_MS,
        )
        page.screenshot(path=screenshots / "overlay-deflate.png", omit_background=True)
        assert len(agreed) >= 2 and all(a.startswith("permessage-deflate") for a in agreed)
    finally:
        server.stop()
