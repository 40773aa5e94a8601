"""Each pytest-xdist worker gets a Redis database of its own (loaded with `-p`, before Django
reads its settings).

pytest-django already gives every worker its own test database (`…_gw0`, `…_gw1`); Redis has no
such notion, and the suite empties the cache around every test (tests/conftest.py), which on a
shared database would wipe the other worker's throttle counters, tickets and channel groups
mid-test. Worker N uses index base + N of the same server; without xdist nothing changes.
"""

import os
import re

REDIS_DATABASES = 16  # redis-server's default `databases`


def _worker_redis_url(url: str, worker: str) -> str:
    match = re.fullmatch(r"(rediss?://[^/?#]*)(?:/(\d*))?(.*)", url)
    if match is None:
        return url
    base = int(match.group(2) or 0)
    index = (base + int(worker.removeprefix("gw"))) % REDIS_DATABASES
    return f"{match.group(1)}/{index}{match.group(3)}"


_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"], _worker)
