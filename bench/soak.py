"""Soak: a simulated final for a long while, with faults in the middle (docs/quality.md, "Faults").

Two production server processes (uvicorn, lean protocol) share a private Redis (cache and
channel layer) and the database. SPECTATORS careful clients (bench/soak_clients.js) are spread
over both; every minute 5% of them drop and reconnect with ?since=. The host submits a whole
result every SUBMIT_EVERY seconds over its socket on the first process; REST readers read the
list, the detail and the standings at a steady rate from both. A third of the way in, Redis is
restarted; two thirds in, the second server process is restarted. Reported: events lost (must be
0), sockets left behind (an unrecovered gap, must be 0), 5xx answers, each process's RSS at the
start and the end, and the p99 of live delivery before and after the faults.

    .venv/bin/python -m bench.soak                      # 30 minutes, 2,000 spectators
    .venv/bin/python -m bench.soak --minutes 1 --spectators 200 --no-readme   # the smoke
"""

import argparse
import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import connect

from bench.common import BENCH, Room, make_room, ms, pct, record, table
from bench.servers import RedisServer, Server
from bench.spectators import ensure_node_clients

SUBMIT_EVERY = 20.0
RECOVERY_SECONDS = 10.0  # after the second fault: resumed events still arriving count as "during"
RSS_GROWTH_LIMIT = 1.5  # a process's RSS at the end within 1.5x its settled start


@dataclass
class Tally:
    # Live delivery latencies by phase: before the first fault, while the faults and their
    # recovery last (resumed events arrive late there: that is the point), after them.
    latencies: dict[str, list[float]] = field(
        default_factory=lambda: {"before": [], "during": [], "after": []}
    )
    phase: str = "before"
    statuses: dict[int, int] = field(default_factory=dict)
    submits: int = 0
    last_seq: int = 0


class Crowd:
    """The Node processes holding the spectators."""

    def __init__(self, urls: list[str], count: int, procs: int, share: float, every_ms: int):
        self.args = (urls, count, procs, share, every_ms)
        self.procs: list[asyncio.subprocess.Process] = []
        self.readers: list[asyncio.Future] = []
        self.lines: asyncio.Queue = asyncio.Queue()

    async def start(self, tally: Tally) -> None:
        urls, count, procs, share, every_ms = self.args
        for i in range(procs):
            mine = count // procs + (1 if i < count % procs else 0)
            proc = await asyncio.create_subprocess_exec(
                "node", str(BENCH / "soak_clients.js"), ",".join(urls), str(mine),
                str(share), str(every_ms),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, limit=2**24,
            )  # fmt: skip
            self.procs.append(proc)
            self.readers.append(asyncio.ensure_future(self._read(proc, tally)))

    async def _read(self, proc: asyncio.subprocess.Process, tally: Tally) -> None:
        while line := await proc.stdout.readline():
            message = json.loads(line)
            if message["ev"] == "lat":
                tally.latencies[tally.phase].extend(message["ms"])
            else:
                await self.lines.put(message)

    async def wait(self, kind: str, count: int, limit: float) -> list[dict]:
        got: list[dict] = []
        async with asyncio.timeout(limit):
            while len(got) < count:
                message = await self.lines.get()
                if message["ev"] == kind:
                    got.append(message)
        return got

    async def stats(self, final_seq: int) -> list[dict]:
        for proc in self.procs:
            proc.stdin.write(f"stats {final_seq}\n".encode())
            await proc.stdin.drain()
        return await self.wait("stats", len(self.procs), 60)

    async def quit(self) -> None:
        for proc in self.procs:
            proc.stdin.write(b"quit\n")
            await proc.stdin.drain()
        for proc in self.procs:
            await proc.wait()


async def host_loop(server: Server, room: Room, tally: Tally, until: float, every: float) -> None:
    """Submits a whole result every `every` s, waiting only for its ack (its own events may
    not come back while Redis is down); reconnects when its socket drops."""
    run, rng_seed = uuid.uuid4().hex[:8], 7
    headers = {"Authorization": f"Bearer {room.token}"}
    url = f"{server.url}/ws/tournaments/{room.tournament}/"
    while time.monotonic() < until:
        try:
            async with connect(url, additional_headers=headers, compression=None) as ws:
                await ws.recv()
                while time.monotonic() < until:
                    tally.submits += 1
                    order = (
                        room.teams[tally.submits % len(room.teams) :]
                        + room.teams[: tally.submits % len(room.teams)]
                    )
                    rows = [{"team": t, "placement": p, "kills": (p * rng_seed) % 9}
                            for p, t in enumerate(order, start=1)]  # fmt: skip
                    cid = f"soak-{run}-{tally.submits}"
                    await ws.send(json.dumps({"type": "result.submit", "id": cid,
                                              "match": room.match, "results": rows}))  # fmt: skip
                    while True:
                        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
                        if frame.get("id") == cid:
                            assert frame["type"] == "ack", frame
                            tally.last_seq = max(tally.last_seq, frame["seq"])
                            break
                    await asyncio.sleep(every)
        except (OSError, TimeoutError, Exception) as exc:
            print(f"host: {type(exc).__name__}: {exc}; reconnecting")
            await asyncio.sleep(1)


