"""The server the benchmarks run: config.asgi's application (the production entry point, with its
GC tuning) under bench settings, which add the bare view and the query counter."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench import querycount

querycount.install()

if os.environ.get("BENCH_TRACEMALLOC"):
    import tracemalloc

    tracemalloc.start(8)

from config.asgi import application  # noqa: E402

__all__ = ["application"]
