"""Run a participant's Python program inside bubblewrap.

Django-free on purpose: the worker calls it with paths and limits, nothing
else. The program sees a read-only system (``/usr``), the fixed Python
runtime, its own files at ``/sandbox/program``, the phase's inputs at
``/sandbox/inputs`` and two small private tmpfs, ``/tmp`` and
``/sandbox/output``. It has no network, no environment of ours, and runs as
an unprivileged user; when the worker runs as root that user is a dedicated
uid outside too, so ``RLIMIT_NPROC`` contains a fork bomb (root's own
processes are exempt from it).
"""

import contextlib
import json
import math
import os
import re
import selectors
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path, PurePosixPath

from submissions.sandbox.runtime import Runtime, sandbox_runtime
from submissions.sandbox.terms import (
    INPUTS_DIR,
    MIB,
    OUTPUT_DIR,
    PROGRAM_DIR,
    SANDBOX_TMP,
    SITE_PACKAGES_DIR,
    DetailCode,
    Limits,
    OutputFileError,
    RunResult,
    SandboxFailure,
    SandboxUnavailable,
    Verdict,
)

BWRAP = "/usr/bin/bwrap"
LAUNCHER = Path(__file__).with_name("launcher.py")
# Outer uids for sandboxed programs when the worker is root: one per worker
# process, so that one program's fork bomb never spends another's processes.
SANDBOX_UID_BASE = 200_000
SANDBOX_UID_SPAN = 50_000
# Processes of the sandbox itself (bwrap's monitor, its init, the launcher).
SANDBOX_OWN_PROCESSES = 3
RUNTIME_PACKAGES = ("numpy", "scikit-learn", "scipy", "pandas")
PROBE_TTL_SECONDS = 300.0


# -- availability --------------------------------------------------------------

_PROBE = f"""
import importlib.metadata as m, json, sys
packages = {{}}
for name in {RUNTIME_PACKAGES!r}:
    try:
        packages[name] = m.version(name)
    except m.PackageNotFoundError:
        pass
python = ".".join(map(str, sys.version_info[:3]))
print(json.dumps({{"python": python, "packages": packages}}))
"""

_probe_cache: dict = {}


def _probe() -> tuple[bool, str, dict | None]:
    cached = _probe_cache.get("probe")
    if cached and time.monotonic() - cached[0] < PROBE_TTL_SECONDS:
        return cached[1]
    outcome = _probe_now()
    _probe_cache["probe"] = (time.monotonic(), outcome)
    return outcome


def _probe_now() -> tuple[bool, str, dict | None]:
    if not os.access(BWRAP, os.X_OK):
        return False, "bubblewrap (bwrap) is not installed: install Debian's bubblewrap", None
    limits = Limits(wall_seconds=20, cpu_seconds=10, memory_bytes=512 * MIB)
    with tempfile.TemporaryDirectory(prefix="league-probe-") as scratch:
        program = Path(scratch) / "program"
        program.mkdir()
        (program / "probe.py").write_text(_PROBE)
        try:
            result = _run(
                program_dir=program,
                entry="probe.py",
                inputs_dir=None,
                stdin=None,
                limits=limits,
                workdir=Path(scratch),
                collect=None,
            )
        except SandboxUnavailable as exc:
            return False, exc.reason, None
        except (SandboxFailure, OSError) as exc:
            return False, f"bubblewrap cannot create its sandbox here: {exc}", None
    if result.verdict != Verdict.OK:
        return False, f"Python does not start in the sandbox: {result.stderr_head(300)}", None
    description = json.loads(result.stdout)
    return True, _describe(description), description


def _describe(description: dict) -> str:
    packages = ", ".join(f"{name} {v}" for name, v in description["packages"].items())
    return f"Python {description['python']} with {packages}"


def sandbox_available() -> tuple[bool, str]:
    """Whether programs can run sandboxed here (checked by running one; the
    answer is kept for five minutes), and why not, in words for anyone."""
    ok, reason, _ = _probe()
    return ok, reason


def runtime_description() -> dict:
    """The runtime programs get: ``{"python": "3.11.2", "packages": {...},
    "text": "Python 3.11.2 with numpy 2.4.6, ..."}``, for the challenge page."""
    ok, reason, description = _probe()
    if not ok or description is None:
        raise SandboxUnavailable(reason)
    return {**description, "text": reason}


