"""Domain errors: one family with a stable `code`, mapped to HTTP and websocket errors at the edge.

Services raise these; views and consumers never build error bodies by hand.
"""

from typing import Any


class ApplicationError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class ValidationError(ApplicationError):
    code = "validation_error"
    http_status = 400


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    http_status = 401


class PermissionDenied(ApplicationError):
    code = "forbidden"
    http_status = 403


class NotFound(ApplicationError):
    code = "not_found"
    http_status = 404


class Conflict(ApplicationError):
    code = "conflict"
    http_status = 409


class RateLimited(ApplicationError):
    code = "rate_limited"
    http_status = 429


class Unavailable(ApplicationError):
    code = "unavailable"
    http_status = 503
