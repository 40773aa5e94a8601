"""The benchmarks' clients: Node processes holding the spectators' sockets (bench/clients.js),
and the host that submits results over its own socket."""

import asyncio
import contextlib
import json
import random
import subprocess
import time
import uuid
from dataclasses import dataclass, field

from bench.common import BENCH, Room
from bench.servers import Server

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

    async def wire_bytes(self) -> int:
        """TCP bytes read so far by every spectator socket (bench/clients.js stats)."""
        stats = [await c.get_stats() for c in self.clients]
        return sum(s.get("wire", 0) for s in stats)

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
        self.acks: list[float] = []  # ms from each submit's send to its ack

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
                self.acks.append(time.time() * 1000 - t0)
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
