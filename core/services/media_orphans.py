"""Files no row refers to any more: uploads whose transaction rolled back, variants of an image
replaced while they were made, whatever a crash left between a commit and its clean-up.

Only the folders uploads go to are walked, and only files older than a grace period count (an
upload whose row is still being written is not an orphan yet). `manage.py media_orphans` lists
them, and deletes them with `--delete`.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from core.models import HostProfile
from core.models.storage import private_storage

from .media import IMAGE_FIELDS


@dataclass(frozen=True, slots=True)
class Orphan:
    storage: str  # "public" | "private"
    name: str


def _top_folder(field: str) -> str:
    return field.split("/")[0]


def _public_references() -> tuple[set[str], set[str]]:
    """(names in use, top folders uploads go to) of the public images."""
    used: set[str] = set()
    folders: set[str] = set()
    for model_class, field in IMAGE_FIELDS.values():
        folders.add(_top_folder(model_class._meta.get_field(field).upload_to))
        rows = model_class.objects.exclude(**{field: ""}).values_list(field, f"{field}_variants")
        for name, variants in rows.iterator():
            used.add(name)
            used.update(entry["name"] for entry in variants or [])
    return used, folders


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in dirs:
        yield from _walk(storage, f"{folder}/{sub}")


def _unused(storage: Storage, folders: set[str], used: set[str], before: datetime) -> list[str]:
    return [
        name
        for folder in sorted(folders)
        for name in _walk(storage, folder)
        if name not in used and storage.get_modified_time(name) < before
    ]


def media_orphans_find(*, grace: timedelta | None = None) -> list[Orphan]:
    """Every stored file of the upload folders that no row names, older than `grace`."""
    if grace is None:
        grace = timedelta(seconds=settings.MEDIA_ORPHAN_GRACE_SECONDS)
    before = timezone.now() - grace
    used, folders = _public_references()
    found = [Orphan("public", n) for n in _unused(default_storage, folders, used, before)]
    documents = set(HostProfile.objects.exclude(document="").values_list("document", flat=True))
    folder = _top_folder(HostProfile._meta.get_field("document").upload_to)
    found += [Orphan("private", n) for n in _unused(private_storage, {folder}, documents, before)]
    return found


def media_orphans_delete(orphans: list[Orphan]) -> int:
    for orphan in orphans:
        (private_storage if orphan.storage == "private" else default_storage).delete(orphan.name)
    return len(orphans)
