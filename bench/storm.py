"""Connect storm: N spectators open their sockets at once; time until every one has its first
frame (the snapshot), and the SQL statements the server ran meanwhile (counted in the server by
bench/querycount.py, read from /__bench__/queries/). The snapshot cache is cold at the start (a
submit just invalidated it), so the count includes building it once. Same clients against the
floor (bench/floor.py, a snapshot of the same size) in the same run.

    .venv/bin/python -m bench.storm --sizes 1000,5000
"""

import argparse
import asyncio

from bench.common import Room, make_room, record, table
from bench.servers import SERVERS, Server
from bench.spectators import Host, Spectators


async def storm(server: Server, room: Room | None, n: int, procs: int) -> dict:
    async with Host(server, room) as host:
        if room:
            host.sizes = []
            await host.submit()  # leaves the snapshot cache cold, as after any change
        snapshot_bytes = host.snapshot_bytes
        before = server.queries() if room else 0
        crowd = Spectators(
            [server.url + (f"/ws/tournaments/{room.tournament}/" if room else "/")], n, procs
        )
        try:
            result = await crowd.connect(limit=120 + n / 50)
        finally:
            await crowd.close()
        queries = server.queries() - before if room else 0
    return {**result, "queries": queries, "snapshot_bytes": snapshot_bytes}


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    room = room or make_room()
    rows, ok, snap = [], True, 4000
    for n in [int(x) for x in args.sizes.split(",")]:
        results = {}
        for kind in [*args.servers.split(","), "floor"]:
            server = Server(kind, room.env, room.tmp, snapshot_bytes=snap).start()
            try:
                results[kind] = await storm(
                    server, None if kind == "floor" else room, n, args.client_procs
                )
                if kind != "floor":
                    snap = results[kind]["snapshot_bytes"]
            finally:
                server.stop()
            await asyncio.sleep(0.5)
        floor = results["floor"]["seconds"]
        for kind, r in results.items():
            ok = ok and r["failed"] == 0
            rows.append(
                [
                    kind,
                    f"{n:,}",
                    f"{r['seconds']:.2f}",
                    f"{r['seconds'] / floor:.2f}x",
                    r["failed"],
                    "—" if kind == "floor" else r["queries"],
                ]
            )
    note = (
        f"{args.client_procs} Node client processes; snapshot {snap} bytes. Queries: every SQL "
        "statement the server process ran from just before the storm to just after it."
    )
    headers = ["server", "spectators", "all snapshots s", "/ floor", "failed", "SQL queries"]
    record("Connect storm", table(headers, rows) + "\n\n" + note, readme=not args.no_readme)
    return ok


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="1000,5000")
    p.add_argument("--servers", default=",".join(SERVERS))
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument("--no-readme", action="store_true")
    return p


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
