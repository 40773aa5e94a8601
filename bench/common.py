"""What every benchmark shares: the database room, server processes, Node clients, the host,
and the README record."""

import asyncio
import atexit
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from realtime.wsprotocol import LeanWebSocketProtocol

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PY = sys.executable


# --- machine and record -------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"load average at start {load}"
    )


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def record(title: str, text: str, *, readme: bool = True) -> None:
    """Print the result, and append it to bench/README.md with date, machine and command."""
    module = f"bench.{Path(sys.argv[0]).stem}"
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "-m", module, *sys.argv[1:]])
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    block = (
        f"\n### {title} — {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
        f"`{command}`  \n{machine_at_start}; database {db}\n\n{text}\n"
    )
    print(block)
    if readme:
        with (BENCH / "README.md").open("a") as f:
            f.write(block)


machine_at_start = machine()


def ms(x: float) -> str:
    return f"{x:.0f}" if x >= 10 else f"{x:.1f}"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


# --- the database room -------------------------------------------------------------------


@dataclass
class Room:
    tournament: int
    match: int
    teams: list[int]
    token: str
    env: dict[str, str]
    tmp: Path


def make_room(teams: int = 25) -> Room:
    """A temporary SQLite database (or DATABASE_URL's PostgreSQL) holding one live room."""
    tmp = Path(tempfile.mkdtemp(prefix="scrimverse-bench-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)  # the database file and server logs
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + "k" * 60,
        "SECURE_SSL_REDIRECT": "false",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)  # each benchmark chooses its layer
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    out = subprocess.run(
        [PY, "-m", "bench.setup", "--teams", str(teams)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"bench setup failed:\n{out.stderr[-3000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return Room(data["tournament"], data["match"], data["teams"], data["token"], env, tmp)


# --- processes ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# uvicorn's websocket implementations the benchmarks compare; "uvicorn-lean" is the production
# configuration (realtime/wsprotocol.py: uvicorn's sans-I/O protocol with less held per socket).
UVICORN_WS = {
    "uvicorn": "websockets",
    "uvicorn-sansio": "websockets-sansio",
    "uvicorn-lean": LeanWebSocketProtocol.IMPORT_PATH,
}
SERVERS = ["daphne", *UVICORN_WS]


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
        if self.kind == "floor":
            return [
                PY,
                "-m",
                "bench.floor",
                "--port",
                p,
                "--snapshot-bytes",
                str(self.snapshot_bytes),
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
        if self.kind == "floor":
            return "ready" in self.log.read_text()
        import httpx

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
        import httpx

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


# --- Node clients ------------------------------------------------------------------------


def ensure_node_clients() -> None:
    if not (BENCH / "node_modules" / "ws").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=BENCH, check=True)


@dataclass
class ClientProc:
    proc: asyncio.subprocess.Process
    count: int
    ready: asyncio.Future
    seqs: dict[int, asyncio.Future] = field(default_factory=dict)
    stats: asyncio.Future | None = None
    reader: asyncio.Task | None = None

    def seq_future(self, seq: int) -> asyncio.Future:
        if seq not in self.seqs:
            self.seqs[seq] = asyncio.get_running_loop().create_future()
        return self.seqs[seq]

    async def read(self) -> None:
        assert self.proc.stdout
        async for line in self.proc.stdout:
            msg = json.loads(line)
            if msg["ev"] == "ready":
                self.ready.set_result(msg)
            elif msg["ev"] == "seq":
                fut = self.seq_future(msg["seq"])
                if not fut.done():
                    fut.set_result(msg)
            elif msg["ev"] == "stats" and self.stats and not self.stats.done():
                self.stats.set_result(msg)

    async def command(self, text: str) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(text.encode() + b"\n")
        await self.proc.stdin.drain()

    async def get_stats(self) -> dict:
        self.stats = asyncio.get_running_loop().create_future()
        await self.command("stats")
        return await asyncio.wait_for(self.stats, 30)


class Spectators:
    """N spectators over `procs` Node processes, split over one or more server URLs."""

    def __init__(self, urls: list[str], n: int, procs: int) -> None:
        self.urls, self.n, self.procs = urls, n, procs
        self.clients: list[ClientProc] = []

    async def connect(self, limit: float) -> dict:
        """Open every socket at once; return the storm: start, all-first time, failures."""
        ensure_node_clients()
        loop = asyncio.get_running_loop()
        shares = [
            self.n // self.procs + (1 if i < self.n % self.procs else 0) for i in range(self.procs)
        ]
        for i, share in enumerate(shares):
            if share == 0:
                continue
            url = self.urls[i % len(self.urls)]
            proc = await asyncio.create_subprocess_exec(
                "node",
                str(BENCH / "clients.js"),
                url,
                str(share),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=2**24,
            )
            client = ClientProc(proc, share, loop.create_future())
            client.reader = asyncio.ensure_future(client.read())
            self.clients.append(client)
        readies = await asyncio.wait_for(asyncio.gather(*(c.ready for c in self.clients)), limit)
        return {
            "seconds": (max(r["allFirst"] for r in readies) - min(r["start"] for r in readies))
            / 1000,
            "failed": sum(r["failed"] for r in readies),
        }

    async def wait_seq(self, seq: int, limit: float) -> tuple[float, float] | None:
        """(first, last) arrival of frame `seq` over every spectator, epoch ms; None if lost."""
        try:
            got = await asyncio.wait_for(
                asyncio.gather(*(c.seq_future(seq) for c in self.clients)), limit
            )
        except TimeoutError:
            return None
        return min(g["first"] for g in got), max(g["last"] for g in got)

    async def lost(self, seqs: list[int]) -> dict:
        """Frames that never reached a spectator, gaps, and sockets closed under us."""
        lost = gaps = closed = 0
        codes: dict[str, int] = {}
        for c in self.clients:
            stats = await c.get_stats()
            gaps += stats["gaps"]
            closed += stats["closedEarly"]
            for code, k in stats["closeCodes"].items():
                codes[code] = codes.get(code, 0) + k
            for seq in seqs:
                fut = c.seqs.get(seq)
                if fut is None or not fut.done():
                    lost += c.count - stats["pending"].get(str(seq), 0)
        return {"lost": lost, "gaps": gaps, "closed": closed, "codes": codes}

    async def close(self) -> None:
        for c in self.clients:
            with contextlib.suppress(Exception):
                await c.command("quit")
        for c in self.clients:
            try:
                await asyncio.wait_for(c.proc.wait(), 10)
            except TimeoutError:
                c.proc.kill()
            if c.reader:
                c.reader.cancel()
        self.clients = []


# --- the host ----------------------------------------------------------------------------


class Host:
    """The room's host on its own socket: submits whole results and times them."""

    def __init__(self, server: Server, room: Room | None) -> None:
        self.server, self.room = server, room
        self.rng = random.Random(7)
        self.counter = 0
        self.run_id = uuid.uuid4().hex[:12]
        self.sizes: list[int] = []  # sizes of one submit's frames (for the floor)
        self.snapshot_bytes = 0

    async def __aenter__(self) -> "Host":
        from websockets.asyncio.client import connect

        headers = {"Authorization": f"Bearer {self.room.token}"} if self.room else {}
        path = f"/ws/tournaments/{self.room.tournament}/" if self.room else "/"
        self.ws = await connect(
            self.server.url + path, additional_headers=headers, compression=None, max_size=2**24
        )
        first = await self.ws.recv()
        self.snapshot_bytes = len(first)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def submit(self) -> tuple[float, int, int]:
        """One result submit (or, on the floor, the same frames): (t0 epoch ms, first, last seq)."""
        self.counter += 1
        cid = f"bench-{self.run_id}-{self.counter}"  # ids are idempotency keys: never reused
        if self.room:
            order = self.room.teams[:]
            self.rng.shuffle(order)
            rows = [
                {"team": t, "placement": p, "kills": self.rng.randint(0, 9)}
                for p, t in enumerate(order, start=1)
            ]
            msg = {"type": "result.submit", "id": cid, "match": self.room.match, "results": rows}
        else:
            msg = {"type": "bench.trigger", "id": cid, "sizes": self.sizes}
        t0 = time.time() * 1000
        await self.ws.send(json.dumps(msg))
        sizes: dict[int, int] = {}
        while True:
            text = await asyncio.wait_for(self.ws.recv(), 60)
            frame = json.loads(text)
            if frame["type"] == "event":
                sizes[frame["seq"]] = len(text.encode())
            elif frame.get("id") == cid:
                if frame["type"] != "ack":
                    raise SystemExit(f"submit refused: {frame}")
                last = frame["seq"]
                break
        # Events may trail the ack on the host's own socket; wait for the last one.
        while last not in sizes:
            text = await asyncio.wait_for(self.ws.recv(), 60)
            frame = json.loads(text)
            if frame["type"] == "event":
                sizes[frame["seq"]] = len(text.encode())
        first = min(s for s in sizes if s > last - len(sizes))
        if self.room and not self.sizes:
            self.sizes = [sizes[s] for s in sorted(sizes)]
        return t0, first, last
