"""Two processes: the fan-out over two server processes sharing Redis (pub/sub channel layer and
cache), 2N spectators split evenly, the host on the first; against ONE process with Redis
serving N in the same run. Target: twice the spectators at the same latency (within 1.3x).

    .venv/bin/python -m bench.twoproc --sizes 1000,5000 --server uvicorn-lean
"""

import argparse
import asyncio

from bench.common import SERVERS, RedisServer, Room, Server, make_room, ms, ratio, record, table
from bench.fanout import measure


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    room = room or make_room()
    redis = RedisServer().start()
    env = {**room.env, "REDIS_URL": redis.url}
    rows, ok = [], True
    sizes: list[int] = []
    snap = 4000
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            path = f"/ws/tournaments/{room.tournament}/"
            got = {}
            for label, kind in (("", args.server), ("floor ", "floor")):
                target_room = None if kind == "floor" else room
                p = path if target_room else "/"
                one = Server(kind, env, room.tmp, snapshot_bytes=snap).start()
                try:
                    got[label + "1"] = await measure(
                        one, target_room, sizes, n, args.submits, args.client_procs
                    )
                finally:
                    one.stop()
                if not sizes:  # the floor sends frames of the sizes the real room sent
                    sizes[:] = got["1"]["sizes"]
                    snap = got["1"]["snapshot_bytes"]
                await asyncio.sleep(0.5)
                a = Server(kind, env, room.tmp, snapshot_bytes=snap).start()
                b = Server(kind, env, room.tmp, snapshot_bytes=snap).start()
                try:
                    got[label + "2"] = await measure(
                        a,
                        target_room,
                        sizes,
                        2 * n,
                        args.submits,
                        args.client_procs,
                        urls=[a.url + p, b.url + p],
                        extra=[b],
                    )
                finally:
                    a.stop()
                    b.stop()
                await asyncio.sleep(0.5)
            for label, key, base in (
                (f"{args.server}, 1 process", "1", "1"),
                (f"{args.server}, 2 processes", "2", "1"),
                ("floor, 1 process", "floor 1", "floor 1"),
                ("floor, 2 processes", "floor 2", "floor 1"),
            ):
                r, single = got[key], got[base]
                ok = ok and r["lost"] == 0 and r["received"] == args.submits
                rows.append(
                    [
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
                )
    finally:
        redis.stop()
    headers = [
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
        table(headers, rows) + "\n\n" + note,
        readme=not args.no_readme,
    )
    return ok


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
