"""How submissions are written to private storage (``league.storage``,
re-exported here): per-team random names, streamed and hashed on the way."""

import hashlib
import logging
import os
import uuid

from django.core.files import File
from django.core.files.storage import Storage

from league.storage import private_storage

logger = logging.getLogger(__name__)

__all__ = ["delete_quietly", "private_storage", "store_streaming", "submission_path"]


def submission_path(*, team_id: int, phase_id: int, original_name: str) -> str:
    """A per-team path with a random name; the participant's name is kept only in the row."""
    extension = os.path.splitext(original_name)[1].lower()[:10]
    return f"submissions/team-{team_id}/phase-{phase_id}/{uuid.uuid4().hex}{extension}"


class _HashingReader:
    """Wraps an open file: every byte read also feeds SHA-256 and a byte count.

    A storage backend may read the file, rewind to the start and read it
    again (a retried upload, a checksum pass): rewinding starts the count over.
    """

    def __init__(self, fileobj):
        self._fileobj = fileobj
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0

    def read(self, size: int = -1) -> bytes:
        data = self._fileobj.read(size)
        self.sha256.update(data)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        if offset == 0 and whence == 0:
            self.sha256 = hashlib.sha256()
            self.bytes_read = 0
        return self._fileobj.seek(offset, whence)

    def tell(self) -> int:
        return self._fileobj.tell()

    def seekable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._fileobj.closed

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        """The caller owns the wrapped file."""


def store_streaming(*, storage: Storage, name: str, fileobj, size: int) -> tuple[str, str, int]:
    """Save ``fileobj`` under ``name`` chunk by chunk, hashing on the way.

    Never reads the whole file into memory, and never moves a temporary
    upload (that would skip the hash). Returns (stored name, sha256, bytes).
    Call it outside any transaction: a copy to a remote bucket can take
    minutes, and no row lock should wait for it.
    """
    fileobj.seek(0)
    reader = _HashingReader(fileobj)
    content = File(reader, name=name)
    content.size = size
    try:
        stored = storage.save(name, content)
    except BaseException:
        # A copy that broke off may leave a partial file under the new,
        # random name asked for (never another file's).
        delete_quietly(storage, [name])
        raise
    return stored, reader.sha256.hexdigest(), reader.bytes_read


def delete_quietly(storage: Storage, names) -> None:
    """Remove files written for an intake that did not happen. A failure to
    delete must not hide the reason the intake failed."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("could not delete %s after a failed intake", name)
