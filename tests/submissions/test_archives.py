"""Archives are inspected without extracting them: every unsafe kind is
refused with its reason, and a bomb is refused while memory stays low."""

import io
import random
import resource
import stat
import tempfile
import zipfile

from submissions.archives import ArchiveLimits, archive_violations, safe_member_names

LIMITS = {"max_members": 100, "max_total_bytes": 50 * 1024**2, "max_ratio": 100}


def _zip(entries) -> io.BytesIO:
    """``entries``: (name, bytes) or (ZipInfo, bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _codes(fileobj, **limits) -> list[str]:
    return [v.code for v in archive_violations(fileobj, **{**LIMITS, **limits})]


def _with_mode(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode bits count
    info.external_attr = mode << 16
    return info


def test_a_plain_archive_passes_and_lists_its_files():
    fileobj = _zip([("src/main.py", b"print('hello')\n"), ("README.md", b"# demo\n")])
    assert _codes(fileobj) == []
    limits = ArchiveLimits(**LIMITS)
    assert sorted(safe_member_names(fileobj, limits=limits)) == ["README.md", "src/main.py"]
    assert fileobj.tell() == 0


def test_parent_and_absolute_paths_are_refused_with_their_names():
    fileobj = _zip([("../../etc/cron.d/evil", b"x"), ("/etc/passwd", b"x"), ("C:/boot.ini", b"x")])
    found = archive_violations(fileobj, **LIMITS)
    assert [v.code for v in found] == [
        "archive_parent_path",
        "archive_absolute_path",
        "archive_absolute_path",
    ]
    assert "../../etc/cron.d/evil" in str(found[0].message)


def test_symlinks_and_device_files_are_refused():
    fileobj = _zip(
        [
            (_with_mode("link-to-secrets", stat.S_IFLNK | 0o777), b"/srv/league/.env"),
            (_with_mode("tty", stat.S_IFCHR | 0o600), b""),
            (_with_mode("pipe", stat.S_IFIFO | 0o600), b""),
            (_with_mode("ok.py", stat.S_IFREG | 0o644), b"pass\n"),
        ]
    )
    assert _codes(fileobj) == ["archive_link", "archive_special_file", "archive_special_file"]


def test_too_many_members_are_refused():
    fileobj = _zip([(f"f{i}.txt", b"x") for i in range(11)])
    assert _codes(fileobj, max_members=10) == ["archive_too_many_members"]


def test_a_file_that_is_not_a_zip_is_refused():
    assert _codes(io.BytesIO(b"<html><body>not a zip</body></html>")) == ["archive_unreadable"]


def test_too_much_unpacked_data_is_refused_even_when_compression_is_mild():
    data = random.Random(7).randbytes(1024**2)  # 1 MiB that does not compress
    assert _codes(_zip([("a.bin", data), ("b.bin", data)]), max_total_bytes=1024**2) == [
        "archive_too_large"
    ]


def test_a_header_that_understates_the_size_is_caught_while_decompressing():
    """The declared sizes say 10 bytes; the data says 1 MiB of zeros."""
    fileobj = _zip([("small.txt", b"\0" * 1024**2)])
    raw = bytearray(fileobj.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(raw))).infolist()[0]
    # Patch the uncompressed size in the local header (offset 22) and the
    # central directory entry (offset 24 from its signature).
    raw[info.header_offset + 22 : info.header_offset + 26] = (10).to_bytes(4, "little")
    central = raw.rfind(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    found = _codes(io.BytesIO(bytes(raw)), max_ratio=1000)
    assert found == ["archive_corrupt"]


def test_a_gigabyte_of_zeros_is_refused_while_memory_stays_low():
    """The bomb is written in 1 MiB chunks (about 1 MB compressed on disk);
    checking it must not unpack it into memory."""
    with tempfile.TemporaryFile() as bomb:
        with (
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open("zeros.bin", "w", force_zip64=True) as member,
        ):
            chunk = b"\0" * 1024**2
            for _ in range(1024):
                member.write(chunk)
        assert bomb.tell() < 5 * 1024**2
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        found = archive_violations(
            bomb, max_members=100, max_total_bytes=2 * 1024**3, max_ratio=100
        )
        grew_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert [v.code for v in found] == ["archive_ratio"]
    assert grew_kib < 64 * 1024, f"peak memory grew by {grew_kib} KiB"


def test_a_bomb_whose_header_lies_is_stopped_by_counting_the_bytes():
    """Limits so loose that the headers pass; the byte count still stops it."""
    with tempfile.TemporaryFile() as bomb:
        with (
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
            archive.open("zeros.bin", "w", force_zip64=True) as member,
        ):
            for _ in range(64):
                member.write(b"\0" * 1024**2)
        found = archive_violations(
            bomb, max_members=100, max_total_bytes=2 * 1024**3, max_ratio=10**6
        )
        assert found == []
        found = archive_violations(
            bomb, max_members=100, max_total_bytes=32 * 1024**2, max_ratio=10**6
        )
    assert [v.code for v in found] == ["archive_too_large"]
