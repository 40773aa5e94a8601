"""Fan-out: N spectators in one room on ONE server process; the host submits results over the
socket; time from the submit to the last spectator's final `standings` frame. In the same run,
the same clients against the floor (bench/floor.py) sending frames of the same sizes.

    .venv/bin/python -m bench.fanout --sizes 1000,5000,10000 --servers daphne,uvicorn-lean
    .venv/bin/python -m bench.fanout --servers uvicorn-lean --redis --deflate
"""

import argparse
import asyncio
import contextlib
import dataclasses
import os

from bench.common import Room, make_room, ms, pct, ratio, record, table
from bench.servers import SERVERS, RedisServer, Server
from bench.socketio import PATH as SOCKETIO_PATH
from bench.socketio import SocketIoHost, SocketIoServer
from bench.spectators import Host, Spectators

# Peers measured in the same run, with the same clients and the real room's frame sizes: the bare
# `websockets` floor and a socket.io 4 room (bench/socketio_peer.js).
PEERS = ["floor", "socketio"]


def host_for(server: Server, room: Room | None) -> Host | SocketIoHost:
    return SocketIoHost(server) if server.kind == "socketio" else Host(server, room)


def spectator_path(server: Server, room: Room | None) -> str:
    if server.kind == "socketio":
        return SOCKETIO_PATH
    return f"/ws/tournaments/{room.tournament}/" if room else "/"


async def measure(
    server: Server,
    room: Room | None,
    host_sizes: list[int],
    n: int,
    submits: int,
    procs: int,
    urls: list[str] | None = None,
    extra: list[Server] | None = None,
) -> dict:
    """One target at one size: connect storm, idle RSS, then `submits` timed submits."""
    servers = [server, *(extra or [])]
    # The floor has no channel layer: with several floor processes the host triggers each.
    others = [Host(s, None) for s in servers[1:]] if room is None else []
    async with host_for(server, room) as host, contextlib.AsyncExitStack() as stack:
        for other in others:
            await stack.enter_async_context(other)
            other.sizes = host_sizes
        host.sizes = host_sizes
        await host.submit()  # warm-up: code paths, caches, and (real server) the frame sizes
        if room is not None:
            # The sizes of a later result, as the timed ones: the match's first result also
            # carries the new team objects and the round going live (a second, small event).
            host.sizes = []
            await host.submit()
        for other in others:
            await other.submit()
        host.acks.clear()
        await asyncio.sleep(0.5)
        before = sum(s.rss_kb() for s in servers)
        crowd = Spectators(urls or [server.url + spectator_path(server, room)], n, procs)
        try:
            storm = await crowd.connect(limit=60 + n / 100)
            await asyncio.sleep(1.0)
            after = sum(s.rss_kb() for s in servers)
            cpu_before = [s.cpu_seconds() for s in servers]
            wire_before = await crowd.wire_bytes()
            first, last, seqs = await _timed_submits(host, others, crowd, submits, n)
            wire = (await crowd.wire_bytes() - wire_before) / max(n * submits, 1)
            # The busiest process's CPU per submit: the work one process does for one event.
            cpu_ms = max(
                (s.cpu_seconds() - b) * 1000 / max(submits, 1)
                for s, b in zip(servers, cpu_before, strict=True)
            )
            await asyncio.sleep(0.5)
            loss = await crowd.lost(seqs)
        finally:
            await crowd.close()
    return _row(n, first, last, loss, storm, cpu_ms, (after - before) / n, wire) | {
        "ack50": pct(host.acks, 50),
        "sizes": host.sizes,
        "snapshot_bytes": host.snapshot_bytes,
    }


def _row(
    n: int, first: list, last: list, loss: dict, storm: dict, cpu_ms: float, kb: float, wire: float
) -> dict:
    return {
        "n": n,
        "p50": pct(last, 50),
        "p99": pct(last, 99),
        "max": max(last, default=float("nan")),
        "first50": pct(first, 50),
        "lost": loss["lost"] + loss["gaps"],
        "closed": loss["closed"],
        "codes": loss["codes"],
        "kb_per_socket": kb,
        "cpu_ms_per_submit": cpu_ms,
        "connect": storm["seconds"],
        "failed": storm["failed"],
        "received": len(last),
        "wire_per_result": wire,
    }


async def _timed_submits(
    host: Host, others: list[Host], crowd: Spectators, submits: int, n: int
) -> tuple[list[float], list[float], list[int]]:
    """`submits` results, one at a time: (first spectator, last spectator) seconds after each
    submit, and every seq the submits produced."""
    last: list[float] = []
    first: list[float] = []
    seqs: list[int] = []
    for _ in range(submits):
        t0, first_seq, last_seq = (
            await asyncio.gather(host.submit(), *(o.submit() for o in others))
        )[0]
        seqs.extend(range(first_seq, last_seq + 1))
        got = await crowd.wait_seq(last_seq, limit=30 + n / 200)
        if got is not None:
            first.append(got[0] - t0)
            last.append(got[1] - t0)
        await asyncio.sleep(0.05)
    return first, last, seqs


