"""Match day in a real browser: a tournament played to the end over `simulate_live --finish` (a
real server, its websocket, then select-winner over REST), its live page opened afterwards
showing the champion, the tournament and every round completed; and a page before the start
showing who has checked in, live (screenshots kept)."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.browser import PageServer

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
WAIT_MS = 15_000


def _simulate(e2e_env: dict[str, str], server: PageServer, tournament_id: int) -> str:
    ws = server.url.replace("http://", "ws://", 1)
    command = [sys.executable, "manage.py", "simulate_live", str(tournament_id), "--url", ws]
    command += ["--pause", "0", "--seed", "11", "--finish"]
    run = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **e2e_env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def test_a_final_played_over_simulate_live_shows_its_champion_afterwards(
    page: Any,
    server: PageServer,
    seeded: dict[str, Any],
    e2e_env: dict[str, str],
    screenshots: Path,
) -> None:
    simulated = seeded["simulated"]
    out = _simulate(e2e_env, server, simulated["tournament"])
    assert "tournament completed" in out
    rounds = httpx.get(f"{server.url}/api/tournaments/{simulated['tournament']}/rounds/").json()
    assert [r["status"] for r in rounds] == ["completed"]
    names = {t["id"]: t["name"] for t in simulated["teams"]}
    champion = names[rounds[0]["winner"]]
    page.goto(f"{server.url}/live/{simulated['tournament']}/")
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    winner = page.locator('[data-slot="winner"]')
    winner.wait_for(state="visible", timeout=WAIT_MS)
    assert champion in winner.inner_text()
    assert page.locator('[data-slot="status"]').inner_text().lower() == "completed"
    badges = page.locator(".round-head .badge").all_inner_texts()
    assert badges and all(b.lower() == "completed" for b in badges), badges
    page.screenshot(path=str(screenshots / "live-page-simulated-final.png"), full_page=True)


def test_the_live_page_shows_who_has_checked_in_as_it_happens(
    page: Any, server: PageServer, seeded: dict[str, Any], screenshots: Path
) -> None:
    checkin = seeded["checkin"]
    page.goto(f"{server.url}/live/{checkin['tournament']}/")
    page.wait_for_selector('#live[data-connection="live"]', timeout=WAIT_MS)
    board = page.locator('[data-slot="checkin"]')
    board.wait_for(state="visible", timeout=WAIT_MS)
    assert board.locator("p").inner_text().startswith("1 of 3 in")
    response = httpx.post(
        f"{server.url}/api/tournaments/{checkin['tournament']}/check-in/",
        json={},
        headers={"Authorization": f"Bearer {checkin['late_captain_token']}"},
    )
    assert response.status_code == 200, response.text
    page.wait_for_function(
        "document.querySelector('[data-slot=\"checkin\"] p').textContent.startsWith('2 of 3')",
        timeout=WAIT_MS,
    )
    assert page.locator('[data-slot="checkin"] li.in').count() == 2
    page.screenshot(path=str(screenshots / "live-page-checkin.png"), full_page=True)
