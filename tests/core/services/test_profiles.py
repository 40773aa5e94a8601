"""core/services/profiles.py: a user changes only their own display name, bio and phone; the
avatar is re-encoded, kept when omitted, removed with None (the old file deleted after commit);
game identities are replaced as a whole, each game once and only known games."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationError
from core.models import PlayerGameProfile, User
from core.services.profiles import user_profile_update
from tests.factories import GameProfileFactory, UserFactory, game

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (0, 90, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def identities(user: User) -> dict[str, tuple[str, str]]:
    return {
        p.game.slug: (p.in_game_name, p.in_game_id)
        for p in PlayerGameProfile.objects.filter(user=user).select_related("game")
    }


def test_only_the_editable_fields_change() -> None:
    user = UserFactory(display_name="Old")
    fields = {"display_name": "New", "bio": "IGL", "role": "host", "is_staff": True}
    updated = user_profile_update(actor=user, fields=fields)
    user.refresh_from_db()
    assert (updated.display_name, user.display_name, user.bio) == ("New", "New", "IGL")
    assert (user.role, user.is_staff) == (User.Role.PLAYER, False)


def test_game_identities_are_replaced_as_a_whole() -> None:
    user = UserFactory()
    GameProfileFactory(user=user, game=game("codm"))
    GameProfileFactory(user=user, game=game("bgmi"), in_game_name="Old", in_game_id="1")
    user_profile_update(
        actor=user,
        fields={},
        game_profiles=[
            {"game": "bgmi", "in_game_name": "New", "in_game_id": "2"},
            {"game": "free-fire", "in_game_name": "FF", "in_game_id": "3"},
        ],
    )
    assert identities(user) == {"bgmi": ("New", "2"), "free-fire": ("FF", "3")}
    user_profile_update(actor=user, fields={"bio": "kept"})  # None: identities untouched
    assert set(identities(user)) == {"bgmi", "free-fire"}
    user_profile_update(actor=user, fields={}, game_profiles=[])
    assert identities(user) == {}


@pytest.mark.parametrize(
    ("listed", "message"),
    [
        (["bgmi", "bgmi"], "List each game once."),
        (["bgmi", "chess", "abc"], "Unknown game: abc, chess."),
    ],
)
def test_bad_identities_change_nothing(listed: list[str], message: str) -> None:
    user = UserFactory(bio="before")
    GameProfileFactory(user=user, game=game("codm"))
    rows: list[Any] = [{"game": g, "in_game_name": "n", "in_game_id": "1"} for g in listed]
    with pytest.raises(ValidationError) as caught:
        user_profile_update(actor=user, fields={"bio": "after"}, game_profiles=rows)
    assert caught.value.message == message
    assert caught.value.details == {"game_profiles": [message]}
    user.refresh_from_db()
    assert user.bio == "before" and set(identities(user)) == {"codm"}


def test_the_avatar_is_kept_replaced_or_removed(django_capture_on_commit_callbacks: Any) -> None:
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = user_profile_update(actor=user, fields={}, avatar=png()).avatar.name
    assert first.endswith(".png")
    storage = user.avatar.storage
    user_profile_update(actor=user, fields={"bio": "x"})  # omitted: kept
    user.refresh_from_db()
    assert user.avatar.name == first
    with django_capture_on_commit_callbacks(execute=True):
        second = user_profile_update(actor=user, fields={}, avatar=png()).avatar.name
    assert second != first and storage.exists(second) and not storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        user_profile_update(actor=user, fields={}, avatar=None)
    user.refresh_from_db()
    assert not user.avatar and not storage.exists(second)


def test_a_non_image_avatar_is_refused() -> None:
    user = UserFactory()
    fake = SimpleUploadedFile("me.png", b"<?php ?>" * 20, content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        user_profile_update(actor=user, fields={}, avatar=fake)
    assert "avatar" in caught.value.details
