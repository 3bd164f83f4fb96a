"""Private storage: submissions, answer keys and challenge data never live
under MEDIA_URL.

A ``"private"`` entry in ``settings.STORAGES`` (for example django-storages'
S3 backend with a private bucket) wins; otherwise files go to a
FileSystemStorage rooted at ``PRIVATE_MEDIA_ROOT`` with no URL at all, so
the only way out is a permission-checked download view.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def private_storage() -> Storage:
    if "private" in settings.STORAGES:
        return storages["private"]
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
