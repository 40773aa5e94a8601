"""The floor: a bare `websockets` server that does what a room does, and nothing else.

Every connection gets a snapshot-sized first frame; a `bench.trigger` message with a list of
frame sizes makes it broadcast that many event frames of exactly those sizes, in seq order, to
every connection with `websockets.broadcast()` (no compression), then answer the sender with an
`ack`. Run with `python -m bench.floor --port P --snapshot-bytes B`.

With `--deflate` it negotiates permessage-deflate with the parameters the project's protocol
accepts (no context takeover either way, 12-bit server window, memLevel 5), and `broadcast()`
compresses the frame once per socket, as a stock server does: the floor for clients that
inflate what they receive. Frames are filled with standings-like rows rather than one repeated
character, so they compress about as much as a real result does."""

import argparse
import asyncio
import functools
import gc
import json
import random

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

CONNECTIONS: set = set()
SEQ = 0


@functools.cache
def _rows(size: int) -> str:
    """About `size` characters of standings-like rows (numbers vary as real ones do)."""
    rng, parts, total = random.Random(size), [], 0
    while total < size:
        n = len(parts) + 1
        row = (
            f"{{'rank':{n},'team':{rng.randint(1, 99999)},'matches':{rng.randint(1, 6)},"
            f"'wins':{rng.randint(0, 3)},'placement_points':{rng.randint(0, 60)},"
            f"'kill_points':{rng.randint(0, 40)},'total':{rng.randint(0, 99)},"
            f"'last_placement':{rng.randint(1, 25)},'qualified':false}},"
        )
        parts.append(row)
        total += len(row)
    return "".join(parts)


def frame(kind: str, seq: int, size: int) -> str:
    head = f'{{"type":"{kind}","seq":{seq},"name":"standings","data":"'
    return head + _rows(size)[: max(0, size - len(head) - 2)] + '"}'


DEFLATE = ServerPerMessageDeflateFactory(
    server_no_context_takeover=True,
    client_no_context_takeover=True,
    server_max_window_bits=12,
    compress_settings={"memLevel": 5},
)


async def main(port: int, snapshot_bytes: int, deflate: bool = False) -> None:
    async def handler(ws: ServerConnection) -> None:
        global SEQ
        CONNECTIONS.add(ws)
        try:
            await ws.send(frame("snapshot", SEQ, snapshot_bytes))
            async for message in ws:
                request = json.loads(message)
                if request.get("type") == "bench.trigger":
                    for size in request["sizes"]:
                        SEQ += 1
                        broadcast(CONNECTIONS, frame("event", SEQ, size))
                    await ws.send(json.dumps({"type": "ack", "id": request["id"], "seq": SEQ}))
        finally:
            CONNECTIONS.discard(ws)

    extensions = [DEFLATE] if deflate else None
    async with serve(
        handler, "127.0.0.1", port, compression=None, extensions=extensions, backlog=4096
    ):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--snapshot-bytes", type=int, default=4000)
    parser.add_argument("--deflate", action="store_true")
    args = parser.parse_args()
    gc.collect()  # the same start-up GC treatment as config/asgi.py, so the comparison is fair
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    asyncio.run(main(args.port, args.snapshot_bytes, args.deflate))
