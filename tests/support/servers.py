"""Real server processes for the multi-process, fault and demo tests: daphne or uvicorn (as
deployed) serving this project against the test database, and a private redis-server that a test
may stop and restart."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from django.conf import settings

from realtime.wsprotocol import LeanWebSocketProtocol

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses (pytest-django's test database)."""
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def uvicorn_on_this_run() -> "AsgiServer":
    """A uvicorn process (as deployed) on this run's database and Redis, started."""
    env = {"DATABASE_URL": database_url_of_this_run(), "REDIS_URL": settings.REDIS_URL}
    return AsgiServer(env, server="uvicorn").start()


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None


class AsgiServer:
    def __init__(self, env: dict[str, str], *, server: str = "daphne") -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "DJANGO_DEBUG": "true", "PYTHONUNBUFFERED": "1"}
        self.server = server
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = ROOT / "var" / f"test-server-{self.port}.log"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "AsgiServer":
        if self.server == "daphne":
            args = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)]
        else:  # "uvicorn": as deployed (Dockerfile), on the lean websocket protocol
            args = [
                *(sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(self.port)),
                *("--ws", LeanWebSocketProtocol.IMPORT_PATH),
                *("--lifespan", "off"),  # deflate: our protocol class decides
            ]
        args.append("config.asgi:application")
        self.log.parent.mkdir(exist_ok=True)
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.http}/healthz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.proc = None
