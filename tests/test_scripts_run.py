"""`scripts/run` itself, on two ports that are not its defaults: every URL follows PORT and
PHONEPE_SANDBOX_PORT. It runs on the embedded defaults (as the README runs it) with VAR_DIR in a
temporary folder, so the developer's var/ is never touched; a paid plan is then published over
HTTP through its own sandbox: Django calls the sandbox on PHONEPE_SANDBOX_PORT, and the sandbox's
webhook comes back to PORT."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from billing.phonepe.sandbox.remote import SandboxControl
from tests.support.servers import ROOT, free_port
from tests.support.walkthrough import press_pay

pytestmark = pytest.mark.timeout(300)

START_SECONDS = 120
# What scripts/run derives from the two ports, or takes from the environment if set there.
DERIVED = {"FRONTEND_URL", "REALTIME_ALLOWED_ORIGINS", "CELERY_TASK_ALWAYS_EAGER", "DJANGO_DEBUG"}
TOURNAMENT = {
    "game": "bgmi",
    "title": "Ports Cup",
    "registration_opens_at": "2026-01-01T10:00:00Z",
    "registration_closes_at": "2035-12-31T18:00:00Z",
    "starts_at": "2035-12-31T19:00:00Z",
    "max_teams": 64,
    "entry_fee": 5000,
    "plan": "featured",
}


@dataclass
class Run:
    port: int
    sandbox_port: int
    env: dict[str, str]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _ports() -> tuple[int, int]:
    while True:
        port, sandbox_port = free_port(), free_port()
        if len({port, sandbox_port, 8000, 8010}) == 4:
            return port, sandbox_port


def _environment(var_dir: Path, port: int, sandbox_port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in DERIVED and not k.startswith("PHONEPE_") and k != "PORT"
    }
    # The embedded defaults, in the temporary folder (set, so that no .env can move them).
    env.update(
        PORT=str(port),
        PHONEPE_SANDBOX_PORT=str(sandbox_port),
        VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        REDIS_URL="",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_up(process: subprocess.Popen[bytes], run: Run) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"scripts/run exited with {process.returncode}:\n{_tail(run.log)}")
        try:
            if httpx.get(f"{run.url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(
        f"scripts/run did not answer on :{run.port} in {START_SECONDS} s:\n{_tail(run.log)}"
    )


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:]


def _developers_var() -> dict[str, int]:
    """What scripts/run would write in the checkout's own var/, and when it last changed."""
    names = ("db.sqlite3", "phonepe-sandbox.log", "emails")
    paths = [ROOT / "var" / name for name in names]
    return {path.name: path.stat().st_mtime_ns for path in paths if path.exists()}


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """The whole process group: the script, its server and the sandbox it put in the background."""
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            process.poll()
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Run]:
    port, sandbox_port = _ports()
    var_dir = tmp_path / "var"
    run = Run(port, sandbox_port, _environment(var_dir, port, sandbox_port), tmp_path / "run.log")
    before = _developers_var()
    with run.log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / "scripts" / "run")],
            cwd=ROOT,
            env=run.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
        )
    try:
        _wait_until_up(process, run)
        yield run
    finally:
        _stop_group(process)
    assert (var_dir / "db.sqlite3").exists() and (var_dir / "phonepe-sandbox.log").exists()
    assert _developers_var() == before, "scripts/run wrote to the checkout's var/"


def _publish_through_the_sandbox(run: Run, http: httpx.Client) -> tuple[int, str]:
    """Sign in as the demo host, create a tournament and publish it: 402 and the checkout."""
    login = {"username": "demo_host", "password": "scrimverse-demo"}
    signed_in = http.post(f"{run.url}/api/accounts/login/", json=login)
    assert signed_in.status_code == 200, signed_in.text
    http.headers["Authorization"] = f"Bearer {signed_in.json()['access']}"
    created = http.post(f"{run.url}/api/tournaments/", json=TOURNAMENT)
    assert created.status_code == 201, created.text
    tournament = created.json()["id"]
    published = http.post(f"{run.url}/api/tournaments/{tournament}/publish/")
    assert published.status_code == 402, published.text
    assert published.json()["code"] == "plan_fee_unpaid"
    payment = published.json()["details"]["payment"]
    assert payment["amount"] == 49900  # Featured
    return tournament, payment["redirect_url"]


def _wait_for_status(run: Run, http: httpx.Client, tournament: int, want: str) -> None:
    deadline, status = time.monotonic() + 30, None
    while time.monotonic() < deadline:
        status = http.get(f"{run.url}/api/tournaments/{tournament}/").json()["status"]
        if status == want:
            return
        time.sleep(0.2)
    pytest.fail(f"tournament {tournament} is {status!r}, not {want!r}:\n{_tail(run.log)}")


def test_scripts_run_serves_and_takes_payments_on_the_ports_it_is_given(running: Run) -> None:
    run = running
    with httpx.Client(timeout=30) as http:
        tournament, checkout = _publish_through_the_sandbox(run, http)
        # Django called the sandbox on its port: the checkout is served from there.
        assert checkout.startswith(f"http://127.0.0.1:{run.sandbox_port}/checkout/"), checkout
        pressed = press_pay(http, checkout)
        assert pressed.is_redirect, pressed.text
        back = pressed.headers["location"]
        assert back.startswith(f"http://localhost:{run.port}/payments/return/"), back
        _wait_for_status(run, http, tournament, "registration_open")
    sandbox = SandboxControl(f"http://127.0.0.1:{run.sandbox_port}")
    try:
        assert sandbox.calls("/checkout/v2/pay"), "Django never called the sandbox's pay API"
        delivered = [(w["url"], w["http_status"]) for w in sandbox.webhooks()]
    finally:
        sandbox.close()
    assert delivered == [(f"http://127.0.0.1:{run.port}/api/payments/callback/", 200)]
    printed = run.log.read_text(errors="replace")  # the banner is at the start, not the tail
    assert f"==> http://localhost:{run.port}/" in printed
    assert f"==> PhonePe sandbox: http://127.0.0.1:{run.sandbox_port}" in printed
    assert f"--url ws://localhost:{run.port}" in printed


def test_simulate_live_defaults_to_the_server_on_port(tmp_path: Path) -> None:
    port, sandbox_port = _ports()
    shown = subprocess.run(
        [sys.executable, "manage.py", "simulate_live", "--help"],
        cwd=ROOT,
        env=_environment(tmp_path, port, sandbox_port),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert f"(default ws://localhost:{port}:" in " ".join(shown.stdout.split())
