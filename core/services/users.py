"""Accounts: registration, sign-in, passwords, email verification, suspension."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from core.emailing import email_send_after_commit
from core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationError
from core.models import HostProfile, User

from .audit import audit_record
from .locks import lock_user
from .tokens import (
    email_verification_read,
    email_verification_token,
    refresh_revoke_all,
    token_pair_for,
)

log = logging.getLogger(__name__)

REGISTRABLE_ROLES = (User.Role.PLAYER, User.Role.HOST)


class InvalidCredentials(NotAuthenticated):
    code = "invalid_credentials"


class AccountSuspended(PermissionDenied):
    code = "account_suspended"


def _field_error(field: str, message: str) -> ValidationError:
    return ValidationError(message, details={field: [message]})


def _check_password(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationError(exc.messages[0], details={field: exc.messages}) from None


def _display(user: User) -> str:
    return user.display_name or user.username


def frontend_link(path: str, **params: str) -> str:
    return f"{settings.FRONTEND_URL}{path}?{urlencode(params)}"


def email_verification_send(*, user: User) -> None:
    """Email `user` a verification link (after commit)."""
    link = frontend_link("/verify-email/", token=email_verification_token(user))
    email_send_after_commit(
        template="verify_email",
        to=user.email,
        context={
            "name": _display(user),
            "link": link,
            "expires_hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600,
        },
    )


@transaction.atomic
def user_register(
    *, username: str, email: str, password: str, role: str, display_name: str = ""
) -> User:
    """Create a player or host account (a host also gets a pending host profile) and send the
    verification email once the transaction commits. Staff accounts are never created here."""
    if role not in REGISTRABLE_ROLES:
        raise _field_error("role", "Choose player or host.")
    username, email = username.strip(), email.strip()
    if "@" in username:
        # Sign-in accepts an email or a username; an "@" would make the two ambiguous.
        raise _field_error("username", "A username cannot contain '@'.")
    if User.objects.filter(username__iexact=username).exists():
        raise _field_error("username", "This username is taken.")
    if User.objects.filter(email__iexact=email).exists():
        raise _field_error("email", "An account with this email already exists.")

    user = User(username=username, email=email, role=role, display_name=display_name.strip())
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # a concurrent registration took the name or the address
        raise Conflict(
            "An account with this username or email already exists.",
            details={"email": ["taken"], "username": ["taken"]},
        ) from None
    if role == User.Role.HOST:
        HostProfile.objects.create(user=user)
    email_verification_send(user=user)
    log.info("user registered id=%s role=%s", user.pk, role)
    return user


# Checked against when no account matches, so both paths cost one password hash.
_DUMMY = User(username="-")
_DUMMY.set_password("timing-equaliser")


def user_authenticate(*, identifier: str, password: str) -> User:
    """Return the account for an email or username + password, or raise InvalidCredentials.

    One message for an unknown account and a wrong password, so sign-in does not reveal which
    emails are registered. A suspended account with the right password gets its own answer.
    """
    identifier = identifier.strip()
    lookup = (
        {"email__iexact": identifier} if "@" in identifier else {"username__iexact": identifier}
    )
    user = User.objects.filter(**lookup).first()
    if user is None:
        _DUMMY.check_password(password)
        raise InvalidCredentials("Wrong email/username or password.")
    if not user.check_password(password):
        raise InvalidCredentials("Wrong email/username or password.")
    if not user.is_active:
        raise AccountSuspended("This account is suspended. Contact support.")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    return user


def user_login(*, identifier: str, password: str) -> tuple[User, dict[str, str]]:
    user = user_authenticate(identifier=identifier, password=password)
    return user, token_pair_for(user)


@transaction.atomic
def user_change_password(
    *, actor: User, current_password: str, new_password: str
) -> dict[str, str]:
    """Change the password and sign out every other session.

    Every outstanding refresh token of the user is blacklisted (a stolen one must not survive a
    password change); the caller gets a fresh pair so this client stays signed in. Access tokens
    already issued expire on their own within JWT_ACCESS_MINUTES.
    """
    user = lock_user(actor.pk)
    if not user.check_password(current_password):
        raise _field_error("current_password", "The current password is wrong.")
    _check_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    refresh_revoke_all(user=user)
    return token_pair_for(user)


@transaction.atomic
def user_verify_email(*, token: str) -> User:
    """Mark the address in `token` verified. Idempotent; refuses a token for an old address."""
    payload = email_verification_read(token)
    try:
        user = lock_user(payload["uid"], only_active=True)
    except NotFound:
        raise ValidationError(
            "This verification link is not valid.", details={"token": ["invalid"]}
        ) from None
    if user.email.strip().lower() != payload["email"]:
        raise ValidationError(
            "This link was sent to an address that is no longer on the account. Ask for a new one.",
            details={"token": ["email_changed"]},
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        email_send_after_commit(template="welcome", to=user.email, context={"name": _display(user)})
    return user


def user_resend_verification(*, actor: User | None = None, email: str | None = None) -> None:
    """Send a new verification link to the signed-in user, or to `email` if it belongs to an
    unverified account. Says nothing about whether the address exists."""
    if actor is not None and actor.is_authenticated:
        user: User | None = actor
    else:
        user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None or user.email_verified_at is not None:
        return
    email_verification_send(user=user)


def password_reset_request(*, email: str) -> None:
    """Email a reset link if an active account has this address; otherwise do nothing, with
    the same outcome for the caller (no account enumeration)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    link = frontend_link(
        "/reset-password/",
        uid=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    email_send_after_commit(
        template="password_reset",
        to=user.email,
        context={"name": _display(user), "link": link},
    )


def _reset_user(uid: str, token: str) -> User:
    invalid = ValidationError(
        "This reset link is invalid or has already been used.", details={"token": ["invalid"]}
    )
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        raise invalid from None
    try:
        user = lock_user(pk, only_active=True)
    except NotFound:
        raise invalid from None
    # The token hashes the password and last login, so it is single-use by construction.
    if not default_token_generator.check_token(user, token):
        raise invalid
    return user


def password_reset_check(*, uid: str, token: str) -> bool:
    """Whether a reset link is still usable (for the reset page's form)."""
    try:
        with transaction.atomic():
            _reset_user(uid, token)
    except ValidationError:
        return False
    return True


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    """Set a new password from an emailed link; every outstanding refresh token stops working.

    The link proves control of the address, so an unverified email becomes verified.
    """
    user = _reset_user(uid, token)
    _check_password(new_password, user, field="new_password")
    user.set_password(new_password)
    fields = ["password"]
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        fields.append("email_verified_at")
    user.save(update_fields=fields)
    refresh_revoke_all(user=user)
    return user


@transaction.atomic
def user_set_active(*, actor: User, user_id: int, is_active: bool) -> User:
    """Suspend (is_active=False) or reinstate an account (staff only). Suspension signs it out
    everywhere."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff can suspend or reinstate accounts.")
    user = lock_user(user_id)
    if user.pk == actor.pk:
        raise _field_error("is_active", "You cannot suspend your own account.")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied("Only a superuser can suspend or reinstate a superuser.")
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        if not is_active:
            refresh_revoke_all(user=user)
        action = "user.reinstate" if is_active else "user.suspend"
        audit_record(actor=actor, action=action, target=("user", user.pk))
    log.info("user %s is_active=%s by staff %s", user.pk, is_active, actor.pk)
    return user