# -- running -------------------------------------------------------------------


def run_program(
    *,
    program_dir: Path,
    entry: str,
    inputs_dir: Path | None,
    stdin: bytes | None,
    limits: Limits,
    workdir: Path,
    collect: str | None = None,
) -> RunResult:
    """Run ``python3 ENTRY`` (relative to ``program_dir``) in the sandbox.

    ``collect``: the name of a file the program writes to ``/sandbox/output``;
    it is copied to ``workdir / collect`` (see ``collect_output_file``).
    Raises ``SandboxUnavailable`` rather than ever running code unsandboxed,
    and ``SandboxFailure`` if bubblewrap fails to start.
    """
    ok, reason = sandbox_available()
    if not ok:
        raise SandboxUnavailable(reason)
    return _run(
        program_dir=program_dir,
        entry=entry,
        inputs_dir=inputs_dir,
        stdin=stdin,
        limits=limits,
        workdir=workdir,
        collect=collect,
    )


def collect_output_file(result: RunResult) -> Path:
    """The file the program wrote (for ``score_predictions``), or
    ``OutputFileError`` with a reason the participant may read."""
    if result.verdict != Verdict.OK:
        raise OutputFileError(f"the program did not finish ({result.verdict})")
    if result.output_file is None:
        raise OutputFileError(result.output_problem or "the program wrote no output file")
    return result.output_file


def _checked_entry(program_dir: Path, entry: str) -> str:
    path = PurePosixPath(entry)
    if path.is_absolute() or ".." in path.parts or not entry.endswith(".py"):
        raise ValueError(f"entry point {entry!r} must be a relative path to a .py file")
    if not (program_dir / path).is_file():
        raise ValueError(f"entry point {entry!r} is not a file of the program")
    return str(path)


def _stage(source: Path, target: Path, *, link: bool) -> None:
    """Copy a tree where the sandbox user may read it (hard links for big
    read-only inputs when they already are world-readable). Links stay links,
    so they resolve inside the sandbox, never to the worker's files."""
    target.mkdir(mode=0o755)
    for root, dirs, files in os.walk(source):
        relative = Path(root).relative_to(source)
        for name in dirs:
            entry = Path(root) / name
            if entry.is_symlink():
                os.symlink(os.readlink(entry), target / relative / name)
            else:
                (target / relative / name).mkdir(mode=0o755)
        for name in files:
            entry, copy = Path(root) / name, target / relative / name
            if entry.is_symlink():
                os.symlink(os.readlink(entry), copy)
                continue
            if link and entry.stat().st_mode & stat.S_IROTH:
                try:
                    os.link(entry, copy)
                    continue
                except OSError:
                    pass
            shutil.copyfile(entry, copy)
            copy.chmod(0o644)


def _processes_of(uid: int, *, live_only: bool = False) -> list[int]:
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
            if live_only:
                with open(f"/proc/{pid}/stat", "rb") as stat_file:
                    if stat_file.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                        continue
            pids.append(int(pid))
        except (OSError, IndexError):
            pass
    return pids


def _end_leftovers(uid: int) -> None:
    """bwrap's monitor may exit while its init still tears the namespace down:
    make sure nothing of this run is alive before the next one starts."""
    deadline = time.monotonic() + 5.0
    while (live := _processes_of(uid, live_only=True)) and time.monotonic() < deadline:
        for pid in live:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.01)


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "lib", "lib64", "sbin"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    for path in ("/etc/ld.so.cache", "/etc/alternatives"):
        args += ["--ro-bind-try", path, path]
    return args


def _bwrap_args(runtime: Runtime, stage: Path, limits: Limits, has_inputs: bool) -> list[str]:
    args = [
        BWRAP,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--hostname",
        "sandbox",
        "--clearenv",
    ]
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": SANDBOX_TMP,
        "TMPDIR": SANDBOX_TMP,
        "LANG": "C.UTF-8",
        "PYTHONPATH": SITE_PACKAGES_DIR,
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    for name, value in env.items():
        args += ["--setenv", name, value]
    args += _system_binds()
    for host, inside in runtime.binds:
        args += ["--ro-bind", host, inside]
    args += ["--ro-bind", str(stage / "program"), PROGRAM_DIR]
    if has_inputs:
        args += ["--ro-bind", str(stage / "inputs"), INPUTS_DIR]
    args += ["--ro-bind", str(stage / "launcher.py"), "/sandbox/launcher.py"]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for path in (SANDBOX_TMP, OUTPUT_DIR):
        args += ["--perms", "1777", "--size", str(limits.tmp_bytes), "--tmpfs", path]
    args += ["--remount-ro", "/", "--chdir", PROGRAM_DIR]
    return args


