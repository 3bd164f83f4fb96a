"""Private storage: submissions, answer keys and challenge data never live
under MEDIA_URL.

A ``"private"`` entry in ``settings.STORAGES`` (django-storages' S3 backend
with a private bucket, built from the environment in league/settings.py)
wins; otherwise files go to a FileSystemStorage rooted at
``PRIVATE_MEDIA_ROOT`` with no URL at all, so the only way out is a
permission-checked download view.

Everything that reads these files goes through the storage API (open,
size, delete), never a file-system path, so web servers and workers on
other machines share one bucket.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


def _configured() -> Storage:
    if "private" in settings.STORAGES:
        return storages["private"]
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class _PrivateStorage(LazyObject):
    """The configured private storage, built on first use. File fields hold
    this object, so they follow the settings rather than freezing the
    storage chosen at import time."""

    def _setup(self):
        self._wrapped = _configured()


_private = _PrivateStorage()


def private_storage() -> Storage:
    return _private


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    """Settings change only under test (override_settings): rebuild on next use."""
    if setting in ("STORAGES", "PRIVATE_MEDIA_ROOT"):
        _private._wrapped = empty
