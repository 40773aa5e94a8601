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
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

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


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    reason = None
    if sync_playwright is None:
        reason = "needs the Python package playwright (pip install playwright)"
    elif not CHROMIUM.exists():
        reason = "needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One daphne process serving config.asgi:application on a port of its own; can be stopped
    and started again on the same port (the client's reconnect then finds it there)."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                [*command, "config.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"daphne did not start: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


@pytest.fixture(scope="session")
def e2e_env(tmp_path_factory) -> dict[str, str]:  # type: ignore[no-untyped-def]
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
def seeded(e2e_env) -> dict:  # type: ignore[no-untyped-def]
    run = {"cwd": ROOT, "env": e2e_env, "capture_output": True, "text": True, "timeout": 300}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    seed = subprocess.run([sys.executable, "tests/e2e/seed.py"], **run)
    assert seed.returncode == 0, seed.stderr[-3000:]
    return json.loads(seed.stdout.strip().splitlines()[-1])


def server_for(e2e_env: dict[str, str], name: str) -> Server:
    port = free_port()
    env = {**e2e_env, "REALTIME_ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    return Server(env, port, Path(e2e_env["VAR_DIR"]) / f"daphne-{name}-{port}.log")


@pytest.fixture(scope="session")
def server(e2e_env, seeded) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    live = server_for(e2e_env, "main").start()
    yield live
    live.stop()


@pytest.fixture
def own_server(e2e_env, seeded) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    """A server for a test that stops and restarts it (the shared one must stay up)."""
    own = server_for(e2e_env, "own").start()
    yield own
    own.stop()


@pytest.fixture
def spare_server(e2e_env, seeded) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    """A second process on the same database, for changes made while the main one is down."""
    spare = server_for(e2e_env, "spare")
    yield spare
    spare.stop()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    # Module scope: Playwright's sync API keeps an event loop running on this thread while it is
    # open, and any asyncio test that runs after it (pytest-asyncio) would find a running loop.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def host_api(seeded, server):  # type: ignore[no-untyped-def]
    """REST as the host would use it (JWT), against whichever server is given."""

    def put_result(match_id: int, rows: list[dict], *, on: Server | None = None) -> dict:
        response = httpx.put(
            f"{(on or server).url}/api/matches/{match_id}/",
            json={"results": rows, "final": True},
            headers={"Authorization": f"Bearer {seeded['host_token']}"},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def standings(tournament_id: int, group_id: int) -> list[dict]:
        response = httpx.get(
            f"{server.url}/api/tournaments/{tournament_id}/standings/",
            params={"group": group_id},
            timeout=20,
        )
        assert response.status_code == 200, response.text
        return response.json()["rows"]

    return SimpleNamespace(put_result=put_result, standings=standings)
