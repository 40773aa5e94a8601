"""A tournament played to the end over `simulate_live --finish` (a real server, its websocket,
then select-winner over REST), then its live page opened afterwards in a real browser: the
champion, the tournament and every round completed (screenshot kept)."""

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
