"""Uploaded images (avatars, team logos, tournament banners): checked and re-encoded.

`clean_image(upload)` is the one gate every image upload goes through. It refuses what is not
a real image, what is too large in bytes or in pixels (decompression bombs), and returns a new
file re-encoded from the decoded pixels, so EXIF (GPS positions, camera serials) and anything
smuggled after the image data never reach storage.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ValidationError

# 4096 x 4096 is far beyond any avatar, logo or banner we show; larger is refused outright.
MAX_IMAGE_PIXELS = 4096 * 4096
_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}


def _refuse(message: str, field: str) -> ValidationError:
    return ValidationError(message, details={field: [message]})


def clean_image(
    upload: UploadedFile,
    *,
    field: str = "image",
    max_bytes: int | None = None,
    max_pixels: int = MAX_IMAGE_PIXELS,
) -> ContentFile:
    """Validate an uploaded image and return a re-encoded copy without metadata.

    Raises core.errors.ValidationError (400, details keyed by `field`) for a non-image, an
    oversized file, or an image whose pixel count exceeds `max_pixels`.
    """
    limit = max_bytes if max_bytes is not None else settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse(f"The file is larger than {limit // 1024} KiB.", field)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(f"The file is larger than {limit // 1024} KiB.", field)

    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if width * height > max_pixels:
                    raise _refuse(
                        f"The image is too large ({width}x{height} pixels).",
                        field,
                    )
                if fmt not in _FORMATS:
                    raise _refuse("Upload a JPEG, PNG, WebP or GIF image.", field)
                probe.verify()  # structural check without decoding the pixels
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)  # keep the orientation EXIF described
                out_format = "PNG" if fmt == "GIF" else fmt
                if out_format == "JPEG" and image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                elif out_format != "JPEG" and image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                buffer = io.BytesIO()
                # Saving the decoded pixels without `exif=` drops every metadata block.
                image.save(buffer, format=out_format, **({"quality": 88} if fmt == "JPEG" else {}))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("The image is too large to process.", field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(
            "Upload a valid image: the file is not an image or is corrupted.", field
        ) from None

    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{_FORMATS[fmt]}")
