"""The floor: a bare `websockets` server that does what a room does, and nothing else.

Every connection gets a snapshot-sized first frame; a `bench.trigger` message with a list of
frame sizes makes it broadcast that many event frames of exactly those sizes, in seq order, to
every connection with `websockets.broadcast()` (no compression), then answer the sender with an
`ack`. Run with `python -m bench.floor --port P --snapshot-bytes B`."""

import argparse
import asyncio
import gc
import json

from websockets.asyncio.server import ServerConnection, broadcast, serve

CONNECTIONS: set = set()
SEQ = 0


def frame(kind: str, seq: int, size: int) -> str:
    head = f'{{"type":"{kind}","seq":{seq},"name":"standings","data":"'
    return head + "x" * max(0, size - len(head) - 2) + '"}'


async def main(port: int, snapshot_bytes: int) -> None:
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

    async with serve(handler, "127.0.0.1", port, compression=None, backlog=4096):
        print("ready", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--snapshot-bytes", type=int, default=4000)
    args = parser.parse_args()
    gc.collect()  # the same start-up GC treatment as config/asgi.py, so the comparison is fair
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    asyncio.run(main(args.port, args.snapshot_bytes))
