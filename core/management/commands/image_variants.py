"""Make the missing variants of every uploaded image (those uploaded before variants existed,
or whose job was lost). Idempotent: an image that has its variants is left alone."""

from typing import Any

from django.core.management.base import BaseCommand

from core.services.media import image_variants_build, image_variants_missing


class Command(BaseCommand):
    help = "Make the resized variants of every image that lacks them."

    def handle(self, *args: Any, **options: Any) -> None:
        done = 0
        for model, pk, field, name in image_variants_missing():
            made = image_variants_build(model=model, pk=pk, field=field, original=name)
            self.stdout.write(f"{model} {pk} {field}: {made} variant(s)")
            done += 1 if made else 0
        self.stdout.write(f"{done} image(s) given their variants")
