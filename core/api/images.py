"""Images as the API answers them: every variant as {url, width, height, format}, absolute URLs
(docs/api.md, "Images"). Read from the row's own `<field>_variants`: no extra query."""

from typing import Any

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

VARIANT_SCHEMA = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "description": "Absolute URL"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "format": {"type": "string", "enum": ["webp", "jpeg", "png"]},
    },
    "required": ["url", "width", "height", "format"],
}


def absolute(request: Any, url: str) -> str:
    if request is None or url.startswith(("http://", "https://")):
        return url
    return request.build_absolute_uri(url)


@extend_schema_field(
    {
        "type": "array",
        "items": VARIANT_SCHEMA,
        "description": "The image at the sizes clients show, WebP first with a JPEG or PNG "
        "fallback per size; only the original until they are made; [] without an image",
    }
)
class ImageVariantsField(serializers.Field):
    """`source` is the row's `<field>_variants` list."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        request = self.context.get("request")
        return [
            {
                "url": absolute(request, default_storage.url(entry["name"])),
                "width": entry["width"],
                "height": entry["height"],
                "format": entry["format"],
            }
            for entry in entries or []
        ]
