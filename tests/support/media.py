"""Images for the upload tests: made here, with EXIF, at the sizes a test needs."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def image_bytes(
    fmt: str = "PNG", size: tuple[int, int] = (300, 200), *, alpha: bool = False
) -> bytes:
    """A real image with an EXIF block (a camera and a GPS tag) and a gradient, so resizing has
    something to do."""
    mode = "RGBA" if alpha else "RGB"
    image = Image.new(mode, size, (200, 30, 30, 128) if alpha else (200, 30, 30))
    for x in range(0, size[0], 7):
        image.putpixel((x, x % size[1]), (10, 200, 10, 255) if alpha else (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {1: "N"}  # GPS info
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, exif=exif.tobytes())
    return buffer.getvalue()


def image_upload(
    fmt: str = "PNG", size: tuple[int, int] = (300, 200), *, alpha: bool = False
) -> SimpleUploadedFile:
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    data = image_bytes(fmt, size, alpha=alpha)
    return SimpleUploadedFile(f"picture.{ext}", data, content_type=CONTENT_TYPES[fmt])


def pdf_upload(data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile("kyc.pdf", data, content_type="application/pdf")


def has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif()) or "exif" in image.info or "xmp" in image.info
