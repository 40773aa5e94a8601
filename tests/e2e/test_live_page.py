"""The real thing: a browser on /live/<id>/ and /overlay/<id>/ against a real daphne server,
results submitted over REST as a host would, and a server restart in the middle."""

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import PageServer

pytestmark = pytest.mark.e2e

WAIT_MS = 15_000


def placements(
    teams: list[dict[str, Any]], order: list[int], kills: list[int]
) -> list[dict[str, Any]]:
    """Result rows: `order[i]` is the index (in `teams`) of the team placed i+1."""
    return [
        {"team": teams[index]["id"], "placement": place, "kills": kills[place - 1]}
        for place, index in enumerate(order, start=1)
    ]


def table_rows(page: Any) -> list[tuple[str, str]]:
    """(team name, total) of each row of the first group's table, top to bottom."""
    return page.eval_on_selector_all(
        ".group table.standings tbody tr",
        "rows => rows.map(r => [r.querySelector('.team-name').textContent,"
        " r.querySelector('td.total').textContent])",
    )


def expected_rows(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(row["team"]["name"], str(row["total"])) for row in rows]


def wait_for_rows(page: Any, expected: list[tuple[str, str]]) -> None:
    page.wait_for_function(
        """expected => {
            const rows = [...document.querySelectorAll('.group table.standings tbody tr')]
              .map(r => [r.querySelector('.team-name').textContent,
                         r.querySelector('td.total').textContent]);
            return JSON.stringify(rows) === JSON.stringify(expected);
        }""",
        arg=[list(row) for row in expected],
        timeout=WAIT_MS,
    )


def _open_the_live_page(page: Any, server: PageServer, data: dict[str, Any], host_api: Any) -> None:
    page.goto(f"{server.url}/live/{data['tournament']}/")
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    expect_initial = expected_rows(host_api.standings(data["tournament"], data["group"]))
    wait_for_rows(page, expect_initial)
    assert page.locator("h1").inner_text() == "Browser Cup"
    page.wait_for_function(
        "() => document.querySelector('[data-slot=spectators]').textContent === '1'",
        timeout=WAIT_MS,
    )
    # The team named like markup is shown as text, and its "onerror" never ran.
    assert page.get_by_text("<img src=x onerror=\"document.title='pwned'\"> L").count() == 1
    assert page.locator(".group img").count() == 0
    assert page.title() != "pwned"
    page.evaluate("window.__sameDocument = true")


def _a_result_reaches_the_open_page(
    page: Any, server: PageServer, data: dict[str, Any], host_api: Any
) -> None:
    teams = data["teams"]
    host_api.put_result(
        data["matches"][0], placements(teams, [0, 1, 2, 3, 4, 5], [8, 3, 5, 0, 2, 1]), on=server
    )
    after_first = expected_rows(host_api.standings(data["tournament"], data["group"]))
    assert after_first[0][0] == teams[0]["name"]
    wait_for_rows(page, after_first)
    assert page.evaluate("window.__sameDocument") is True
    match_one = page.locator(".match", has_text="Match 1")
    assert "completed" in match_one.inner_text().lower()
    assert f"#1 {teams[0]['name']} · 8 kills" in match_one.inner_text()


def _results_while_the_server_is_down(
    spare_server: PageServer, data: dict[str, Any], host_api: Any
) -> None:
    """The host submits through another process (same database, same event log)."""
    spare_server.start()
    host_api.put_result(
        data["matches"][1],
        placements(data["teams"], [5, 4, 3, 2, 1, 0], [15, 1, 1, 1, 1, 0]),
        on=spare_server,
    )
    spare_server.stop()


def _the_page_catches_up(
    page: Any, data: dict[str, Any], host_api: Any, banner: Any, sockets: list[str]
) -> None:
    """The server is back: the page resumes from its last seq."""
    page.wait_for_selector('#live[data-connection="live"]', timeout=30_000)
    caught_up = expected_rows(host_api.standings(data["tournament"], data["group"]))
    assert caught_up[0][0] == data["teams"][5]["name"]
    wait_for_rows(page, caught_up)
    assert banner.is_hidden()
    assert page.evaluate("window.__sameDocument") is True
    assert re.search(r"\?since=\d+$", sockets[-1]), sockets
    assert "completed" in page.locator(".match", has_text="Match 2").inner_text().lower()