async def run_size(
    room: Room, kinds: list[str], n: int, submits: int, procs: int, sizes: list[int]
) -> list[dict]:
    results = []
    peers = [*PEERS, "floor-deflate"] if os.environ.get("BENCH_DEFLATE") else PEERS
    for kind in [*kinds, *peers]:
        snap = snapshot_bytes[0]
        if kind == "socketio":
            server = SocketIoServer(room.env, room.tmp, snapshot_bytes=snap).start()
        else:
            server = Server(kind, room.env, room.tmp, snapshot_bytes=snap).start()
        try:
            is_floor = kind in peers
            res = await measure(server, None if is_floor else room, sizes, n, submits, procs)
            if not is_floor and not sizes:
                sizes[:] = res["sizes"]
                snapshot_bytes[0] = res["snapshot_bytes"]
            results.append({"server": kind, **res})
        finally:
            server.stop()
        await asyncio.sleep(0.5)
    return results


snapshot_bytes = [4000]  # the real room's snapshot size, learnt from the first real server


def rows_of(results: list[dict]) -> list[list[object]]:
    rows = []
    floor = next(r for r in results if r["server"] == "floor")
    for r in results:
        rows.append(
            [
                r["server"],
                f"{r['n']:,}",
                ms(r["p50"]),
                ms(r["p99"]),
                ms(r["max"]),
                ms(r["first50"]),
                ms(r["ack50"]),
                r["lost"],
                r["closed"],
                f"{r['kb_per_socket']:.1f}",
                f"{r['connect']:.2f}",
                ratio(r["p50"], floor["p50"]),
                ratio(r["p99"], floor["p99"]),
                ratio(r["kb_per_socket"], floor["kb_per_socket"]),
                f"{r['wire_per_result']:,.0f}",
            ]
        )
    return rows


HEADERS = [
    "server",
    "spectators",
    "last p50 ms",
    "last p99 ms",
    "last max ms",
    "first p50 ms",
    "host ack p50 ms",
    "lost",
    "closed",
    "RSS KB/socket",
    "connect s",
    "p50 / floor",
    "p99 / floor",
    "RSS / floor",
    "wire B/spectator/result",
]


async def main(args: argparse.Namespace, room: Room | None = None) -> bool:
    deflate = getattr(args, "deflate", False)
    if deflate:  # inherited by the Node clients (bench/clients.js)
        os.environ["BENCH_DEFLATE"] = "1"
    room = room or make_room()
    redis = RedisServer().start() if getattr(args, "redis", False) else None
    if redis is not None:  # the project's servers on the Redis channel layer and cache
        room = dataclasses.replace(room, env={**room.env, "REDIS_URL": redis.url})
    kinds = args.servers.split(",")
    sizes: list[int] = []
    all_rows: list[list[object]] = []
    ok = True
    try:
        for n in [int(x) for x in args.sizes.split(",")]:
            results = await run_size(room, kinds, n, args.submits, args.client_procs, sizes)
            all_rows += rows_of(results)
            ok = ok and all(r["lost"] == 0 and r["received"] == args.submits for r in results)
    finally:
        if redis is not None:
            redis.stop()
    note = (
        f"{args.submits} submits per row (`result.submit` of a {len(room.teams)}-team lobby over "
        f"the host's socket); frames per submit {len(sizes)}, bytes {sizes}; "
        f"{args.client_procs} Node client processes. Times are from the host's send to the "
        "last (first) spectator's frame of the result (`first p50` is the submit's processing: the "
        "transaction and the publish, before any fan-out), and to the host's `ack`; the floor and "
        "socket.io broadcast frames of the same sizes on a trigger message (with one frame per "
        "result, the single-frame floor)."
    )
    record(
        "Fan-out, one server process"
        + (", Redis channel layer" if redis is not None else "")
        + (", spectators offering deflate" if deflate else ""),
        table(HEADERS, all_rows) + "\n\n" + note,
        readme=not args.no_readme,
    )
    return ok


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sizes", default="1000,5000,10000")
    p.add_argument("--servers", default=",".join(SERVERS))
    p.add_argument("--submits", type=int, default=20)
    p.add_argument("--client-procs", type=int, default=2)
    p.add_argument("--no-readme", action="store_true", help="print only (smoke runs)")
    p.add_argument(
        "--deflate",
        action="store_true",
        help="spectators offer permessage-deflate (no context takeover), as browsers do",
    )
    p.add_argument(
        "--redis",
        action="store_true",
        help="the servers use a private Redis as channel layer and cache (as deployed)",
    )
    return p


if __name__ == "__main__":
    raise SystemExit(0 if asyncio.run(main(parser().parse_args())) else 1)
