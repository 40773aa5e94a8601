"""ASGI entry point (daphne): HTTP through Django, websockets through realtime's routes."""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

# Django must be set up before anything that imports models (the websocket stack does).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from core.observability.metrics import reap_dead_processes  # noqa: E402
from realtime.routing import websocket_application  # noqa: E402

# With PROMETHEUS_MULTIPROC_DIR, a worker that died (and is replaced by this one) left its live
# gauges behind: its sockets would count for ever (docs/operations.md).
reap_dead_processes()

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})

# The cyclic GC dominated the fan-out at thousands of sockets (docs/fanout.md trap 3; profiles in
# bench/README.md): every frame makes many short-lived objects and each collection walks every
# live socket's objects. Everything imported so far lives as long as the process, so freeze it out
# of the collector's sight, and collect the young generation less often.
gc.collect()
gc.freeze()
gc.set_threshold(50_000, 20, 100)