def test_live_page_follows_results_and_survives_a_server_restart(
    page: Any,
    own_server: PageServer,
    spare_server: PageServer,
    seeded: dict[str, Any],
    host_api: Any,
    screenshots: Path,
) -> None:
    server, data = own_server, seeded["live"]
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    _open_the_live_page(page, server, data, host_api)
    page.screenshot(path=screenshots / "live-initial.png", full_page=True)

    _a_result_reaches_the_open_page(page, server, data, host_api)  # over REST, no reload
    page.wait_for_timeout(1800)  # let the rank animation and highlight settle
    page.screenshot(path=screenshots / "live-after-result.png", full_page=True)

    # The server goes away: the page says so and keeps trying.
    server.stop()
    banner = page.locator('[data-slot="banner"]')
    banner.wait_for(state="visible", timeout=WAIT_MS)
    assert "Reconnecting" in banner.inner_text()
    page.screenshot(path=screenshots / "live-reconnecting.png", full_page=True)

    _results_while_the_server_is_down(spare_server, data, host_api)
    server.start()
    _the_page_catches_up(page, data, host_api, banner, sockets)
    page.wait_for_timeout(1800)  # let the rank animation and highlight settle
    page.screenshot(path=screenshots / "live-caught-up.png", full_page=True)


def _the_overlay_board_is_transparent_and_fits(page: Any, data: dict[str, Any]) -> None:
    teams = data["teams"]
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('.board-rows .row').length === 5", timeout=WAIT_MS
    )
    names = page.eval_on_selector_all(".board-rows .team-name", "n => n.map(e => e.textContent)")
    assert names[0] == teams[0]["name"]
    assert page.locator('[data-slot="title"]').inner_text() == "Overlay Cup"
    assert "GROUP A" in page.locator('[data-slot="scope"]').inner_text().upper()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgba(0, 0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") in (
        "rgba(0, 0, 0, 0)",
    )
    box = page.locator(".board").bounding_box()
    assert box["x"] + box["width"] <= 1920 and box["y"] + box["height"] <= 1080


def _a_climb_is_animated(page: Any, data: dict[str, Any], host_api: Any) -> None:
    """The last team wins the next match big: it climbs, and the climb is animated (FLIP)."""
    teams = data["teams"]
    page.evaluate(
        """() => { window.__moves = [];
        // The inverted transform lives for one layout only: read it as the old value.
        new MutationObserver(list => list.forEach(m => window.__moves.push(m.oldValue || "")))
          .observe(document.querySelector('.board-rows'), {attributes: true, subtree: true,
                   attributeOldValue: true, attributeFilter: ['style']}); }"""
    )
    host_api.put_result(
        data["matches"][1], placements(teams, [5, 4, 3, 2, 1, 0], [30, 0, 0, 0, 0, 0])
    )
    page.wait_for_function(
        "name => document.querySelector('.board-rows .team-name').textContent === name",
        arg=teams[5]["name"],
        timeout=WAIT_MS,
    )
    assert page.evaluate("window.__moves.some(t => t.includes('translateY('))")


def _the_legend_and_arrows_explain_the_colours(page: Any) -> None:
    assert page.locator(".board-legend").inner_text().split() == [
        "▲",
        "up",
        "▼",
        "down",
        "qualified",
    ]
    arrow = "el => getComputedStyle(el.querySelector('.rank'), '::after').content"
    down = page.locator(".board-rows .row.rank-down")  # pushed down by the climber
    assert down.count() >= 1
    assert "▼" in down.first.evaluate(arrow)


def test_overlay_renders_a_transparent_board_and_animates_rank_changes(
    page: Any, server: PageServer, seeded: dict[str, Any], host_api: Any, screenshots: Path
) -> None:
    data = seeded["overlay"]
    teams = data["teams"]
    host_api.put_result(
        data["matches"][0], placements(teams, [0, 1, 2, 3, 4, 5], [9, 7, 5, 3, 1, 0])
    )
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/overlay/{data['tournament']}/?group={data['group']}&rows=5")
    _the_overlay_board_is_transparent_and_fits(page, data)
    page.screenshot(path=screenshots / "overlay-dark.png", omit_background=True)

    _a_climb_is_animated(page, data, host_api)
    page.wait_for_timeout(300)  # mid-animation
    _the_legend_and_arrows_explain_the_colours(page)
    page.screenshot(path=screenshots / "overlay-moving.png", omit_background=True)

    page.goto(f"{server.url}/overlay/{data['tournament']}/?theme=light&rows=3")
    page.wait_for_function(
        "() => document.querySelectorAll('.board-rows .row').length === 3", timeout=WAIT_MS
    )
    page.wait_for_timeout(500)
    page.screenshot(path=screenshots / "overlay-light.png", omit_background=True)
