"""REST: requests/s and p99 for the tournament list, detail and standings under load, against a
bare Django JSON view (bench/urls.py: Django's middleware and response, no DRF, no database) in
the same run and the same server process. Load from bench/loadgen.py in separate processes.

The server runs as deployed: Redis as the cache, so the public read cache (core/api/read_cache.py)
serves repeated reads. The same endpoints are then measured again on a second server with
PUBLIC_READ_CACHE=false, the cost of every read that misses (the first after a write).

    .venv/bin/python -m bench.rest --server uvicorn-lean --seconds 10
"""

import argparse
import asyncio
import json
import subprocess

from bench.common import PY, ROOT, Room, make_room, pct, record, table
from bench.servers import SERVERS, RedisServer, Server


def load(url: str, procs: int, connections: int, seconds: float) -> dict:
    runs = [
        subprocess.Popen(
            [
                PY,
                "-m",
                "bench.loadgen",
                url,
                "--connections",
                str(connections),
                "--seconds",
                str(seconds),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        for _ in range(procs)
    ]
    results = [json.loads(r.communicate()[0]) for r in runs]
    return {
        "latencies": [x for r in results for x in r["latencies_ms"]],
        "requests": sum(r["requests"] for r in results),
        "seconds": max(r["seconds"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }


def merge(parts: list[dict]) -> dict:
    latencies = [x for p in parts for x in p["latencies"]]
    requests = sum(p["requests"] for p in parts)
    return {
        "rps": requests / sum(p["seconds"] for p in parts),
        "p50": pct(latencies, 50),
        "p99": pct(latencies, 99),
        "errors": sum(p["errors"] for p in parts),
        "requests": requests,
    }


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    room = room or make_room()
    t = room.tournament
    targets = [
        ("bare Django JSON view", "/__bench__/bare/"),
        ("tournament list", "/api/tournaments/"),
        ("tournament detail", f"/api/tournaments/{t}/"),
        ("standings", f"/api/tournaments/{t}/standings/"),
    ]
    redis = RedisServer().start()
    results = {}
    try:
        for cached in (True, False):
            env = {
                **room.env,
                "REDIS_URL": redis.url,
                "PUBLIC_READ_CACHE": "true" if cached else "false",
            }
            server = Server(args.server, env, room.tmp).start()
            try:
                rows = targets if cached else targets[1:]
                results.update(await _measure_rows(args, server, rows, cached=cached))
            finally:
                server.stop()
    finally:
        redis.stop()
    bare = results["bare Django JSON view"]["rps"]
    rows = [
        [
            name,
            f"{r['rps']:.0f}",
            f"{r['p50']:.1f}",
            f"{r['p99']:.1f}",
            r["errors"],
            f"{r['rps'] / bare:.0%}",
        ]
        for name, r in results.items()
    ]
    note = (
        f"{args.server}, one process; {args.procs} load processes x {args.connections} keep-alive "
        f"connections, {args.seconds:g} s per row in {args.rounds} round-robin slices; "
        f"{len(room.teams)}-team live room; Redis cache. "
        "Uncached rows: a second server with PUBLIC_READ_CACHE=false (what a read after a write "
        "costs)."
    )
    headers = ["endpoint", "requests/s", "p50 ms", "p99 ms", "errors", "of bare"]
    record("REST", table(headers, rows) + "\n\n" + note, readme=not args.no_readme)
    return all(r["errors"] == 0 and r["requests"] > 0 for r in results.values())


async def _measure_rows(
    args: argparse.Namespace, server: Server, rows: list[tuple[str, str]], *, cached: bool
) -> dict[str, dict]:
    for _name, path in rows:  # warm every path once, then measure
        load(server.http + path, 1, 1, 0.3)
    # Round-robin in short slices, so drift in the machine's speed (a shared VM) falls on every
    # row alike instead of on whichever row ran during it.
    parts: dict[str, list[dict]] = {}
    for _round in range(args.rounds):
        for name, path in rows:
            label = name if cached or name.startswith("bare") else f"{name}, uncached"
            parts.setdefault(label, []).append(
                load(server.http + path, args.procs, args.connections, args.seconds / args.rounds)
            )
            await asyncio.sleep(0.2)
    return {label: merge(p) for label, p in parts.items()}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--server", default="uvicorn-lean", choices=SERVERS)
    p.add_argument("--seconds", type=float, default=10, help="per row, over all rounds")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--procs", type=int, default=1)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--no-readme", action="store_true")
    return p


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
