from .env import DEBUG, env

__all__ = [
    "WEBHOOK_ALLOW_PRIVATE_HOSTS",
    "WEBHOOK_DISABLE_AFTER_FAILURES",
    "WEBHOOK_MAX_ENDPOINTS",
    "WEBHOOK_TIMEOUT_SECONDS",
]

# Endpoints on loopback, private, link-local or otherwise non-public addresses are refused
# (a webhook must not become a way into our own network) unless this is on: in development by
# default, and in the tests for their local receiver.
WEBHOOK_ALLOW_PRIVATE_HOSTS = env.bool("WEBHOOK_ALLOW_PRIVATE_HOSTS", default=DEBUG)
# Seconds to connect, and to wait for the receiver's answer.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# Failed attempts in a row (no success between) after which an endpoint is disabled; one that
# has failed for a day is disabled whatever the count.
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=15)
WEBHOOK_MAX_ENDPOINTS = env.int("WEBHOOK_MAX_ENDPOINTS", default=20)
