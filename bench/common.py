"""What every benchmark shares: the database room, server processes, Node clients, the host,
and the README record."""

import atexit
import contextlib
import datetime as dt
import json
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

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
