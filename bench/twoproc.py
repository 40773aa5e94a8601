"""Several processes: the fan-out over P server processes sharing Redis (pub/sub channel layer and
cache), P x N spectators, the host on the first; against ONE process with Redis serving N in the
same run. Target: P times the spectators at the same latency (within 1.3x).

With `--procs 2` (the default) the spectators connect to each process directly, split evenly.
With `--procs 3` or more they connect through nginx configured by deploy/nginx.conf (bench/proxy.py:
round robin, no sticky sessions), as the compose stack deploys it. Each process's CPU (user +
system, /proc/<pid>/stat) over the timed submits is reported per result and per event: the
linearity a many-process plan rests on is that each process spends the same per event whatever
the number of processes, since each receives each event once from Redis and writes only to its
own sockets.

    .venv/bin/python -m bench.twoproc --sizes 1000,5000 --server uvicorn-lean
    .venv/bin/python -m bench.twoproc --sizes 300 --procs 3
"""

import argparse
import asyncio
from pathlib import Path

from bench.common import Room, make_room, ms, ratio, record, table
from bench.fanout import measure
from bench.proxy import Proxy
from bench.servers import SERVERS, RedisServer, Server

HEADERS = [
    "servers",
    "spectators",
    "last p50 ms",
    "last p99 ms",
    "last max ms",
    "lost",
    "RSS KB/socket",
    "p50 / 1 process",
    "p99 / 1 process",
    "CPU ms / submit, busiest process",
    "CPU / 1 process",
    "CPU ms / event, each process",
]


class MeteredServer(Server):
    """A server whose CPU readings are kept: bench.fanout.measure reads each process's CPU
    before and after the timed submits, and the last two readings are that window."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.readings: list[float] = []

    def cpu_seconds(self) -> float:
        self.readings.append(super().cpu_seconds())
        return self.readings[-1]

    def window_seconds(self) -> float:
        return self.readings[-1] - self.readings[-2] if len(self.readings) >= 2 else 0.0


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    room = room or make_room()
    redis = RedisServer().start()
    env = {**room.env, "REDIS_URL": redis.url}
    rows, ok = [], True
    shape = Shape()
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            got = {}
            for label, kind in (("", args.server), ("floor ", "floor")):
                target_room = None if kind == "floor" else room
                got[label + "1"], got[label + "2"] = await _one_and_many(
                    args, kind, env, room, target_room, n, shape
                )
            many = f"{args.procs} processes" + (", via nginx" if args.procs > 2 else "")
            for label, key, base in (
                (f"{args.server}, 1 process", "1", "1"),
                (f"{args.server}, {many}", "2", "1"),
                ("floor, 1 process", "floor 1", "floor 1"),
                (f"floor, {many}", "floor 2", "floor 1"),
            ):
                r = got[key]
                ok = ok and r["lost"] == 0 and r["received"] == args.submits
                rows.append(_row(label, r, got[base]))
    finally:
        redis.stop()
    spread = (
        "each on one server"
        if args.procs <= 2
        else "all through one nginx (deploy/nginx.conf, round robin)"
    )
    note = (
        f"{args.server}; {args.submits} submits per row; host on the first process (direct); "
        f"{args.client_procs} Node client processes, {spread}. The floor rows run the same "
        f"clients against one and {args.procs} bare `websockets` processes (each triggered by "
        "the host): what this machine allows when the server processes and the clients share "
        "its cores. CPU: user+system time of each server process during the submits, per "
        "submit (busiest) and per event (each process, in start order: an event is one frame "
        "of a result)."
    )
    record(
        f"{args.procs} server processes over Redis",
        table(HEADERS, rows) + "\n\n" + note,
        readme=not args.no_readme,
    )
    return ok


class Shape:
    """The frame sizes the real room sent, so the floor sends frames of the same sizes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.snapshot_bytes = 4000


async def _one_and_many(
    args: argparse.Namespace,
    kind: str,
    env: dict[str, str],
    room: Room,
    target_room: Room | None,
    n: int,
    shape: Shape,
) -> tuple[dict, dict]:
    """N spectators on one process, then P x N over P processes."""
    path = f"/ws/tournaments/{room.tournament}/" if target_room else "/"
    one = MeteredServer(kind, env, room.tmp, snapshot_bytes=shape.snapshot_bytes).start()
    try:
        single = await measure(one, target_room, shape.sizes, n, args.submits, args.client_procs)
    finally:
        one.stop()
    if not shape.sizes:
        shape.sizes[:] = single["sizes"]
        shape.snapshot_bytes = single["snapshot_bytes"]
    single["cpu_ms_per_event"] = [_per_event(one, args, shape)]
    await asyncio.sleep(0.5)
    many = [
        MeteredServer(kind, env, room.tmp, snapshot_bytes=shape.snapshot_bytes).start()
        for _ in range(args.procs)
    ]
    proxy = Proxy([s.port for s in many], Path(room.tmp)).start() if args.procs > 2 else None
    try:
        urls = [proxy.url + path] if proxy else [s.url + path for s in many]
        double = await measure(
            many[0],
            target_room,
            shape.sizes,
            args.procs * n,
            args.submits,
            args.client_procs,
            urls=urls,
            extra=many[1:],
        )
    finally:
        if proxy:
            proxy.stop()
        for server in many:
            server.stop()
    double["cpu_ms_per_event"] = [_per_event(s, args, shape) for s in many]
    await asyncio.sleep(0.5)
    return single, double


def _per_event(server: MeteredServer, args: argparse.Namespace, shape: "Shape") -> float:
    events = max(len(shape.sizes), 1)  # frames per result
    return server.window_seconds() * 1000 / max(args.submits, 1) / events


def _row(label: str, r: dict, single: dict) -> list[object]:
    return [
        label,
        f"{r['n']:,}",
        ms(r["p50"]),
        ms(r["p99"]),
        ms(r["max"]),
        r["lost"],
        f"{r['kb_per_socket']:.1f}",
        ratio(r["p50"], single["p50"]),
        ratio(r["p99"], single["p99"]),
        f"{r['cpu_ms_per_submit']:.0f}",
        ratio(r["cpu_ms_per_submit"], single["cpu_ms_per_submit"]),
        " / ".join(f"{x:.1f}" for x in r.get("cpu_ms_per_event", [])) or "-",
    ]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="1000,5000")
    p.add_argument("--server", default="uvicorn-lean", choices=SERVERS)
    p.add_argument("--submits", type=int, default=20)
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument(
        "--procs", type=int, default=2, help="server processes (3+: behind nginx, as deployed)"
    )
    p.add_argument("--no-readme", action="store_true")
    return p


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
