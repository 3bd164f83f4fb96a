"""Serving a challenge's data files: streamed from private storage, one byte
range at a time when asked, or through a short-lived signed URL when the
storage is a cloud bucket."""

import inspect

from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date

from submissions.challenge_rules import RangeNotSatisfiable, byte_range

# How long a signed URL of a cloud storage stays valid, in seconds.
SIGNED_URL_SECONDS = 300
CHUNK = 64 * 1024


class _LimitedReader:
    """Reads at most ``length`` bytes of an open file from ``start``; FileResponse
    streams it chunk by chunk and closes the file at the end."""

    def __init__(self, fileobj, start: int, length: int):
        self._fileobj = fileobj
        self._left = length
        fileobj.seek(start)

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size is None or size < 0 else min(size, self._left)
        data = self._fileobj.read(size)
        self._left -= len(data)
        return data

    def close(self) -> None:
        self._fileobj.close()


def signed_url(storage, name: str, filename: str) -> str | None:
    """A short-lived URL of ``name`` when ``storage`` can sign one (S3-like:
    not the file system, and ``url()`` takes an expiry); None otherwise."""
    if isinstance(storage, FileSystemStorage):
        return None
    try:
        parameters = inspect.signature(storage.url).parameters
    except (TypeError, ValueError):
        return None
    if "expire" not in parameters:
        return None
    kwargs = {"expire": SIGNED_URL_SECONDS}
    if "parameters" in parameters:
        kwargs["parameters"] = {
            "ResponseContentDisposition": content_disposition_header(True, filename)
        }
    return storage.url(name, **kwargs)


def data_file_response(request, challenge_file):
    """The file as an attachment named ``download_name``: 304 when the
    browser's copy is current, 206 for one satisfiable byte range, 416 for a
    range outside the file, else the whole file; never read into memory."""
    storage = challenge_file.file.storage
    filename = challenge_file.download_name or "data"
    url = signed_url(storage, challenge_file.file.name, filename)
    if url:
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response
    etag = f'"{challenge_file.sha256}"' if challenge_file.sha256 else None
    last_modified = int(challenge_file.updated_at.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    size = challenge_file.size or storage.size(challenge_file.file.name)
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "")
    if if_range and if_range not in (etag, http_date(last_modified)):
        wanted = ""  # the browser's part belongs to another version: send it all
    try:
        span = byte_range(wanted, size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    fileobj = storage.open(challenge_file.file.name, "rb")
    start, end = span if span else (0, size - 1)
    length = max(0, end - start + 1)
    response = FileResponse(
        _LimitedReader(fileobj, start, length),
        as_attachment=True,
        filename=filename,
        content_type="application/octet-stream",
        status=206 if span else 200,
    )
    response.block_size = CHUNK
    response["Content-Length"] = str(length)
    if span:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    if etag:
        response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return response
