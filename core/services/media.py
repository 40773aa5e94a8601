"""Uploaded images over their life: set, replaced, removed, resized (docs/api.md, "Images").

The row keeps the original's name in its image field and what to show in `<field>_variants`:
the original alone ({name, width, height, format}) until the variants are made, then the
variants (core/media/variants.py). Every file a change leaves unused (the replaced original and
its variants) is deleted after commit, never before: a rolled-back change keeps what it had, and
a refused upload (400) never reaches here. Variants are made by a Celery job after commit.
"""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import models, transaction

from core import jobs
from core.media.variants import image_size, render_variants
from core.models import Team, Tournament, User

# The images that get variants: a job names its row by these labels.
IMAGE_FIELDS: dict[str, tuple[type[models.Model], str]] = {
    "user": (User, "avatar"),
    "team": (Team, "logo"),
    "tournament": (Tournament, "banner"),
}
_LABELS = {(model, field): label for label, (model, field) in IMAGE_FIELDS.items()}
_FORMATS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "webp": "webp"}


def stored_names(instance: models.Model, field: str) -> list[str]:
    """Every file of one image: its original and its variants."""
    original = getattr(instance, field).name or ""
    names = [entry["name"] for entry in getattr(instance, f"{field}_variants") or []]
    return sorted({name for name in [original, *names] if name})


def files_delete_after_commit(names: list[str], storage: Storage = default_storage) -> None:
    """Delete these files once the current transaction commits (nothing if it rolls back)."""
    if names:
        transaction.on_commit(lambda: _delete(storage, names))


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def image_put(instance: models.Model, field: str, cleaned: ContentFile | None) -> None:
    """Store a cleaned upload as `instance`'s image (None removes it); the caller saves the row.

    The new original is written at once (a rolled-back change leaves it for `media_orphans`);
    after commit the old original and its variants are deleted and the new one's variants are
    made. Until then the row's `<field>_variants` holds the new original alone.
    """
    old = stored_names(instance, field)
    if cleaned is None:
        setattr(instance, field, "")
        setattr(instance, f"{field}_variants", [])
    else:
        entry = _store_original(instance, field, cleaned)
        setattr(instance, f"{field}_variants", [entry])
        label, name = _LABELS[(type(instance), field)], entry["name"]
        transaction.on_commit(  # the pk is read at commit: a new row has one by then
            lambda: jobs.enqueue(
                jobs.IMAGE_VARIANTS, model=label, pk=instance.pk, field=field, original=name
            )
        )
    files_delete_after_commit([n for n in old if n not in stored_names(instance, field)])


def _store_original(instance: models.Model, field: str, cleaned: ContentFile) -> dict[str, Any]:
    data = cleaned.read()
    cleaned.seek(0)
    file = getattr(instance, field)
    file.save(cleaned.name, cleaned, save=False)
    width, height = image_size(data)
    ext = file.name.rsplit(".", 1)[-1].lower()
    return {"name": file.name, "width": width, "height": height, "format": _FORMATS[ext]}


def image_variants_build(*, model: str, pk: int, field: str, original: str) -> int:
    """Make the variants of one original, if it is still the row's image; how many were made.

    Idempotent: a variant's name is its content's hash, so a rerun writes nothing new. When the
    image changed meanwhile, what was made is deleted again and the row is left alone.
    """
    model_class, image_field = IMAGE_FIELDS[model]
    if field != image_field:
        raise ValueError(f"{model} has no image field {field!r}")
    name = original
    rows = model_class.objects.filter(pk=pk, **{field: name})
    if not rows.exists():
        return 0
    storage = getattr(model_class, field).field.storage
    with storage.open(name, "rb") as original:
        data = original.read()
    entries = [_store(storage, variant, variant.name_for(name, size), size)
               for size, variant in render_variants(data, field)]  # fmt: skip
    if not rows.update(**{f"{field}_variants": entries}):
        _delete(storage, [entry["name"] for entry in entries])
        return 0
    return len(entries)


def _store(storage: Storage, variant: Any, name: str, size: int) -> dict[str, Any]:
    if not storage.exists(name):
        stored = storage.save(name, ContentFile(variant.data))
        if stored != name:  # another run stored the same bytes first
            storage.delete(stored)
    return {**variant.entry(name), "size": size}


def image_variants_missing() -> list[tuple[str, int, str, str]]:
    """The images whose variants were never made (uploaded before variants existed, or their
    job was lost): (model, pk, field, name) for each, for the backfill command."""
    missing = []
    for label, (model_class, field) in IMAGE_FIELDS.items():
        rows = model_class.objects.exclude(**{field: ""}).values_list(
            "pk", field, f"{field}_variants"
        )
        for pk, name, variants in rows.iterator():
            if not variants or any(entry.get("name") == name for entry in variants):
                missing.append((label, pk, field, name))
    return missing
