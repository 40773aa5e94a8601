"""core/media/images.py: `clean_image`, the one gate of every image upload: re-encoded from the
decoded pixels (no EXIF, nothing smuggled after the image), orientation kept, GIF stored as
PNG, and refused when not an image, too many bytes, too many pixels or an unsupported format."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.errors import ValidationError
from core.media.images import clean_image


def encoded(fmt: str, size: tuple[int, int] = (40, 20), **save: Any) -> bytes:
    buffer = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, size).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, name: str = "x.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.parametrize(("fmt", "suffix"), [("JPEG", ".jpg"), ("PNG", ".png"), ("WEBP", ".webp")])
def test_each_format_is_re_encoded_as_itself(fmt: str, suffix: str) -> None:
    cleaned = clean_image(upload(encoded(fmt)))
    assert cleaned.name.endswith(suffix)
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert (image.format, image.size) == (fmt, (40, 20))


def test_a_gif_is_stored_as_a_png() -> None:
    cleaned = clean_image(upload(encoded("GIF"), "a.gif"))
    with Image.open(io.BytesIO(cleaned.read())) as image:
        assert cleaned.name.endswith(".png") and image.format == "PNG"


def test_exif_and_trailing_bytes_are_dropped_and_orientation_kept() -> None:
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    data = encoded("JPEG", exif=exif.tobytes()) + b"<?php system($_GET['c']); ?>"
    stored = clean_image(upload(data, "me.jpg")).read()
    assert b"SecretCamera" not in stored and b"<?php" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (20, 40)  # turned upright, as the EXIF said
        assert not image.getexif()


@pytest.mark.parametrize(
    ("data", "kwargs", "message"),
    [
        (b"not an image at all", {}, "not an image or is corrupted"),
        (encoded("PNG")[:60], {}, "not an image or is corrupted"),
        (encoded("BMP"), {}, "Upload a JPEG, PNG, WebP or GIF image."),
        (encoded("PNG", (100, 100)), {"max_pixels": 99 * 99}, "too large (100x100 pixels)"),
        (encoded("PNG") + b"\0" * 2000, {"max_bytes": 1024}, "larger than 1 KiB"),
    ],
)
def test_refusals_name_the_field(data: bytes, kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(data), field="logo", **kwargs)
    assert message in caught.value.message
    assert list(caught.value.details) == ["logo"]


def test_the_byte_limit_defaults_to_the_setting(settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 50
    with pytest.raises(ValidationError, match="larger than 0 KiB"):
        clean_image(upload(encoded("PNG")))
