"""Browser tests: Debian's Chromium, driven by Playwright, against a real daphne server.

Why a subprocess server with its own SQLite file (and not pytest-django's test database): the
test database belongs to the pytest process and its connection, while the page talks to a
separate ASGI server (websockets need a real one). So the server gets a throw-away SQLite file
under a temporary VAR_DIR, migrated with `manage.py migrate` and seeded by tests/e2e/seed.py
through the engine's services; the tests then act only as clients would (a browser and the
REST API). The server runs without REDIS_URL (the in-memory channel layer and the local
cache): one process is the whole room, and nothing is shared with other test runs.

Skipped, with the reason, when the Playwright package or /usr/bin/chromium is missing
(CI installs both: `apt-get install -y chromium` and the `playwright` package; browsers are
never downloaded: Playwright is pointed at Debian's binary).
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from billing.phonepe.sandbox.remote import run_sandbox
from tests.support.browser import PageServer, ScriptedRoom, wait_until
from tests.support.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if sync_playwright is None:
        reason = "needs the Python package playwright (pip install playwright)"
    elif not CHROMIUM.exists():
        reason = "needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    var = tmp_path_factory.mktemp("e2e-var")
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        VAR_DIR=str(var),
        DJANGO_DEBUG="true",  # daphne alone: the page routes then serve /static/
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="session")
def seeded(e2e_env: dict[str, str]) -> dict[str, Any]:
    run = {"cwd": ROOT, "env": e2e_env, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    seed = subprocess.run([sys.executable, "tests/e2e/seed.py"], **run)
    assert seed.returncode == 0, seed.stderr[-3000:]
    return json.loads(seed.stdout.strip().splitlines()[-1])


def server_for(e2e_env: dict[str, str], name: str) -> PageServer:
    port = free_port()
    env = {**e2e_env, "REALTIME_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    return PageServer(env, port, Path(e2e_env["VAR_DIR"]) / f"daphne-{name}-{port}.log")


@pytest.fixture(scope="session")
def server(e2e_env: dict[str, str], seeded: dict[str, Any]) -> Iterator[PageServer]:
    live = server_for(e2e_env, "main").start()
    yield live
    live.stop()


@pytest.fixture
def own_server(e2e_env: dict[str, str], seeded: dict[str, Any]) -> Iterator[PageServer]:
    """A server for a test that stops and restarts it (the shared one must stay up)."""
    own = server_for(e2e_env, "own").start()
    yield own
    own.stop()


@pytest.fixture
def spare_server(e2e_env: dict[str, str], seeded: dict[str, Any]) -> Iterator[PageServer]:
    """A second process on the same database, for changes made while the main one is down."""
    spare = server_for(e2e_env, "spare")
    yield spare
    spare.stop()


@pytest.fixture
def paying_server(e2e_env: dict[str, str], seeded: dict[str, Any]) -> Iterator[PageServer]:
    """A server that takes payments through its own PhonePe sandbox process: the sandbox posts
    webhooks to this server, and its checkout sends the browser back to this server's return
    page (FRONTEND_URL)."""
    port = free_port()
    callback = f"http://127.0.0.1:{port}/api/payments/callback/"
    with run_sandbox({"PHONEPE_CALLBACK_URL": callback}) as sandbox:
        env = {
            **e2e_env,
            "REALTIME_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
            "FRONTEND_URL": f"http://127.0.0.1:{port}",
            "PHONEPE_LOCAL_URL": sandbox.url,
        }
        log = Path(e2e_env["VAR_DIR"]) / f"daphne-paying-{port}.log"
        paying = PageServer(env, port, log).start()
        yield paying
        paying.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # Module scope: Playwright's sync API keeps an event loop running on this thread while it is
    # open, and any asyncio test that runs after it (pytest-asyncio) would find a running loop.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def host_api(seeded: dict[str, Any], server: PageServer) -> SimpleNamespace:
    """REST as the host would use it (JWT), against whichever server is given."""

    def put_result(
        match_id: int, rows: list[dict[str, Any]], *, on: PageServer | None = None
    ) -> dict[str, Any]:
        response = httpx.put(
            f"{(on or server).url}/api/matches/{match_id}/",
            json={"results": rows, "final": True},
            headers={"Authorization": f"Bearer {seeded['host_token']}"},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def standings(tournament_id: int, group_id: int) -> list[dict[str, Any]]:
        response = httpx.get(
            f"{server.url}/api/tournaments/{tournament_id}/standings/",
            params={"group": group_id},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        return response.json()["rows"]

    return SimpleNamespace(put_result=put_result, standings=standings)


@pytest.fixture
def scripted_room(page: Any, server: PageServer, seeded: dict[str, Any]) -> ScriptedRoom:
    """The live page of the client tests' tournament, its websocket answered by the test."""
    scripted = ScriptedRoom()
    page.route_web_socket("**/ws/tournaments/**", scripted.handler)
    page.goto(f"{server.url}/live/{seeded['client']['tournament']}/")
    page.wait_for_function(
        "() => document.querySelector('#live').dataset.connection", timeout=10_000
    )
    wait_until(page, lambda: len(scripted.sockets) == 1)
    return scripted
