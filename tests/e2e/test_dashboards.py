"""The staff analytics page (signed in through the admin's login form) and the host dashboard
page in a real Chromium: the SVG charts are drawn with the expected bars and points
(tests/support/dashboards.seed, 1-3 Nov 2026). Screenshots: artifacts/screenshots/."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import PageServer
from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PERIOD = "?from=2026-11-01&to=2026-11-03"


@pytest.fixture(scope="module")
def dash_server(e2e_env: dict[str, str]) -> Iterator[tuple[PageServer, dict[str, Any]]]:
    var = Path(e2e_env["VAR_DIR"])
    env = {**e2e_env, "DATABASE_URL": f"sqlite:///{var / 'dashboards.sqlite3'}"}
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    seeded = subprocess.run([sys.executable, "tests/e2e/seed_dashboards.py"], **run)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    port = free_port()
    live = PageServer(env, port, var / f"daphne-dashboards-{port}.log").start()
    yield live, json.loads(seeded.stdout.strip().splitlines()[-1])
    live.stop()


@pytest.fixture
def laptop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    yield context
    context.close()


def test_staff_analytics_page(dash_server: Any, laptop: Any, screenshots: Path) -> None:
    server, seeded = dash_server
    page = laptop.new_page()
    page.goto(f"{server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", seeded["staff"])
    page.fill("#id_password", seeded["password"])
    page.click("input[type=submit]")
    page.click("text=Analytics: revenue and daily series")
    page.goto(f"{server.url}/admin/analytics/{PERIOD}")
    charts = page.locator("svg.chart")
    assert charts.count() == 5
    # Revenue: a line of 3 days; sign-ups, tournaments, registrations: 3 bars; 3 plans.
    assert page.locator("svg.chart circle.point").count() == 3
    assert page.locator("svg.chart rect.bar").count() == 12
    assert "₹777.00" in page.inner_text(".analytics-money")
    # Readable on the laptop: every chart at least 400 px wide and wholly inside the window.
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box["width"] >= 400 and box["x"] + box["width"] <= 1366, box
    page.screenshot(path=str(screenshots / "staff-analytics.png"), full_page=True)


def test_host_dashboard_page(dash_server: Any, laptop: Any, screenshots: Path) -> None:
    server, seeded = dash_server
    host = server.url.split("//")[1].split(":")[0]
    laptop.add_cookies(
        [{"name": "sessionid", "value": seeded["session"], "domain": host, "path": "/"}]
    )
    page = laptop.new_page()
    page.goto(f"{server.url}/host/dashboard/{PERIOD}")
    assert page.locator("svg.chart").count() == 2
    assert page.locator("svg.chart circle.point").count() == 3
    assert page.locator("svg.chart rect.bar").count() == 3
    assert "net ₹-118.00" in page.inner_text(".totals")
    assert page.locator("table.tournaments tr").count() == 4
    page.screenshot(path=str(screenshots / "host-dashboard.png"), full_page=True)