def readers(servers: list[Server], room: Room, tally: Tally, stop: threading.Event) -> None:
    """REST readers at a steady rate (~10 requests/s), alternating the processes."""
    t = room.tournament
    paths = ["/api/tournaments/", f"/api/tournaments/{t}/", f"/api/tournaments/{t}/standings/"]
    with httpx.Client(timeout=20) as http:
        i = 0
        while not stop.is_set():
            i += 1
            base = servers[i % len(servers)].http
            try:
                status = http.get(base + paths[i % len(paths)]).status_code
            except httpx.TransportError:
                status = 0  # a process being restarted: not an answer, counted apart
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            time.sleep(0.1)


async def faults(redis: RedisServer, second: Server, seconds: float, tally: Tally) -> None:
    await asyncio.sleep(seconds / 3)
    tally.phase = "during"
    print("fault: restarting Redis")
    redis.stop()
    await asyncio.sleep(3)
    redis.start()
    await asyncio.sleep(seconds / 3)
    print("fault: restarting the second server process")
    second.stop()
    await asyncio.sleep(2)
    second.start()
    await asyncio.sleep(RECOVERY_SECONDS)
    tally.phase = "after"


async def run(args: argparse.Namespace, room: Room | None = None) -> dict:
    ensure_node_clients()
    room = room or make_room()
    redis = RedisServer().start()
    env = {**room.env, "REDIS_URL": redis.url}
    servers = [Server("uvicorn-lean", env, room.tmp).start() for _ in range(2)]
    tally, seconds = Tally(), args.minutes * 60
    path = f"/ws/tournaments/{room.tournament}/"
    crowd = Crowd([s.url + path for s in servers], args.spectators, args.client_procs,
                  args.reconnect_share, 60_000)  # fmt: skip
    stop = threading.Event()
    reader = threading.Thread(target=readers, args=(servers, room, tally, stop), daemon=True)
    try:
        await crowd.start(tally)
        await crowd.wait("ready", args.client_procs, 120)
        await asyncio.sleep(5)  # settled: the start RSS is taken now
        rss_start = [s.rss_kb() for s in servers]
        reader.start()
        until = time.monotonic() + seconds
        await asyncio.gather(host_loop(servers[0], room, tally, until, args.submit_every),
                             faults(redis, servers[1], seconds, tally))  # fmt: skip
        stop.set()
        await asyncio.sleep(10)  # the last result reaches everyone (resumes included)
        stats = await crowd.stats(tally.last_seq)
        rss_end = [s.rss_kb() for s in servers]
        await crowd.quit()
    finally:
        stop.set()
        for server in servers:
            server.stop()
        redis.stop()
    return {"tally": tally, "stats": stats, "rss": (rss_start, rss_end)}


def report(args: argparse.Namespace, result: dict) -> bool:
    tally, stats = result["tally"], result["stats"]
    rss_start, rss_end = result["rss"]
    lost = sum(s["missing"] for s in stats)
    behind = sum(n for s in stats for seq, n in s["last"].items() if int(seq) != tally.last_seq)
    errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    growth = [end / start if start else 0 for start, end in zip(rss_start, rss_end, strict=True)]
    headers = ["what", "measured"]
    rows = [
        [
            "duration",
            f"{args.minutes:g} min, {args.spectators:,} spectators, "
            f"{tally.submits} results, last seq {tally.last_seq}",
        ],
        ["events lost", lost],
        ["sockets not at the last seq (unrecovered gap)", behind],
        ["REST answers", dict(sorted(tally.statuses.items()))],
        ["5xx", errors],
        [
            "RSS per process, start → end (KB)",
            ", ".join(
                f"{a:,} → {b:,} ({b / a:.2f}x)" for a, b in zip(rss_start, rss_end, strict=True)
            ),
        ],
        *(
            [
                f"delivery p50 / p99 {phase} the faults",
                f"{ms(pct(values, 50))} / {ms(pct(values, 99))} ms ({len(values):,} deliveries)",
            ]
            for phase, values in tally.latencies.items()
        ),
        [
            "resumes, reconnects, snapshots",
            ", ".join(
                str(sum(s[k] for s in stats)) for k in ("resumes", "reconnects", "snapshots")
            ),
        ],
    ]
    note = (
        f"Faults: Redis restarted (3 s down) at {args.minutes * 20:.0f} s, the second server "
        f"process (2 s down) at {args.minutes * 40:.0f} s; a result every {args.submit_every:g} "
        f"s; {args.reconnect_share:.0%} of spectators reconnect with since every minute; REST "
        "answer 0 = a connection refused by a process being restarted. "
        f"RSS bound: each process ends within {RSS_GROWTH_LIMIT}x its settled start."
    )
    record("Soak", table(headers, rows) + "\n\n" + note, readme=not args.no_readme)
    ok = lost == 0 and behind == 0 and errors == 0 and max(growth) <= RSS_GROWTH_LIMIT
    print("soak:", "ok" if ok else "FAILED")
    return ok


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--minutes", type=float, default=30)
    p.add_argument("--spectators", type=int, default=2000)
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument("--reconnect-share", type=float, default=0.05)
    p.add_argument("--submit-every", type=float, default=SUBMIT_EVERY, help="seconds")
    p.add_argument("--no-readme", action="store_true")
    return p


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    return report(args, await run(args, room))


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
