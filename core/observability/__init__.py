"""What operators watch (docs/operations.md): Prometheus metrics, the request id in every log
line, JSON logs, optional Sentry. At the bottom of core's layers, beside core.errors, so that
every layer and every app (realtime, billing, config) may count and log through it; it imports
nothing of the project."""
