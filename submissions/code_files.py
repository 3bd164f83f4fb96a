"""The files of code challenges: a participant's program (one .py file or a
zip with an entry point) and the organizers' hidden inputs (a zip or a tar).

Archives are checked before anything is unpacked, and unpacked only into a
directory of the run, member by member under sanitized names: never under
the archive's own paths, never a link, never more bytes than announced.
"""

import shutil
import tarfile
import zipfile
from pathlib import Path

from submissions import code_rules
from submissions.archives import ArchiveLimits, archive_violations, safe_member_names

MIB = 1024 * 1024
# A program is source code and small models: a thousand files and 100 MB
# unpacked are plenty; a higher ratio than 100:1 is a bomb.
PROGRAM_LIMITS = ArchiveLimits(max_members=1000, max_total_bytes=100 * MIB, max_ratio=100)
# Hidden inputs come from organizers, but are unpacked on every worker: bounded too.
INPUTS_LIMITS = ArchiveLimits(max_members=20000, max_total_bytes=2048 * MIB, max_ratio=1000)
CHUNK = MIB


def is_archive(name: str) -> bool:
    return name.lower().endswith(".zip")


def program_violations(upload, *, entry_point: str):
    """Every reason to refuse a program archive: unsafe members, clashing
    names, a missing entry point. ``upload`` is left at offset 0."""
    problems = archive_violations(
        upload,
        max_members=PROGRAM_LIMITS.max_members,
        max_total_bytes=PROGRAM_LIMITS.max_total_bytes,
        max_ratio=PROGRAM_LIMITS.max_ratio,
    )
    if problems:
        return problems
    names = safe_member_names(upload, limits=PROGRAM_LIMITS)
    return code_rules.program_name_violations(names=names, entry_point=entry_point)


def _copy_limited(source, target: Path, budget: list[int]) -> None:
    with open(target, "wb") as sink:
        while chunk := source.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise ValueError("more bytes than the archive announced")
            sink.write(chunk)


def _target(root: Path, name: str) -> Path | None:
    clean = code_rules.sanitized_path(name)
    if clean is None:
        return None
    target = root / clean
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def unpack_program(*, stored_file, original_name: str, target: Path) -> None:
    """Write the program into ``target``: a single file as ``main.py``, an
    archive's safe members under their sanitized names. Raises ValueError
    for an archive that no longer passes the checks."""
    target.mkdir(parents=True, exist_ok=True)
    if not is_archive(original_name):
        with open(target / code_rules.DEFAULT_ENTRY_POINT, "wb") as sink:
            shutil.copyfileobj(stored_file, sink, CHUNK)
        return
    names = set(safe_member_names(stored_file, limits=PROGRAM_LIMITS))
    budget = [PROGRAM_LIMITS.max_total_bytes]
    with zipfile.ZipFile(stored_file) as archive:
        for info in archive.infolist():
            if info.is_dir() or info.filename not in names:
                continue
            path = _target(target, info.filename)
            if path is None:
                continue
            with archive.open(info) as member:
                _copy_limited(member, path, budget)


def inputs_violations(fileobj, *, name: str):
    """Why organizers' hidden inputs cannot be used (zip or tar, gzipped or not)."""
    if is_archive(name):
        return archive_violations(
            fileobj,
            max_members=INPUTS_LIMITS.max_members,
            max_total_bytes=INPUTS_LIMITS.max_total_bytes,
            max_ratio=INPUTS_LIMITS.max_ratio,
        )
    fileobj.seek(0)
    try:
        with tarfile.open(fileobj=fileobj, mode="r:*") as archive:
            members = [(m.name, m.isfile() or m.isdir(), m.size) for m in archive]
    except (tarfile.TarError, OSError, EOFError):
        members = None
    fileobj.seek(0)
    return code_rules.tar_violations(members, limits=INPUTS_LIMITS)


def unpack_inputs(*, fileobj, name: str, target: Path) -> None:
    """Write the hidden inputs into ``target`` (checked first; ValueError if they fail)."""
    problems = inputs_violations(fileobj, name=name)
    if problems:
        raise ValueError(problems[0].code)
    target.mkdir(parents=True, exist_ok=True)
    budget = [INPUTS_LIMITS.max_total_bytes]
    if is_archive(name):
        with zipfile.ZipFile(fileobj) as archive:
            for info in archive.infolist():
                path = None if info.is_dir() else _target(target, info.filename)
                if path is not None:
                    with archive.open(info) as member:
                        _copy_limited(member, path, budget)
        return
    with tarfile.open(fileobj=fileobj, mode="r:*") as archive:
        for member in archive:
            path = _target(target, member.name) if member.isfile() else None
            if path is not None:
                source = archive.extractfile(member)
                if source is not None:
                    _copy_limited(source, path, budget)
