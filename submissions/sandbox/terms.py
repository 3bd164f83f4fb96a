"""The sandbox's terms, shared by its runner, its runtime and the judge:
where things are inside it, the limits a run gets, how a run ends (its
verdict, why it stopped, what it printed) and the errors of the sandbox
itself. Django-free, like the rest of the package."""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

PROGRAM_DIR = "/sandbox/program"
INPUTS_DIR = "/sandbox/inputs"
OUTPUT_DIR = "/sandbox/output"
SANDBOX_TMP = "/tmp"  # noqa: S108 - the sandbox's own private tmpfs
SITE_PACKAGES_DIR = "/sandbox/site-packages"
KIB = 1024
MIB = 1024 * KIB


class Verdict(StrEnum):
    OK = "ok"
    RUNTIME_ERROR = "runtime_error"
    TIME_LIMIT = "time_limit"
    MEMORY_LIMIT = "memory_limit"
    OUTPUT_LIMIT = "output_limit"


class DetailCode(StrEnum):
    """Why a run stopped, as a code and values (``RunResult.detail_values``,
    named after each member) that the project words in the reader's language
    (``code_rules.DETAIL_MESSAGES``): this module runs without Django."""

    WALL_TIME = "wall_time"  # seconds: the wall-clock limit
    CPU_TIME = "cpu_time"  # seconds: the CPU limit
    MEMORY = "memory"  # bytes: the memory limit
    STDOUT = "stdout"  # bytes: the standard output limit
    STDERR = "stderr"  # bytes: the standard error limit
    FILE_SIZE = "file_size"  # bytes: the limit of any file it writes
    OUTPUT_FILE = "output_file"  # name, bytes: the file to collect, and its limit
    SIGNAL = "signal"  # signal: its name (SIGSEGV), or its number if it has none
    EXIT_CODE = "exit_code"  # code: the program's exit code
    SANDBOX_ENDED = "sandbox_ended"  # (none): the sandbox ended without a status


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot run here; ``reason`` may be shown to participants."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SandboxFailure(RuntimeError):
    """The sandbox itself failed to start (the platform's fault, not the program's)."""


class OutputFileError(ValueError):
    """The program did not leave the file it had to write; ``reason`` is participant-safe."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 10.0
    cpu_seconds: float = 10.0
    memory_bytes: int = 1024 * MIB  # address space of each process
    processes: int = 32
    stdout_bytes: int = 8 * MIB
    stderr_bytes: int = 256 * KIB
    file_bytes: int = 64 * MIB  # the largest file it may write, and the collected file
    tmp_bytes: int = 64 * MIB  # the size of /tmp and of /sandbox/output (each)


@dataclass(frozen=True)
class RunResult:
    verdict: Verdict
    exit_code: int | None  # the program's; negative: killed by that signal
    wall_seconds: float
    cpu_seconds: float
    stdout: bytes  # whole, up to Limits.stdout_bytes
    stderr: bytes  # whole, up to Limits.stderr_bytes
    detail_code: str = ""  # why it stopped (a DetailCode); "" when it finished
    detail_values: dict = field(default_factory=dict)  # the code's values, JSON-ready
    output_file: Path | None = None  # the collected file, in workdir
    output_problem: str = ""  # why no file was collected, participant-safe

    def stdout_head(self, limit: int = 2000) -> str:
        return _head(self.stdout, limit)

    def stderr_head(self, limit: int = 2000) -> str:
        return _head(self.stderr, limit)


def _head(data: bytes, limit: int) -> str:
    text = data[: limit * 4].decode("utf-8", errors="replace")
    return text[:limit]
