"""A small HTTP/1.1 keep-alive load generator (raw asyncio, no client library: cheap per request).

    python -m bench.loadgen URL --connections 16 --seconds 5

prints JSON: requests, seconds, errors, latencies_ms.
"""

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit


async def worker(
    host: str, port: int, request: bytes, until: float, out: list, errors: list
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < until:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            out.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def main(url: str, connections: int, seconds: float) -> dict:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
        "Accept: application/json\r\nConnection: keep-alive\r\n\r\n"
    ).encode()
    out: list[float] = []
    errors: list[int] = []
    until = time.monotonic() + seconds
    start = time.monotonic()
    await asyncio.gather(
        *(
            worker(parts.hostname, parts.port, request, until, out, errors)
            for _ in range(connections)
        )
    )
    elapsed = time.monotonic() - start
    return {"requests": len(out), "seconds": elapsed, "errors": len(errors), "latencies_ms": out}


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("url")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--seconds", type=float, default=5)
    a = p.parse_args()
    print(json.dumps(asyncio.run(main(a.url, a.connections, a.seconds))))
