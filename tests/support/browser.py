"""The browser tests' pieces (tests/e2e/): a daphne process a test may stop and start again,
and a scripted room that speaks for the server on the page's websocket."""

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]


class PageServer:
    """One daphne process serving config.asgi:application on a port of its own; can be stopped
    and started again on the same port (the client's reconnect then finds it there)."""

    def __init__(self, env: dict[str, str], port: int, log: Path, *, uvicorn: bool = False) -> None:
        self.env, self.port, self.log = env, port, log
        self.uvicorn = uvicorn  # as deployed: uvicorn on the lean protocol (it negotiates deflate)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "PageServer":
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)]
        if self.uvicorn:
            command = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1"]
            command += ["--port", str(self.port), "--lifespan", "off"]
            command += ["--ws", "realtime.wsprotocol:LeanWebSocketProtocol"]
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


class ScriptedRoom:
    """Records every socket the page opens and every frame it sends; the test speaks for the
    server through `send`/`close` on the latest socket (Playwright's WebSocketRoute)."""

    def __init__(self) -> None:
        self.sockets: list[Any] = []
        self.received: list[dict[str, Any]] = []
        self.urls: list[str] = []
        self.lock = threading.Lock()

    def handler(self, ws: Any) -> None:
        self.sockets.append(ws)
        self.urls.append(ws.url)
        ws.on_message(lambda message: self.received.append(json.loads(message)))

    @property
    def current(self) -> Any:
        return self.sockets[-1]


def wait_until(page: Any, condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Poll `condition` while letting Playwright deliver the socket's callbacks."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("condition not met in time")
