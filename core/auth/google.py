"""Google sign-in (social-auth-app-django) for clients that already hold a Google token.

The client posts a Google access token or ID token; the backend asks Google who it belongs to,
and the pipeline (config/settings/social_auth.py) finds or creates the account. The Google
`sub` is the stable account key (UserSocialAuth.uid). An existing account with the same email is
linked only when Google says that email is verified; otherwise sign-in is refused (409), never a
takeover and never a second account with the same address.
"""

import logging
import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from social_core.backends.google import GoogleOAuth2
from social_core.exceptions import AuthResponseError

from core.emailing import email_send_after_commit
from core.errors import Conflict, ValidationError
from core.models import User
from core.services.tokens import refresh_revoke_all
from core.services.users import email_verification_send

log = logging.getLogger(__name__)

USERINFO_URL = "https://www.googleapis.com/oauth2/v3/userinfo"
TOKENINFO_URL = "https://oauth2.googleapis.com/tokeninfo"
GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")


def _as_bool(value: Any) -> bool:
    # userinfo answers a JSON boolean, tokeninfo the string "true"/"false".
    return value is True or (isinstance(value, str) and value.lower() == "true")


class GoogleTokenAuth(GoogleOAuth2):
    name = "google-oauth2"
    # We only ever stored `sub` as the uid: never migrate associations keyed by email.
    LEGACY_ID_KEYS = ()

    def _client_id(self) -> str:
        key, _ = self.get_key_and_secret()
        return key or ""

    def _check_audience(self, info: dict[str, Any], *, keys: tuple[str, ...]) -> None:
        client_id = self._client_id()
        if not client_id or not any(info.get(k) == client_id for k in keys):
            raise AuthResponseError(self, "The Google token was issued to another application.")

    def user_data(self, access_token: str, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """Who the token belongs to, as a userinfo-shaped dict with a boolean email_verified.

        Unlike social-core's Google backend, an unverified email is not an error here: such a
        user may still sign up (unverified); the pipeline decides about existing accounts.
        """
        if kwargs.get("token_type") == "id_token":
            # tokeninfo checks the signature and expiry; the audience is ours to check.
            info = self.get_json(TOKENINFO_URL, params={"id_token": access_token})
            self._check_audience(info, keys=("aud",))
            if info.get("iss") not in GOOGLE_ISSUERS:
                raise AuthResponseError(self, "The ID token was not issued by Google.")
        else:
            # An access token minted for another app must not sign anyone in here.
            token_info = self.get_json(TOKENINFO_URL, params={"access_token": access_token})
            self._check_audience(token_info, keys=("aud", "azp"))
            info = self.get_json(USERINFO_URL, headers={"Authorization": f"Bearer {access_token}"})
            if token_info.get("sub") and info.get("sub") != token_info.get("sub"):
                raise AuthResponseError(self, "Google answered for two different users.")
        info = dict(info)
        info["email_verified"] = _as_bool(info.get("email_verified"))
        return info


def associate_by_verified_email(
    backend: Any, details: dict[str, Any], user: User | None = None, *args: Any, **kwargs: Any
) -> dict[str, Any] | None:
    """Link the Google identity to an existing account with the same email, only when Google
    vouches for the address. An unverified match is refused: linking would hand the account to
    whoever controls that Google account, and creating a second one would duplicate the email."""
    if user is not None:
        return None
    email = (details.get("email") or "").strip()
    if not email:
        raise ValidationError("Google did not share an email address for this account.")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        return None
    response = kwargs.get("response") or {}
    if not response.get("email_verified"):
        raise Conflict(
            "An account with this email already exists, and Google has not verified the "
            "address. Sign in with your password instead, or verify the email with Google first.",
            details={"email": ["unverified_at_google"]},
        )
    if not existing.is_active:
        return {"user": existing, "is_new": False}  # the view refuses suspended accounts
    if existing.email_verified_at is None:
        _claim_unverified_account(existing)
    return {"user": existing, "is_new": False}


def _claim_unverified_account(user: User) -> None:
    """Google proved the address, the account never did: whoever registered it with a password
    may not be the owner (pre-registration takeover), so the password and sessions go."""
    with transaction.atomic():
        user.email_verified_at = timezone.now()
        user.set_unusable_password()
        user.save(update_fields=["email_verified_at", "password"])
        refresh_revoke_all(user=user)
    log.info("unverified account %s claimed through a verified Google email", user.pk)


def _unique_username(seed: str) -> str:
    base = re.sub(r"[^\w.+-]", "", seed)[:24] or "player"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def create_player(
    backend: Any, details: dict[str, Any], user: User | None = None, *args: Any, **kwargs: Any
) -> dict[str, Any] | None:
    """A new player account for a Google identity with no account yet (no password: they sign
    in with Google, or set one through password reset)."""
    if user is not None:
        return None
    response = kwargs.get("response") or {}
    verified = bool(response.get("email_verified"))
    new_user = User(
        username=_unique_username(details.get("username") or ""),
        email=details["email"].strip(),
        role=User.Role.PLAYER,
        display_name=(details.get("fullname") or "")[:60],
        email_verified_at=timezone.now() if verified else None,
    )
    new_user.set_unusable_password()
    new_user.save()
    if verified:
        email_send_after_commit(
            template="welcome",
            to=new_user.email,
            context={"name": new_user.display_name or new_user.username},
        )
    else:
        email_verification_send(user=new_user)
    return {"user": new_user, "is_new": True}
