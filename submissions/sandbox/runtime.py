"""The Python a sandboxed program runs: the project's own interpreter when
the sandbox user may read it, else the system's of the same version, and the
project's packages, mirrored to a world-readable place when the checkout is
private. Django-free, like the rest of the package."""

import hashlib
import os
import shutil
import stat
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from submissions.sandbox.terms import SITE_PACKAGES_DIR, SandboxUnavailable


@dataclass(frozen=True)
class Runtime:
    python: str
    binds: tuple[tuple[str, str], ...]  # (host path, sandbox path), read-only


def reachable(path: str) -> bool:
    """Whether any user may read ``path`` (every parent searchable by others)."""
    current = Path(path)
    try:
        if not current.stat().st_mode & stat.S_IROTH:
            return False
        return all(parent.stat().st_mode & stat.S_IXOTH for parent in current.parents)
    except OSError:
        return False


# Where the project's packages are mirrored when the sandbox user cannot reach
# them where they are (a checkout under a private folder, such as a clone in a
# mktemp directory); /var/tmp is world-searchable and survives reboots.
MIRROR_ROOT = Path(
    os.environ.get("LEAGUE_SANDBOX_MIRROR", "/var/tmp/league-sandbox")  # noqa: S108 - owner checked
)


def mirrored(site_packages: str) -> str:
    """A world-readable copy of ``site_packages`` (hard links where the file
    system allows, so it costs no space), made once per state of the folder.

    Keyed by the folder's path and modification time: installing or removing a
    package makes a new mirror. Made under a temporary name and renamed into
    place, so concurrent workers never see half a copy.
    """
    source = Path(site_packages)
    key = hashlib.sha256(f"{source}:{source.stat().st_mtime_ns}".encode()).hexdigest()[:16]
    target = MIRROR_ROOT / key
    if target.is_dir():
        return str(target)
    MIRROR_ROOT.mkdir(parents=True, exist_ok=True)
    info = MIRROR_ROOT.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        # Someone else's folder (or a link) in a shared place: never trust it.
        raise OSError(f"{MIRROR_ROOT} is not a folder of this user")
    MIRROR_ROOT.chmod(0o755)
    partial = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=MIRROR_ROOT))

    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, partial / "p", symlinks=True, copy_function=link_or_copy)
    for folder, _dirs, _files in os.walk(partial):
        os.chmod(folder, 0o755)  # noqa: S103 - a read-only runtime every sandbox user reads
    try:
        partial.joinpath("p").rename(target)
    except OSError:  # another worker made it first
        shutil.rmtree(partial, ignore_errors=True)
    else:
        partial.rmdir()
    return str(target)


def sandbox_runtime() -> Runtime:
    """The project's own interpreter when the sandbox user may read it, else
    the system's of the same version; the project's site-packages either way
    (mirrored where the sandbox user can read them, if need be)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    site_packages = sysconfig.get_path("platlib")
    if not reachable(site_packages):
        try:
            site_packages = mirrored(site_packages)
        except OSError as exc:
            raise SandboxUnavailable(
                f"the sandbox user cannot read the Python packages at {site_packages}, "
                f"and they could not be mirrored under {MIRROR_ROOT}: {exc}"
            ) from exc
    binds = [(site_packages, SITE_PACKAGES_DIR)]
    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    prefix = os.path.realpath(sys.base_prefix)
    if prefix.startswith("/usr/") or prefix == "/usr":
        python = base
    elif reachable(prefix) and reachable(base):
        python = base
        binds.append((prefix, prefix))
    elif reachable(f"/usr/bin/python{version}"):
        python = f"/usr/bin/python{version}"
    else:
        raise SandboxUnavailable(
            f"no Python {version} that the sandbox user may read: install Debian's python{version}"
        )
    return Runtime(python=python, binds=tuple(binds))
