"""Every benchmark at a tiny size, to keep them working (CI). It judges nothing about speed:
it fails only when a benchmark breaks, loses a message, or a socket fails to connect.

    bench/smoke     (or .venv/bin/python -m bench.smoke)
"""

import asyncio
import sys
import time

from bench import fanout, rest, soak, storm, submit, twoproc
from bench.common import make_room


async def main() -> bool:
    started = time.monotonic()
    room = make_room(teams=8)
    checks = [
        (
            "fanout",
            fanout,
            [
                "--sizes",
                "20",
                "--submits",
                "3",
                "--client-procs",
                "1",
                "--servers",
                "daphne,uvicorn-lean",
            ],
        ),
        ("submit", submit, ["--submits", "5"]),
        ("storm", storm, ["--sizes", "20", "--client-procs", "1", "--servers", "uvicorn-lean"]),
        ("twoproc", twoproc, ["--sizes", "10", "--submits", "3", "--client-procs", "2"]),
        ("rest", rest, ["--seconds", "0.5", "--rounds", "1", "--connections", "2"]),
        # The soak for one minute: both faults happen, and nothing may be lost across them.
        ("soak", soak, ["--minutes", "1", "--spectators", "200", "--submit-every", "5"]),
    ]
    ok = True
    for name, module, argv in checks:
        passed = await module.main(module.parser().parse_args([*argv, "--no-readme"]), room)
        print(f"smoke {name}: {'ok' if passed else 'FAILED'}", flush=True)
        ok = ok and passed
    print(f"bench smoke {'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return ok


if __name__ == "__main__":
    sys.exit(0 if asyncio.run(main()) else 1)