def _prlimit_args(limits: Limits, processes: int) -> list[str]:
    cpu = max(1, math.ceil(limits.cpu_seconds))
    return [
        "prlimit",
        f"--cpu={cpu}:{cpu + 1}",
        f"--as={limits.memory_bytes}",
        f"--nproc={processes}",
        f"--fsize={limits.file_bytes}",
        "--core=0",
        "--nofile=1024",
        "--",
    ]


_MEMORY_ERROR = re.compile(rb"(MemoryError\b|Cannot allocate memory)")


def _is_memory_error(stderr: bytes) -> bool:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return bool(lines) and bool(_MEMORY_ERROR.search(lines[-1]))


def _signal_name(number: int) -> str:
    """SIGSEGV for 11; a signal without a name (a real-time one) by its number."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _run(
    *,
    program_dir: Path,
    entry: str,
    inputs_dir: Path | None,
    stdin: bytes | None,
    limits: Limits,
    workdir: Path,
    collect: str | None,
) -> RunResult:
    entry = _checked_entry(program_dir, entry)
    if collect is not None and (not collect or "/" in collect or collect in (".", "..")):
        raise ValueError(f"output file name {collect!r} must be a plain file name")
    runtime = sandbox_runtime()
    stage = Path(tempfile.mkdtemp(prefix="league-sandbox-"))
    try:
        stage.chmod(0o711)
        _stage(program_dir, stage / "program", link=False)
        if inputs_dir is not None:
            _stage(inputs_dir, stage / "inputs", link=True)
        shutil.copyfile(LAUNCHER, stage / "launcher.py")
        (stage / "launcher.py").chmod(0o644)
        (stage / "stdin").write_bytes(stdin or b"")
        command = _bwrap_args(runtime, stage, limits, inputs_dir is not None)
        command += [
            runtime.python,
            "-s",
            "/sandbox/launcher.py",
            entry,
            collect or "",
            str(limits.file_bytes),
        ]
        with open(stage / "stdin", "rb") as stdin_file:
            return _supervise(command, stdin_file, limits, workdir, collect)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _supervise(command, stdin_file, limits: Limits, workdir: Path, collect) -> RunResult:
    user = None
    processes = limits.processes + SANDBOX_OWN_PROCESSES
    if os.geteuid() == 0:
        user = SANDBOX_UID_BASE + os.getpid() % SANDBOX_UID_SPAN
    else:
        processes += len(_processes_of(os.getuid()))
    status_r, status_w = os.pipe()
    collect_r, collect_w = os.pipe()
    # bwrap keeps inherited descriptors open for the launcher, under the same numbers.
    command = [*command, str(status_w), str(collect_w)]
    started = time.monotonic()
    try:
        process = subprocess.Popen(  # noqa: S603 - a fixed command, no shell
            [*_prlimit_args(limits, processes), *command],
            stdin=stdin_file,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(status_w, collect_w),
            start_new_session=True,
            user=user,
            group=user,
            extra_groups=[] if user is not None else None,
            env={"PATH": "/usr/bin:/bin"},
        )
    finally:
        os.close(status_w)
        os.close(collect_w)
    out_fd, err_fd = process.stdout.fileno(), process.stderr.fileno()
    caps = {
        out_fd: limits.stdout_bytes,
        err_fd: limits.stderr_bytes,
        status_r: 4096,
        collect_r: limits.file_bytes + 1,
    }
    buffers = {fd: bytearray() for fd in caps}
    killed_for = ""
    collect_too_big = False
    deadline = started + limits.wall_seconds
    with selectors.DefaultSelector() as selector:
        for fd in caps:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map() and not killed_for:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                killed_for = "wall"
                break
            for key, _ in selector.select(remaining):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fd)
                    continue
                buffers[key.fd] += data
                if len(buffers[key.fd]) <= caps[key.fd]:
                    continue
                if key.fd in (out_fd, err_fd):
                    killed_for = "stdout" if key.fd == out_fd else "stderr"
                    break
                collect_too_big = collect_too_big or key.fd == collect_r
                selector.unregister(key.fd)
    if killed_for or collect_too_big:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    _, wait_status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    wall = time.monotonic() - started
    if user is not None:
        _end_leftovers(user)
    process.stdout.close()
    process.stderr.close()
    os.close(status_r)
    os.close(collect_r)
    return _verdict(
        limits=limits,
        stdout=bytes(buffers[out_fd][: limits.stdout_bytes]),
        stderr=bytes(buffers[err_fd][: limits.stderr_bytes]),
        status=bytes(buffers[status_r]),
        collected=bytes(buffers[collect_r]),
        killed_for=killed_for,
        collect_too_big=collect_too_big,
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        workdir=workdir,
        collect=collect,
    )


def _verdict(
    *,
    limits: Limits,
    stdout: bytes,
    stderr: bytes,
    status: bytes,
    collected: bytes,
    killed_for: str,
    collect_too_big: bool,
    wall: float,
    cpu: float,
    workdir: Path,
    collect: str | None,
) -> RunResult:
    try:
        reported = json.loads(status)
        exit_code = int(reported["returncode"])
        # bwrap's init does not always pass its children's CPU time up; the launcher sees it.
        cpu = max(cpu, float(reported["cpu_seconds"]))
    except (ValueError, KeyError, TypeError):
        exit_code = None

    def result(
        verdict: Verdict, detail: str = "", values: dict | None = None, **extra
    ) -> RunResult:
        return RunResult(
            verdict=verdict,
            exit_code=exit_code,
            wall_seconds=round(wall, 3),
            cpu_seconds=round(cpu, 3),
            stdout=stdout,
            stderr=stderr,
            detail_code=str(detail),
            detail_values=values or {},
            **extra,
        )

    if killed_for == "wall":
        return result(Verdict.TIME_LIMIT, DetailCode.WALL_TIME, {"seconds": limits.wall_seconds})
    if killed_for == "stdout":
        return result(Verdict.OUTPUT_LIMIT, DetailCode.STDOUT, {"bytes": limits.stdout_bytes})
    if killed_for == "stderr":
        return result(Verdict.OUTPUT_LIMIT, DetailCode.STDERR, {"bytes": limits.stderr_bytes})
    if collect_too_big:
        return result(
            Verdict.OUTPUT_LIMIT,
            DetailCode.OUTPUT_FILE,
            {"name": collect, "bytes": limits.file_bytes},
        )
    if exit_code is None:
        if stderr.startswith(b"bwrap:"):
            raise SandboxFailure(stderr.decode("utf-8", errors="replace").strip())
        if cpu >= limits.cpu_seconds:
            return result(Verdict.TIME_LIMIT, DetailCode.CPU_TIME, {"seconds": limits.cpu_seconds})
        return result(Verdict.RUNTIME_ERROR, DetailCode.SANDBOX_ENDED)
    if exit_code == -signal.SIGXCPU or (exit_code == -signal.SIGKILL and cpu >= limits.cpu_seconds):
        return result(Verdict.TIME_LIMIT, DetailCode.CPU_TIME, {"seconds": limits.cpu_seconds})
    if exit_code == -signal.SIGXFSZ:
        return result(Verdict.OUTPUT_LIMIT, DetailCode.FILE_SIZE, {"bytes": limits.file_bytes})
    if exit_code != 0 and _is_memory_error(stderr):
        return result(Verdict.MEMORY_LIMIT, DetailCode.MEMORY, {"bytes": limits.memory_bytes})
    if exit_code < 0:
        return result(
            Verdict.RUNTIME_ERROR, DetailCode.SIGNAL, {"signal": _signal_name(-exit_code)}
        )
    if exit_code > 0:
        return result(Verdict.RUNTIME_ERROR, DetailCode.EXIT_CODE, {"code": exit_code})
    if collect is None:
        return result(Verdict.OK)
    kind, data = collected[:1], collected[1:]
    if kind != b"F":
        problem = (
            f"the program did not write {OUTPUT_DIR}/{collect}"
            if kind != b"X"
            else f"{OUTPUT_DIR}/{collect} is not a regular file"
        )
        return result(Verdict.OK, output_problem=problem)
    workdir.mkdir(parents=True, exist_ok=True)
    output_file = workdir / collect
    output_file.write_bytes(data)
    return result(Verdict.OK, output_file=output_file)
