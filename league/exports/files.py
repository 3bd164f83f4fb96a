"""Where export files go: the private storage, never under MEDIA_URL."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


def export_storage() -> Storage:
    """The ``"private"`` storage if configured, else PRIVATE_MEDIA_ROOT (no URL)."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def export_path(*, job_id: int, extension: str) -> str:
    return f"exports/{job_id}-{uuid.uuid4().hex}.{extension}"
