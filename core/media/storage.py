"""Where files live: the public storage (images anyone may load) and the private one.

Private files (host identity documents, future evidence) are never given a public URL. On the
local disk they live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and its `/media/` URL; on S3
in a private bucket or prefix whose objects are private. Either way a caller who passed the API's
own check gets `private_url(name)`: a link that works for PRIVATE_URL_SECONDS only (S3's
presigned URL, or on local disk this server's own signed link to `private_file_page`).
"""

import os
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, Storage
from django.urls import reverse

from core.models.storage import private_storage

_SALT = "core.media.private-file"


class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files: under PRIVATE_MEDIA_ROOT, and no URL of their own."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(base_url="/", **kwargs)

    @property
    def base_location(self) -> str:  # read each time: tests and settings may move it
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("A private file has no public URL: use core.media.storage.private_url.")


def is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def private_url(name: str) -> str:
    """A link to a private file that stops working after PRIVATE_URL_SECONDS."""
    seconds = settings.PRIVATE_URL_SECONDS
    if is_local(private_storage):
        token = signing.dumps(name, salt=_SALT)
        return reverse("private-file", kwargs={"token": token})
    return private_storage.url(name, expire=seconds)  # type: ignore[call-arg]


def private_name_from_token(token: str) -> str | None:
    """The file a signed local link names, or None once it expired or was tampered with."""
    try:
        return signing.loads(token, salt=_SALT, max_age=settings.PRIVATE_URL_SECONDS)
    except signing.BadSignature:
        return None
