"""Resized copies of an uploaded image, at the sizes the product shows (settings.IMAGE_VARIANTS).

Pure image work, no models: `render_variants(data, kind)` decodes the (already cleaned) original
once and returns each size as WebP plus a fallback for clients without WebP (JPEG for opaque
images, PNG where there is transparency). Each variant is named by a hash of its own bytes, next
to its original (`team_logos/2026/12/<uuid>/<hash>-96.webp`), so a name never changes content
and a CDN may cache it for ever. Pixels only: no variant carries EXIF or any other metadata.
"""

import hashlib
import io
import posixpath
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from PIL import Image

_QUALITY = {"WEBP": 82, "JPEG": 85}
_EXTENSIONS = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True, slots=True)
class Variant:
    data: bytes
    width: int
    height: int
    format: str  # "webp" | "jpeg" | "png"

    def name_for(self, original: str, size: int) -> str:
        digest = hashlib.sha256(self.data).hexdigest()[:20]
        folder = posixpath.splitext(original)[0]
        ext = _EXTENSIONS[self.format.upper()]
        return f"{folder}/{digest}-{size}.{ext}"

    def entry(self, name: str) -> dict[str, Any]:
        """How a row keeps it (the `<field>_variants` JSON)."""
        return {"name": name, "width": self.width, "height": self.height, "format": self.format}


def target_size(kind: str, size: int, width: int, height: int) -> tuple[int, int]:
    """The variant's dimensions: fitted in a size x size box, or `size` wide; never enlarged."""
    fit, _ = settings.IMAGE_VARIANTS[kind]
    scale = size / max(width, height) if fit == "square" else size / width
    scale = min(scale, 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    image.save(buffer, format=fmt, **({"quality": _QUALITY[fmt]} if fmt in _QUALITY else {}))
    return buffer.getvalue()


def render_variants(data: bytes, kind: str) -> list[tuple[int, Variant]]:
    """Every (size, variant) of one original: WebP and its fallback per size, without repeating
    a size that would come out the same as a smaller one (a small original)."""
    _, sizes = settings.IMAGE_VARIANTS[kind]
    out: list[tuple[int, Variant]] = []
    with Image.open(io.BytesIO(data)) as original:
        original.load()
        source = original.convert("RGBA" if original.mode in ("RGBA", "LA", "P") else "RGB")
    fallback = "PNG" if _has_alpha(source) else "JPEG"
    seen: set[tuple[int, int]] = set()
    for size in sizes:
        dims = target_size(kind, size, *source.size)
        if dims in seen:
            continue
        seen.add(dims)
        resized = source.resize(dims, Image.Resampling.LANCZOS) if dims != source.size else source
        for fmt in ("WEBP", fallback):
            out.append((size, Variant(_encode(resized, fmt), *dims, fmt.lower())))
    return out


def image_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size
