"""Variants on local storage (core/media/variants.py, core/services/media.py): the sizes the
product shows, WebP with a fallback, content-hash names, and no metadata in any of them."""

import hashlib
import io
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from core.media.images import clean_image
from core.media.variants import render_variants, target_size
from core.services.media import image_put
from tests.factories import TeamFactory, TournamentFactory, UserFactory
from tests.support.media import has_metadata, image_bytes, image_upload

pytestmark = pytest.mark.django_db


def _decoded(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


def test_sizes_fit_the_box_or_the_width_and_never_enlarge() -> None:
    assert target_size("logo", 64, 300, 200) == (64, 43)
    assert target_size("avatar", 256, 200, 300) == (171, 256)
    assert target_size("banner", 640, 3000, 2000) == (640, 427)
    assert target_size("banner", 1280, 800, 400) == (800, 400)  # smaller than asked: as it is


def test_a_small_original_gets_each_size_once() -> None:
    variants = render_variants(image_bytes("PNG", (50, 50)), "logo")
    assert {(v.width, v.height) for _, v in variants} == {(50, 50)}
    assert sorted(v.format for _, v in variants) == ["jpeg", "webp"]


def test_transparency_falls_back_to_png_and_opaque_to_jpeg() -> None:
    alpha = {v.format for _, v in render_variants(image_bytes("PNG", alpha=True), "logo")}
    opaque = {v.format for _, v in render_variants(image_bytes("JPEG"), "logo")}
    assert alpha == {"webp", "png"} and opaque == {"webp", "jpeg"}


@pytest.mark.parametrize(
    ("factory", "field", "expected"),
    [
        (UserFactory, "avatar", {64: (64, 43), 256: (256, 171)}),
        (TeamFactory, "logo", {64: (64, 43), 96: (96, 64), 256: (256, 171)}),
    ],
)
def test_variants_are_made_after_commit_at_the_product_sizes(
    django_capture_on_commit_callbacks: Any, factory: Any, field: str, expected: dict
) -> None:
    row = factory()
    with django_capture_on_commit_callbacks(execute=True):
        image_put(row, field, clean_image(image_upload("JPEG", (300, 200)), field=field))
        row.save()
    row.refresh_from_db()
    entries = getattr(row, f"{field}_variants")
    assert {(e["size"], e["format"]) for e in entries} == {
        (size, fmt) for size in expected for fmt in ("webp", "jpeg")
    }
    for entry in entries:
        image = _decoded(entry["name"])
        assert image.size == (entry["width"], entry["height"]) == expected[entry["size"]]
        assert image.format == {"webp": "WEBP", "jpeg": "JPEG"}[entry["format"]]


def test_banner_variants_are_640_and_1280_wide(django_capture_on_commit_callbacks: Any) -> None:
    tournament = TournamentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        image_put(tournament, "banner", clean_image(image_upload("PNG", (2000, 1000))))
        tournament.save()
    tournament.refresh_from_db()
    sizes = {(e["width"], e["height"]) for e in tournament.banner_variants}
    assert sizes == {(640, 320), (1280, 640)}


def test_names_are_content_hashes_and_no_variant_has_metadata(
    django_capture_on_commit_callbacks: Any,
) -> None:
    team = TeamFactory()
    assert has_metadata(image_bytes("JPEG", (400, 400)))  # what the client sends has EXIF
    upload = image_upload("JPEG", (400, 400))
    with django_capture_on_commit_callbacks(execute=True):
        image_put(team, "logo", clean_image(upload, field="logo"))
        team.save()
    team.refresh_from_db()
    folder = team.logo.name.rsplit(".", 1)[0]
    for entry in team.logo_variants:
        with default_storage.open(entry["name"], "rb") as stored:
            data = stored.read()
        digest = hashlib.sha256(data).hexdigest()[:20]
        ext = {"webp": "webp", "jpeg": "jpg"}[entry["format"]]
        assert entry["name"] == f"{folder}/{digest}-{entry['size']}.{ext}"
        assert not has_metadata(data), entry["name"]
