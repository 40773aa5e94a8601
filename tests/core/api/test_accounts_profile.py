"""core/api/accounts/ profile endpoints: the own profile (with avatar uploads), public profiles
and host verification submissions."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationError
from core.media.images import clean_image
from core.models import HostProfile, User
from tests.factories import GameProfileFactory, HostFactory, UserFactory, game, team_with_roster
from tests.support.api import assert_error, jwt_client_for

pytestmark = pytest.mark.django_db
URL = "/api/accounts/profile/"


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 64), exif: bool = False) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    kwargs: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        data[0x0131] = "GPS-leaking-software"  # Software
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload(data: bytes, name: str = "a.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_get_own_profile() -> None:
    user = UserFactory(display_name="Ace", phone="+91 98765 43210")
    GameProfileFactory(user=user, game=game("bgmi"), in_game_name="AceBG", in_game_id="5123")
    body = jwt_client_for(user).get(URL).json()
    assert body["display_name"] == "Ace" and body["email"] == user.email
    assert body["game_profiles"] == [
        {
            "game": "bgmi",
            "game_name": game("bgmi").name,
            "in_game_name": "AceBG",
            "in_game_id": "5123",
        }
    ]


def test_profile_needs_sign_in() -> None:
    assert_error(jwt_client_for().get(URL), 401, "not_authenticated")


def test_patch_profile_fields_and_game_identities() -> None:
    user = UserFactory()
    GameProfileFactory(user=user, game=game("codm"))
    response = jwt_client_for(user).patch(
        URL,
        {
            "display_name": "Zed",
            "bio": "IGL",
            "phone": "+91 90000 00000",
            "game_profiles": [
                {"game": "bgmi", "in_game_name": "ZedBG", "in_game_id": "51000001"},
                {"game": "free-fire", "in_game_name": "ZedFF", "in_game_id": "99"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.phone) == ("Zed", "IGL", "+91 90000 00000")
    slugs = sorted(user.game_profiles.values_list("game__slug", flat=True))
    assert slugs == ["bgmi", "free-fire"]  # codm, not listed, was removed


def test_profile_mass_assignment_is_ignored() -> None:
    user = UserFactory(email_verified_at=None)
    response = jwt_client_for(user).patch(
        URL,
        {
            "role": "host",
            "is_staff": True,
            "is_superuser": True,
            "email_verified_at": "2020-01-01T00:00:00Z",
            "email": "hijack@example.com",
            "username": "renamed",
            "bio": "ok",
        },
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.role == User.Role.PLAYER and not user.is_staff and not user.is_superuser
    assert user.email_verified_at is None and user.email != "hijack@example.com"
    assert user.username != "renamed" and user.bio == "ok"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"phone": "call me"}, "phone"),
        ({"game_profiles": [{"game": "chess", "in_game_name": "a", "in_game_id": "1"}]}, None),
        (
            {
                "game_profiles": [
                    {"game": "bgmi", "in_game_name": "a", "in_game_id": "1"},
                    {"game": "bgmi", "in_game_name": "b", "in_game_id": "2"},
                ]
            },
            None,
        ),
        ({"game_profiles": [{"game": "bgmi"}]}, "game_profiles"),
    ],
)
def test_profile_refusals(payload: dict, field: str | None) -> None:
    user = UserFactory(phone="")
    body = assert_error(jwt_client_for(user).patch(URL, payload, format="json"), 400)
    assert "game_profiles" in body["details"] or field in body["details"]
    assert not user.game_profiles.exists()


def test_put_resets_what_is_not_sent() -> None:
    user = UserFactory(bio="old bio", phone="+91 90000 00000")
    GameProfileFactory(user=user)
    response = jwt_client_for(user).put(URL, {"display_name": "Only"}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.bio, user.phone) == ("Only", "", "")
    assert not user.game_profiles.exists()


def test_avatar_upload_is_reencoded_without_exif() -> None:
    user = UserFactory()
    raw = image_bytes("JPEG", exif=True)
    assert b"SecretCamera" in raw
    response = jwt_client_for(user).patch(
        URL, {"avatar": upload(raw, "me.jpg", "image/jpeg")}, format="multipart"
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    stored = user.avatar.read()
    assert b"SecretCamera" not in stored and b"GPS-leaking" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (64, 64)
        assert not image.getexif()
    assert response.json()["avatar"].endswith(".jpg")


def test_multipart_profile_accepts_game_profiles_as_json() -> None:
    user = UserFactory()
    response = jwt_client_for(user).patch(
        URL,
        {
            "avatar": upload(image_bytes()),
            "game_profiles": '[{"game": "bgmi", "in_game_name": "X", "in_game_id": "7"}]',
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert user.game_profiles.get().in_game_id == "7"


def test_avatar_can_be_removed() -> None:
    user = UserFactory()
    jwt_client_for(user).patch(URL, {"avatar": upload(image_bytes())}, format="multipart")
    user.refresh_from_db()
    assert user.avatar
    response = jwt_client_for(user).patch(URL, {"avatar": None}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.avatar


def test_avatar_refusals(settings: Any) -> None:
    user = UserFactory()
    client = jwt_client_for(user)
    not_image = upload(b"<?php echo 'hi'; ?>", "evil.png")
    body = assert_error(client.patch(URL, {"avatar": not_image}, format="multipart"), 400)
    assert "avatar" in body["details"]
    settings.MAX_UPLOAD_BYTES = 1000
    big = upload(image_bytes(size=(400, 400)) + b"\0" * 2000)
    assert_error(client.patch(URL, {"avatar": big}, format="multipart"), 400)
    user.refresh_from_db()
    assert not user.avatar


def test_decompression_bomb_is_refused() -> None:
    # A tiny PNG that claims 20000 x 20000 pixels: refused before its pixels are decoded.
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) < 200_000
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(data), field="logo")
    assert "logo" in caught.value.details
    response = jwt_client_for(UserFactory()).patch(
        URL, {"avatar": upload(data)}, format="multipart"
    )
    assert_error(response, 400, "validation_error")


def test_player_public_profile() -> None:
    team = team_with_roster(size=2)
    player = team.memberships.first().user
    body = jwt_client_for().get(f"/api/accounts/players/{player.pk}/").json()
    assert body["username"] == player.username
    assert body["teams"][0]["name"] == team.name and body["teams"][0]["role"] == "captain"
    assert body["stats"] == {"tournaments_played": 0, "teams": 1, "games": []}
    assert "email" not in body and "phone" not in body


def test_a_public_profile_shows_in_game_names_not_ids() -> None:
    profile = GameProfileFactory(in_game_name="RiyaOP", in_game_id="5123456789")
    body = jwt_client_for().get(f"/api/accounts/players/{profile.user.pk}/").json()
    assert body["game_profiles"] == [
        {"game": profile.game.slug, "game_name": profile.game.name, "in_game_name": "RiyaOP"}
    ]
    own = jwt_client_for(profile.user).get("/api/accounts/profile/").json()
    assert own["game_profiles"][0]["in_game_id"] == "5123456789"


def test_public_profiles_hide_suspended_and_wrong_kind() -> None:
    suspended = UserFactory(is_active=False)
    assert_error(jwt_client_for().get(f"/api/accounts/players/{suspended.pk}/"), 404, "not_found")
    player = UserFactory()
    assert_error(jwt_client_for().get(f"/api/accounts/hosts/{player.pk}/"), 404)


def test_host_public_profile() -> None:
    host = HostFactory()
    body = jwt_client_for().get(f"/api/accounts/hosts/{host.pk}/").json()
    assert body["verified"] is True and body["organization"] == "Test Org"
    assert body["stats"]["tournaments_hosted"] == 0
    assert "email" not in body


def test_host_submits_and_resubmits_verification_with_a_document() -> None:
    host = UserFactory(role=User.Role.HOST)
    HostProfile.objects.create(user=host, status=HostProfile.Status.REJECTED, rejection_reason="x")
    pdf = SimpleUploadedFile("kyc.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
    response = jwt_client_for(host).post(
        "/api/accounts/host-verification/",
        {
            "organization": "Lan Kings",
            "contact_name": "Ravi",
            "details": "We run weekly BGMI scrims",
            "website": "https://lankings.example.com",
            "document": pdf,
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    profile = HostProfile.objects.get(user=host)
    assert profile.status == HostProfile.Status.SUBMITTED and profile.submitted_at
    assert profile.rejection_reason == "" and profile.document.name.endswith(".pdf")
    assert (
        jwt_client_for(host).get("/api/accounts/host-verification/").json()["status"] == "submitted"
    )


def test_host_verification_refusals() -> None:
    url = "/api/accounts/host-verification/"
    data = {"organization": "Org", "contact_name": "Me"}
    assert_error(jwt_client_for(UserFactory()).post(url, data), 403, "forbidden")
    approved = HostFactory()
    assert_error(jwt_client_for(approved).post(url, data), 409, "conflict")
    host = UserFactory(role=User.Role.HOST)
    body = assert_error(jwt_client_for(host).post(url, {"contact_name": "Me"}), 400)
    assert "organization" in body["details"]
    exe = SimpleUploadedFile("doc.pdf", b"MZ\x90\x00binary", "application/pdf")
    body = assert_error(
        jwt_client_for(host).post(url, {**data, "document": exe}, format="multipart"), 400
    )
    assert "document" in body["details"]
    assert not HostProfile.objects.filter(user=host, status="submitted").exists()
