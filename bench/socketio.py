"""The socket.io 4 peer of the fan-out benchmark (bench/socketio_peer.js): its server process and
its host, which speaks Engine.IO 4 over a plain websocket (open → "40" connect, pings answered,
`42[...]` events) so that the trigger costs what the floor's does."""

import asyncio
import json
import subprocess
import time

from bench.common import BENCH, ROOT
from bench.servers import Server

PATH = "/socket.io/?EIO=4&transport=websocket"


class SocketIoServer(Server):
    """`node bench/socketio_peer.js PORT SNAPSHOT_BYTES`: ready when it prints "ready"."""

    def __init__(self, env: dict[str, str], tmp, snapshot_bytes: int = 4000) -> None:
        super().__init__("socketio", env, tmp, snapshot_bytes=snapshot_bytes)

    def args(self) -> list[str]:
        peer = str(BENCH / "socketio_peer.js")
        return ["node", peer, str(self.port), str(self.snapshot_bytes)]

    def start(self) -> "SocketIoServer":
        self.proc = subprocess.Popen(
            self.args(), cwd=ROOT, env=self.env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"socket.io peer exited:\n{self.log.read_text()[-3000:]}")
            if "ready" in self.log.read_text():
                return self
            time.sleep(0.1)
        raise SystemExit(f"socket.io peer did not start:\n{self.log.read_text()[-3000:]}")


class SocketIoHost:
    """Triggers the peer's broadcast and times it, with the interface of bench.spectators.Host."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.counter = 0
        self.sizes: list[int] = []
        self.snapshot_bytes = 0
        self.acks: list[float] = []  # ms from each trigger's send to its ack

    async def __aenter__(self) -> "SocketIoHost":
        from websockets.asyncio.client import connect

        self.ws = await connect(self.server.url + PATH, compression=None, max_size=2**24)
        await self._recv_until(lambda name, _: name == "snapshot")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def _recv_until(self, wanted) -> tuple[str, dict]:
        while True:
            text = await asyncio.wait_for(self.ws.recv(), 60)
            if text.startswith("0"):
                await self.ws.send("40")
            elif text == "2":
                await self.ws.send("3")
            elif text.startswith("42"):
                name, body = json.loads(text[2:])
                if name == "snapshot":
                    self.snapshot_bytes = len(text.encode())
                if wanted(name, body):
                    return name, body

    async def submit(self) -> tuple[float, int, int]:
        """The floor's frames, broadcast by socket.io: (t0 epoch ms, first seq, last seq)."""
        self.counter += 1
        cid = f"sio-{self.counter}"
        t0 = time.time() * 1000
        await self.ws.send("42" + json.dumps(["bench.trigger", {"id": cid, "sizes": self.sizes}]))
        seen: set[int] = set()
        last = None
        # The room includes the host's own socket: its events may come before or after the ack.
        while last is None or last not in seen:
            name, body = await self._recv_until(lambda name, _: name in ("event", "ack"))
            if name == "event":
                seen.add(body["seq"])
            elif body["id"] == cid:
                last = body["seq"]
                self.acks.append(time.time() * 1000 - t0)
        return t0, last - len(self.sizes) + 1, last
