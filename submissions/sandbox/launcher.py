"""Runs inside the sandbox (never imported by the project): starts the
participant's program, waits for it, ends whatever it left running, then
hands back its exit status and, if asked, the file it was to write.

argv: launcher.py ENTRY COLLECT_NAME COLLECT_MAX_BYTES STATUS_FD COLLECT_FD
STATUS_FD: the exit status (one JSON line); COLLECT_FD: the collected file
(a kind byte: F file, M missing, X not a regular file; then the data).
"""

import contextlib
import ctypes
import json
import os
import resource
import signal
import stat
import subprocess
import sys

PROGRAM_DIR = "/sandbox/program"
OUTPUT_DIR = "/sandbox/output"


def main() -> None:
    entry, collect_name = sys.argv[1], sys.argv[2]
    collect_max, status_fd, collect_fd = (int(arg) for arg in sys.argv[3:6])
    # Not dumpable: the participant's program (same uid) cannot ptrace the launcher.
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
    status = os.fdopen(status_fd, "w")
    child = subprocess.Popen([sys.executable, entry], cwd=PROGRAM_DIR)  # noqa: S603
    returncode = child.wait()
    # End what the program left behind (daemons holding stdout open) before reading its file.
    with contextlib.suppress(ProcessLookupError):
        os.kill(-1, signal.SIGKILL)
    if collect_name:
        with os.fdopen(collect_fd, "wb") as sink:
            _collect(sink, os.path.join(OUTPUT_DIR, collect_name), collect_max)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    status.write(json.dumps({"returncode": returncode, "cpu_seconds": cpu}) + "\n")
    status.flush()


def _collect(sink, path: str, max_bytes: int) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        sink.write(b"M")  # missing (or a link)
        return
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            sink.write(b"X")  # not a regular file (a fifo, a directory, a device)
            return
        sink.write(b"F")
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            sink.write(chunk)
            remaining -= len(chunk)


if __name__ == "__main__":
    main()
