"""The server processes the benchmarks run: the project under daphne or uvicorn, the bare floor,
and a private Redis."""

import contextlib
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx

from bench.common import PY, ROOT, free_port, rss_kb
from realtime.wsprotocol import LeanWebSocketProtocol

# uvicorn's websocket implementations the benchmarks compare; "uvicorn-lean" is the production
# configuration (realtime/wsprotocol.py: uvicorn's sans-I/O protocol with less held per socket).
UVICORN_WS = {
    "uvicorn": "websockets",
    "uvicorn-sansio": "websockets-sansio",
    "uvicorn-lean": LeanWebSocketProtocol.IMPORT_PATH,
}
SERVERS = ["daphne", *UVICORN_WS]
# The bare websockets server (bench/floor.py), plain or compressing per socket.
FLOORS = ("floor", "floor-deflate")


class Server:
    """One server process: the project under daphne or uvicorn, or the bare floor."""

    def __init__(self, kind: str, env: dict[str, str], tmp: Path, snapshot_bytes: int = 4000):
        self.kind = kind
        self.port = free_port()
        self.env = env
        self.log = tmp / f"{kind}-{self.port}.log"
        self.snapshot_bytes = snapshot_bytes
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def args(self) -> list[str]:
        p = str(self.port)
        if self.kind in FLOORS:
            return [
                PY,
                "-m",
                "bench.floor",
                "--port",
                p,
                "--snapshot-bytes",
                str(self.snapshot_bytes),
                *(["--deflate"] if self.kind == "floor-deflate" else []),
            ]
        if self.kind == "daphne":
            return [
                PY,
                "-m",
                "daphne",
                "-e",
                f"tcp:port={p}:interface=127.0.0.1:backlog=4096",
                "bench.asgi:application",
            ]
        if self.kind in UVICORN_WS:
            return [
                PY,
                "-m",
                "uvicorn",
                "bench.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                p,
                "--ws",
                UVICORN_WS[self.kind],
                "--ws-per-message-deflate",
                "false",
                "--lifespan",
                "off",
                "--log-level",
                "warning",
                "--no-access-log",
                "--backlog",
                "4096",
            ]
        raise ValueError(self.kind)

    def start(self) -> "Server":
        self.proc = subprocess.Popen(
            self.args(),
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.kind} exited:\n{self.log.read_text()[-3000:]}")
            if self._up():
                return self
            time.sleep(0.1)
        raise SystemExit(f"{self.kind} did not start:\n{self.log.read_text()[-3000:]}")

    def _up(self) -> bool:
        if self.kind in FLOORS:
            return "ready" in self.log.read_text()
        try:
            return httpx.get(f"{self.http}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def rss_kb(self) -> int:
        return rss_kb(self.proc.pid) if self.proc else 0

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used (Linux /proc)."""
        if not self.proc:
            return 0.0
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text()
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def queries(self) -> int:
        return httpx.get(f"{self.http}/__bench__/queries/", timeout=10).json()["queries"]

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class RedisServer:
    """A private redis-server for the multi-process runs (REDIS_URL overrides it)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.url = os.environ.get("BENCH_REDIS_URL") or f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        if os.environ.get("BENCH_REDIS_URL"):
            return self
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
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return self
            time.sleep(0.05)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
