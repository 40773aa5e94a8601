"""The private storage that private FileFields write to (core/media/storage.py tells the rest).

A FileField binds its storage once, at import; this lazy handle follows settings.STORAGES
["private"] instead, so a changed STORAGES (tests, S3 on or off) is honoured.
"""

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

PRIVATE = "private"


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE]


private_storage: Storage = _PrivateStorage()  # type: ignore[assignment]


def get_private_storage() -> Storage:
    """The `storage=` of private FileFields (a callable keeps settings out of migrations)."""
    return private_storage


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty  # type: ignore[attr-defined]


setting_changed.connect(_storages_changed)
