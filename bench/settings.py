"""Bench-only settings: the project's settings plus the bench URLs (a bare Django JSON view and
a query counter). Never used by the real deployment: only bench/asgi.py selects this module."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
