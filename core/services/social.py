"""Sign-in with a Google token through social-auth (core/auth/google.py does the checking)."""

import logging
from typing import Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from social_core.exceptions import SocialAuthBaseException
from social_django.utils import load_backend, load_strategy

from core.errors import ApplicationError, Conflict, Unavailable
from core.models import User
from core.services.users import AccountSuspended

log = logging.getLogger(__name__)


class GoogleAuthFailed(ApplicationError):
    code = "google_auth_failed"
    http_status = 400


def google_sign_in(
    *, request: HttpRequest, token: str, token_type: Literal["access_token", "id_token"]
) -> tuple[User, bool]:
    """Return (user, created) for a Google access or ID token."""
    if not settings.SOCIAL_AUTH_GOOGLE_OAUTH2_KEY:
        raise Unavailable("Google sign-in is not configured on this server (GOOGLE_CLIENT_ID).")
    strategy = load_strategy(request)
    backend = load_backend(strategy, "google-oauth2", redirect_uri=None)
    try:
        with transaction.atomic():
            user = backend.do_auth(token, token_type=token_type)
    except SocialAuthBaseException as exc:
        log.info("google sign-in refused: %s", exc)
        raise GoogleAuthFailed(
            "Google did not accept this token.", details={"reason": str(exc)[:200]}
        ) from None
    except IntegrityError:  # two first sign-ins of the same person raced; the other one won
        raise Conflict("This Google account was just linked; sign in again.") from None
    if not isinstance(user, User):
        raise GoogleAuthFailed("Google sign-in did not complete.")
    if not user.is_active:
        raise AccountSuspended("This account is suspended. Contact support.")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user, bool(getattr(user, "is_new", False))
