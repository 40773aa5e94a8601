"""Metrics, error reports (docs/operations.md). The log format is in logging.py."""

from pathlib import Path

from core.observability.sentry import sentry_init

from .env import env

__all__ = [
    "METRICS_ALLOWED_IPS",
    "METRICS_TOKEN",
    "PROMETHEUS_MULTIPROC_DIR",
    "SENTRY_DSN",
    "WORKER_METRICS_ADDRESS",
    "WORKER_METRICS_PORT",
]

# /metrics answers a scrape that sends `Authorization: Bearer <METRICS_TOKEN>`, or that comes
# from an address (or network) listed here; neither set: nobody. The address is the peer's own
# (REMOTE_ADDR), never X-Forwarded-For, which a client can forge.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])

# Read by prometheus-client itself (from the environment, which .env fills) when it is imported;
# the directory must exist by then, which settings make sure of before anything imports it.
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")
if PROMETHEUS_MULTIPROC_DIR:
    Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)

# A Celery worker serves its own metrics on this port when set (0: not at all), with no token:
# bind it to an address only the scraper reaches.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
WORKER_METRICS_ADDRESS = env.str("WORKER_METRICS_ADDRESS", default="127.0.0.1")

SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
