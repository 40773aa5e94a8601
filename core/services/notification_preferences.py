"""Email preferences per (user, kind) and the signed one-click unsubscribe token
(docs/notifications.md). In-app notifications are always on; only email is a choice."""

from collections.abc import Iterable

from django.conf import settings
from django.core import signing

from core.errors import ValidationError
from core.models import NotificationPreference, User

from .notification_kinds import KINDS, email_default

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


def email_allowed(*, user_ids: Iterable[int], kind: str) -> set[int]:
    """The users (of `user_ids`) whose email for `kind` is on: their row, else the default."""
    user_ids = set(user_ids)
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=user_ids, kind=kind).values_list(
            "user_id", "email"
        )
    )
    default = email_default(kind)
    return {uid for uid in user_ids if chosen.get(uid, default)}


def preferences_get(*, user: User) -> list[dict]:
    """Every catalogued kind that can email, with the user's choice (or the default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [
        {
            "kind": k.name,
            "label": k.label,
            "email": chosen.get(k.name, k.email_default),
            "email_default": k.email_default,
            "grouped": k.quiet,
        }
        for k in KINDS.values()
        if k.template
    ]


def preferences_set(*, user: User, choices: dict[str, bool]) -> list[dict]:
    """Upsert the given kinds' email choices (one statement; concurrent writers both land)."""
    unknown = sorted(k for k in choices if k not in KINDS or not KINDS[k].template)
    if unknown:
        raise ValidationError(
            "Unknown notification kind.", details={"email": [f"No such kind: {unknown[0]}"]}
        )
    _upsert(user.pk, choices)
    return preferences_get(user=user)


def _upsert(user_id: int, choices: dict[str, bool]) -> None:
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user_id=user_id, kind=k, email=v) for k, v in choices.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["email", "updated_at"],
    )


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_link(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return f"{settings.FRONTEND_URL}/unsubscribe/?token={token}"


def unsubscribe_read(*, token: str) -> tuple[User, str]:
    """The (user, kind) a token was made for; a tampered or garbage token is a 400."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = int(payload["u"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            "This unsubscribe link is not valid.", details={"token": ["Invalid token."]}
        ) from exc
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError("This unsubscribe link is not valid.", details={"token": ["Gone."]})
    return user, kind


def unsubscribe(*, token: str) -> tuple[User, str]:
    """Turn the token's kind's email off for the token's user (idempotent)."""
    user, kind = unsubscribe_read(token=token)
    _upsert(user.pk, {kind: False})
    return user, kind
