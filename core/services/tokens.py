"""Tokens: the JWT pair handed to clients, refresh rotation, and email-verification tokens."""

from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from core.errors import NotAuthenticated, ValidationError
from core.models import User

EMAIL_VERIFICATION_SALT = "core.accounts.email-verification"


class TokenInvalid(NotAuthenticated):
    code = "token_not_valid"


def token_pair_for(user: User) -> dict[str, str]:
    """A fresh refresh token (recorded as outstanding, so it can be revoked) and its access."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def _parse_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)  # checks signature, expiry, type and the blacklist
    except TokenError as exc:
        raise TokenInvalid(str(exc)) from None


def _claim(refresh: RefreshToken) -> None:
    """Blacklist a refresh token exactly once: of two concurrent uses, one wins, one is 401.

    BlacklistedToken.token is one-to-one, so the INSERT itself is the atomic test-and-set that
    simplejwt's check-then-blacklist lacks.
    """
    jti = refresh[jwt_settings.JTI_CLAIM]
    user_id = refresh.payload.get(jwt_settings.USER_ID_CLAIM)
    outstanding, _ = OutstandingToken.objects.get_or_create(
        jti=jti,
        defaults={
            "user_id": user_id,
            "token": str(refresh),
            "expires_at": datetime.fromtimestamp(refresh["exp"], tz=UTC),
        },
    )
    try:
        with transaction.atomic():
            BlacklistedToken.objects.create(token=outstanding)
    except IntegrityError:
        raise TokenInvalid("Token is blacklisted") from None


def refresh_rotate(*, raw_refresh: str) -> dict[str, str]:
    """Exchange a refresh token for a new pair; the old refresh token stops working."""
    refresh = _parse_refresh(raw_refresh)
    user = User.objects.filter(pk=refresh.payload.get(jwt_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active:
        raise TokenInvalid("No active account found for the given token.")
    _claim(refresh)
    return token_pair_for(user)


def refresh_revoke(*, raw_refresh: str, user: User | None = None) -> None:
    """Blacklist one refresh token (logout). With `user`, the token must be theirs."""
    refresh = _parse_refresh(raw_refresh)
    if user is not None and str(refresh.payload.get(jwt_settings.USER_ID_CLAIM)) != str(user.pk):
        raise ValidationError(
            "This refresh token belongs to another account.",
            details={"refresh": ["This refresh token belongs to another account."]},
        )
    _claim(refresh)


def refresh_revoke_all(*, user: User) -> int:
    """Blacklist every outstanding, unexpired refresh token of `user`; returns how many."""
    pending = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    tokens = [BlacklistedToken(token=t) for t in pending]
    BlacklistedToken.objects.bulk_create(tokens, ignore_conflicts=True)
    return len(tokens)


def email_verification_token(user: User) -> str:
    """A signed token naming the user and the address being verified (expires by max_age)."""
    return signing.dumps(
        {"uid": user.pk, "email": user.email.strip().lower()}, salt=EMAIL_VERIFICATION_SALT
    )


def email_verification_read(token: str) -> dict[str, Any]:
    """Return the token's payload, or raise ValidationError (expired, forged or malformed)."""
    try:
        payload = signing.loads(
            token, salt=EMAIL_VERIFICATION_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
    except signing.SignatureExpired:
        raise ValidationError(
            "This verification link has expired. Ask for a new one.",
            details={"token": ["expired"]},
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            "This verification link is not valid.", details={"token": ["invalid"]}
        ) from None
    if not isinstance(payload, dict) or "uid" not in payload or "email" not in payload:
        raise ValidationError(
            "This verification link is not valid.", details={"token": ["invalid"]}
        )
    return payload
