"""Who may do what, as service-level checks that raise domain errors: services call them, so
every face (REST, websocket, admin) shares one rule.

Unverified users can sign in, browse and edit their profile; creating or registering for
tournaments needs a verified email (and creating one needs an approved host).
"""

from typing import Any

from core.errors import NotAuthenticated, PermissionDenied


class EmailNotVerified(PermissionDenied):
    code = "email_not_verified"


class NotAHost(PermissionDenied):
    code = "not_a_host"


class HostNotVerified(PermissionDenied):
    code = "host_not_verified"


def require_verified_email(user: Any, action: str = "continuing") -> None:
    """Raise PermissionDenied (code email_not_verified) unless the user verified their email.

    `action` completes the message: "Verify your email address before creating a tournament."
    """
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Sign in first.")
    if not user.is_email_verified:
        raise EmailNotVerified(
            f"Verify your email address before {action}. "
            "Use the link we emailed you, or ask for a new one at "
            "/api/accounts/verify-email/resend/."
        )


def require_verified_host(user: Any, action: str = "continuing") -> None:
    """Raise PermissionDenied (code host_not_verified) unless the user is an approved host
    with a verified email."""
    require_verified_email(user, action)
    if not user.is_host:
        raise NotAHost(f"Only host accounts can do this: {action}.")
    if not user.is_verified_host:
        raise HostNotVerified(
            f"Your host verification must be approved before {action}. "
            "Submit your details at /api/accounts/host-verification/."
        )


def require_host_or_staff(user: Any, host_id: int, what: str) -> None:
    """`what` (a host's read: check-ins, a match's history) is for the tournament's host and
    staff."""
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Sign in first.")
    if not (user.is_staff or user.pk == host_id):
        raise PermissionDenied(f"{what} is for the tournament's host and staff.")
