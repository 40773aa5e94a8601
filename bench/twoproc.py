"""Two processes: the fan-out over two server processes sharing Redis (pub/sub channel layer and
cache), 2N spectators split evenly, the host on the first; against ONE process with Redis
serving N in the same run. Target: twice the spectators at the same latency (within 1.3x).

    .venv/bin/python -m bench.twoproc --sizes 1000,5000 --server uvicorn-lean
"""

import argparse
import asyncio

from bench.common import Room, make_room, ms, ratio, record, table
from bench.fanout import measure
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
]


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
                got[label + "1"], got[label + "2"] = await _one_and_two(
                    args, kind, env, room, target_room, n, shape
                )
            for label, key, base in (
                (f"{args.server}, 1 process", "1", "1"),
                (f"{args.server}, 2 processes", "2", "1"),
                ("floor, 1 process", "floor 1", "floor 1"),
                ("floor, 2 processes", "floor 2", "floor 1"),
            ):
                r = got[key]
                ok = ok and r["lost"] == 0 and r["received"] == args.submits
                rows.append(_row(label, r, got[base]))
    finally:
        redis.stop()
    note = (
        f"{args.server}; {args.submits} submits per row; host on the first process; "
        f"{args.client_procs} Node client processes, each on one server (2 processes). The "
        "floor rows run the same clients against one and two bare `websockets` processes (each "
        "triggered by the host): what this machine allows when two server processes and the "
        "clients share its cores. CPU: user+system time of the busiest server process during "
        "the submits, per submit (the work one process does per event, whatever the cores)."
    )
    record(
        "Two server processes over Redis",
        table(HEADERS, rows) + "\n\n" + note,
        readme=not args.no_readme,
    )
    return ok


class Shape:
    """The frame sizes the real room sent, so the floor sends frames of the same sizes."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.snapshot_bytes = 4000


async def _one_and_two(
    args: argparse.Namespace,
    kind: str,
    env: dict[str, str],
    room: Room,
    target_room: Room | None,
    n: int,
    shape: Shape,
) -> tuple[dict, dict]:
    """N spectators on one process, then 2N split over two."""
    path = f"/ws/tournaments/{room.tournament}/" if target_room else "/"
    one = Server(kind, env, room.tmp, snapshot_bytes=shape.snapshot_bytes).start()
    try:
        single = await measure(one, target_room, shape.sizes, n, args.submits, args.client_procs)
    finally:
        one.stop()
    if not shape.sizes:
        shape.sizes[:] = single["sizes"]
        shape.snapshot_bytes = single["snapshot_bytes"]
    await asyncio.sleep(0.5)
    a = Server(kind, env, room.tmp, snapshot_bytes=shape.snapshot_bytes).start()
    b = Server(kind, env, room.tmp, snapshot_bytes=shape.snapshot_bytes).start()
    try:
        double = await measure(
            a,
            target_room,
            shape.sizes,
            2 * n,
            args.submits,
            args.client_procs,
            urls=[a.url + path, b.url + path],
            extra=[b],
        )
    finally:
        a.stop()
        b.stop()
    await asyncio.sleep(0.5)
    return single, double


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
    ]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="1000,5000")
    p.add_argument("--server", default="uvicorn-lean", choices=SERVERS)
    p.add_argument("--submits", type=int, default=20)
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument("--no-readme", action="store_true")
    return p


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
