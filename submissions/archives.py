"""Safe inspection of zip archives, without ever extracting them to disk.

Everything is read from the archive's central directory and by streaming
each member through the decompressor in small chunks; nothing is written
under the archive's own names, and the headers' declared sizes are never
trusted alone: the bytes are counted as they come out.
"""

import stat
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from league.errors import Violation

CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int
    max_total_bytes: int
    max_ratio: float


def _entry_violation(info: zipfile.ZipInfo) -> Violation | None:
    """Why one entry may not be unpacked anywhere, if it may not. Zip keeps a
    Unix mode in the high half of the external attributes."""
    name = info.filename
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return Violation(
            "archive_absolute_path",
            _("“%(name)s” has an absolute path; use paths inside the archive.") % {"name": name},
        )
    if ".." in normalised.split("/"):
        return Violation(
            "archive_parent_path",
            _("“%(name)s” climbs out of the archive with “..”.") % {"name": name},
        )
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return Violation(
            "archive_link",
            _("“%(name)s” is a link; archives may hold only files and folders.") % {"name": name},
        )
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return Violation(
            "archive_special_file",
            _(
                "“%(name)s” is a device or another special file; archives may hold only "
                "files and folders."
            )
            % {"name": name},
        )
    if info.flag_bits & 0x1:
        return Violation(
            "archive_encrypted",
            _("“%(name)s” is encrypted; send the archive without a password.") % {"name": name},
        )
    return None


def _unreadable() -> Violation:
    return Violation("archive_unreadable", _("The archive is not a readable zip file."))


def _too_large(limit: int) -> Violation:
    return Violation(
        "archive_too_large",
        _("Unpacked, the archive would exceed %(limit)s MB.") % {"limit": limit // 1048576},
        {"max_total_bytes": limit},
    )


def _too_compressed(name: str, limit: float) -> Violation:
    return Violation(
        "archive_ratio",
        _(
            "“%(name)s” is compressed more than %(ratio)s to 1, as archive bombs are; "
            "send it less compressed."
        )
        % {"name": name, "ratio": f"{limit:g}"},
        {"max_ratio": limit, "member": name},
    )


def archive_violations(
    fileobj, *, max_members: int, max_total_bytes: int, max_ratio: float
) -> list[Violation]:
    """Every reason to refuse the zip archive in ``fileobj`` (an open binary
    file, left at offset 0), or none.

    Refused: unreadable archives, absolute paths, ``..`` components, links,
    device and other special files, encrypted members, more than
    ``max_members`` members, more than ``max_total_bytes`` unpacked (declared
    in the headers, and counted while decompressing in chunks), and a member
    compressed more than ``max_ratio`` to 1. Memory stays at one chunk.
    """
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        fileobj.seek(0)
        return [_unreadable()]
    found: list[Violation] = []
    with archive:
        members = archive.infolist()
        if len(members) > max_members:
            found.append(
                Violation(
                    "archive_too_many_members",
                    _("The archive holds %(count)s entries; the limit is %(limit)s.")
                    % {"count": len(members), "limit": max_members},
                    {"max_members": max_members},
                )
            )
        found += [v for v in map(_entry_violation, members) if v is not None]
        declared = sum(info.file_size for info in members)
        if declared > max_total_bytes:
            found.append(_too_large(max_total_bytes))
        for info in members:
            if info.file_size > max_ratio * max(info.compress_size, 1):
                found.append(_too_compressed(info.filename, max_ratio))
        if not found:
            found = _stream_violations(archive, members, max_total_bytes, max_ratio)
    fileobj.seek(0)
    return found


def _stream_violations(archive, members, max_total_bytes, max_ratio) -> list[Violation]:
    """Decompress every member chunk by chunk, counting the bytes that come
    out, in case the headers lie."""
    total = 0
    for info in members:
        if info.is_dir():
            continue
        produced = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    produced += len(chunk)
                    total += len(chunk)
                    if total > max_total_bytes:
                        return [_too_large(max_total_bytes)]
                    if produced > max_ratio * max(info.compress_size, 1):
                        return [_too_compressed(info.filename, max_ratio)]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return [
                Violation(
                    "archive_corrupt",
                    _("“%(name)s” in the archive is damaged and cannot be read.")
                    % {"name": info.filename},
                )
            ]
    return []


def safe_member_names(fileobj, *, limits: ArchiveLimits) -> list[str]:
    """The names of the regular files in an archive that passed
    ``archive_violations`` with the same limits; raises ValueError otherwise."""
    problems = archive_violations(
        fileobj,
        max_members=limits.max_members,
        max_total_bytes=limits.max_total_bytes,
        max_ratio=limits.max_ratio,
    )
    if problems:
        raise ValueError(problems[0].code)
    with zipfile.ZipFile(fileobj) as archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
    fileobj.seek(0)
    return names
