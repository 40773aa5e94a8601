"""A user's own profile: display name, avatar, bio, phone and in-game identities per game."""

from typing import Any, TypedDict

from django.db import transaction

from core.errors import ValidationError
from core.media.images import clean_image
from core.models import Game, PlayerGameProfile, User

from .locks import lock_user
from .media import image_put

# The only fields a user may change on their own account; everything else (role, staff flags,
# verification) is ignored here whatever a client sends.
EDITABLE_FIELDS = ("display_name", "bio", "phone")


class GameIdentity(TypedDict):
    game: str  # game slug
    in_game_name: str
    in_game_id: str


_KEEP = object()


@transaction.atomic
def user_profile_update(
    *,
    actor: User,
    fields: dict[str, Any],
    avatar: Any = _KEEP,
    game_profiles: list[GameIdentity] | None = None,
) -> User:
    """Update the signed-in user's profile.

    `avatar`: an upload (validated and re-encoded), None to remove it, or omitted to keep it.
    `game_profiles`: when given, the full list of in-game identities (one per game slug); games
    not listed are removed.
    """
    user = lock_user(actor.pk)
    changed = []
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(user, name, fields[name])
            changed.append(name)
    if avatar is not _KEEP:
        # Checked before anything changes: a refused upload leaves the old avatar in place.
        image_put(user, "avatar", None if avatar is None else clean_image(avatar, field="avatar"))
        changed += ["avatar", "avatar_variants"]
    if changed:
        user.save(update_fields=changed)
    if game_profiles is not None:
        _replace_game_profiles(user, game_profiles)
    return user


def _replace_game_profiles(user: User, identities: list[GameIdentity]) -> None:
    slugs = [item["game"] for item in identities]
    if len(set(slugs)) != len(slugs):
        raise ValidationError(
            "List each game once.", details={"game_profiles": ["List each game once."]}
        )
    games = {g.slug: g for g in Game.objects.filter(slug__in=slugs, is_active=True)}
    unknown = sorted(set(slugs) - set(games))
    if unknown:
        message = f"Unknown game: {', '.join(unknown)}."
        raise ValidationError(message, details={"game_profiles": [message]})
    PlayerGameProfile.objects.filter(user=user).exclude(game__slug__in=slugs).delete()
    for item in identities:
        PlayerGameProfile.objects.update_or_create(
            user=user,
            game=games[item["game"]],
            defaults={"in_game_name": item["in_game_name"], "in_game_id": item["in_game_id"]},
        )
