"""Participants' programs in the real bubblewrap sandbox (S3): every escape is
tried and contained, the test process survives, and the next program runs."""

import dataclasses
import os
from pathlib import Path

import pytest
from django.conf import settings

from submissions.sandbox import (
    OutputFileError,
    SandboxUnavailable,
    collect_output_file,
    run_program,
    runtime_description,
    sandbox_available,
)
from submissions.sandbox import runner as sandbox_runner
from submissions.sandbox import runtime as sandbox_runtime
from tests.submissions.sandbox.conftest import TEST_LIMITS, write

pytestmark = pytest.mark.sandbox


def test_a_normal_program_uses_numpy_and_scikit_learn(run):
    result = run(
        """
        import numpy as np
        from sklearn.linear_model import LinearRegression
        x = np.arange(10).reshape(-1, 1)
        model = LinearRegression().fit(x, 2 * x.ravel() + 1)
        print(round(float(model.predict([[20]])[0]), 6))
        """,
        limits=dataclasses.replace(TEST_LIMITS, cpu_seconds=10, wall_seconds=20),
    )
    assert result.verdict == "ok", result.stderr
    assert result.stdout == b"41.0\n"
    assert result.exit_code == 0
    assert result.cpu_seconds > 0


def test_packages_in_a_private_checkout_are_mirrored_where_the_sandbox_reads_them(run, monkeypatch):
    """A checkout under a folder only its owner may enter (a clone in a mktemp
    folder, say): the packages are mirrored to a world-readable place."""
    import shutil
    import sysconfig

    site_packages = sysconfig.get_path("platlib")
    reachable = sandbox_runtime.reachable
    monkeypatch.setattr(
        sandbox_runtime, "reachable", lambda path: path != site_packages and reachable(path)
    )
    mirror = Path(f"/var/tmp/league-sandbox-test-{os.getpid()}")
    monkeypatch.setattr(sandbox_runtime, "MIRROR_ROOT", mirror)
    try:
        result = run(
            "import sklearn; print('ok')",
            limits=dataclasses.replace(TEST_LIMITS, cpu_seconds=10, wall_seconds=20),
        )
        assert result.verdict == "ok", result.stderr
        assert result.stdout == b"ok\n"
        (mirrored,) = [p for p in mirror.iterdir() if not p.name.startswith(".")]
        assert (mirrored / "sklearn").is_dir()
        assert mirror.stat().st_mode & 0o777 == 0o755
    finally:
        shutil.rmtree(mirror, ignore_errors=True)


def test_the_runtime_is_stated():
    description = runtime_description()
    assert {"numpy", "scikit-learn"} <= set(description["packages"])
    assert description["text"].startswith(f"Python {description['python']} with numpy ")


def test_the_program_reads_stdin_and_its_inputs(run, tmp_path):
    inputs = tmp_path / "inputs"
    write(inputs / "test.csv", "id\n1\n2\n")
    result = run(
        """
        import sys
        rows = open("/sandbox/inputs/test.csv").read().split()
        print(sys.stdin.read().strip(), len(rows))
        """,
        inputs_dir=inputs,
        stdin=b"hello\n",
    )
    assert (result.verdict, result.stdout) == ("ok", b"hello 3\n")


def test_a_failing_program_is_a_runtime_error_with_its_stderr(run):
    result = run("import sys\nprint('partial')\nraise ValueError('bad row 7')")
    assert result.verdict == "runtime_error"
    assert result.exit_code == 1
    assert (result.detail_code, result.detail_values) == ("exit_code", {"code": 1})
    assert result.stdout_head() == "partial\n"
    assert "ValueError: bad row 7" in result.stderr_head()


def test_a_program_killed_by_a_signal_is_a_runtime_error_naming_it(run):
    result = run("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)")
    assert result.verdict == "runtime_error"
    assert (result.detail_code, result.detail_values) == ("signal", {"signal": "SIGSEGV"})
    nameless = run("import os\nos.kill(os.getpid(), 40)")  # a real-time signal
    assert (nameless.verdict, nameless.detail_values) == ("runtime_error", {"signal": "40"})


def test_no_network(run, still_works):
    result = run(
        """
        import socket
        for address in [("127.0.0.1", 5432), ("127.0.0.1", 6379), ("1.1.1.1", 53)]:
            try:
                socket.create_connection(address, timeout=1)
                print("connected", address)
            except OSError:
                print("blocked")
        """
    )
    assert (result.verdict, result.stdout) == ("ok", b"blocked\nblocked\nblocked\n")
    still_works()


def test_answer_keys_other_teams_and_the_project_are_invisible(run, tmp_path, still_works):
    answer_key = write(tmp_path / "private" / "answer_key.csv", "id,label\n1,secret-label\n")
    other_team = write(tmp_path / "uploads" / "team-b" / "solution.py", "print('team b')\n")
    secrets = [
        answer_key,
        other_team,
        Path(settings.BASE_DIR) / "league" / "settings.py",
        Path(settings.BASE_DIR) / "manage.py",
        Path(settings.MEDIA_ROOT),
        Path("/etc/passwd"),
        Path("/root"),
        Path("/work"),
        Path("/var"),
    ]
    for path in secrets[:4]:
        assert path.exists()
    result = run(
        f"""
        import os
        for path in {[str(p) for p in secrets]!r}:
            try:
                open(path).read()
                print("read", path)
            except OSError:
                print("hidden" if not os.path.exists(path) else "visible", path)
        """
    )
    assert result.verdict == "ok", result.stderr
    assert result.stdout.decode().splitlines() == [f"hidden {path}" for path in secrets]
    still_works()


def test_the_environment_does_not_leak(run, monkeypatch, still_works):
    monkeypatch.setenv("LEAGUE_SECRET_KEY", "s3cr3t-value")
    result = run("import os\nprint(sorted(os.environ.items()))")
    assert result.verdict == "ok"
    assert b"s3cr3t" not in result.stdout
    assert b"DATABASE_URL" not in result.stdout
    still_works()


def test_the_system_and_the_program_are_read_only(run, still_works):
    result = run(
        """
        for path in ["/usr/evil", "/sandbox/program/evil.py", "/sandbox/evil", "/evil"]:
            try:
                open(path, "w").write("x")
                print("wrote", path)
            except OSError:
                print("refused")
        open("/tmp/scratch", "w").write("ok")
        print(open("/tmp/scratch").read())
        """
    )
    assert result.stdout == b"refused\nrefused\nrefused\nrefused\nok\n"
    still_works()


def _leftover_processes() -> list[int]:
    """Live processes of the sandbox's uid (the worker runs as root here)."""
    uid = sandbox_runner.SANDBOX_UID_BASE + os.getpid() % sandbox_runner.SANDBOX_UID_SPAN
    return sandbox_runner._processes_of(uid, live_only=True)


def test_a_fork_bomb_is_contained(run, still_works):
    result = run(
        """
        import os, time
        children = 0
        try:
            while True:
                if os.fork() == 0:
                    time.sleep(60)
                    os._exit(0)
                children += 1
        except OSError:
            print("fork refused after", children)
        """
    )
    assert result.verdict == "ok", result.stderr
    refused, children = result.stdout.decode().rsplit(" ", 1)
    assert refused == "fork refused after"
    assert int(children) <= TEST_LIMITS.processes
    assert os.geteuid() != 0 or _leftover_processes() == []
    still_works()


def test_a_recursive_fork_bomb_is_stopped(run, still_works):
    result = run(
        """
        import os
        while True:
            try:
                os.fork()
            except OSError:
                pass
        """
    )
    assert result.verdict == "time_limit"
    assert os.geteuid() != 0 or _leftover_processes() == []
    still_works()


def test_a_memory_bomb_is_a_memory_limit(run, still_works):
    result = run("x = bytearray(2 * 1024 ** 3)")
    assert result.verdict == "memory_limit"
    assert (result.detail_code, result.detail_values) == (
        "memory",
        {"bytes": TEST_LIMITS.memory_bytes},
    )
    assert "MemoryError" in result.stderr_head()
    growing = run(
        """
        chunks = []
        while True:
            chunks.append(bytearray(16 * 1024 * 1024))
        """
    )
    assert growing.verdict == "memory_limit"
    still_works()


def test_an_infinite_loop_is_stopped_at_the_cpu_limit(run, still_works):
    result = run("while True:\n    pass")
    assert result.verdict == "time_limit"
    assert (result.detail_code, result.detail_values) == ("cpu_time", {"seconds": 1})
    still_works()


def test_sleeping_past_the_wall_time_is_stopped(run, still_works):
    result = run("import time\nprint('started', flush=True)\ntime.sleep(60)")
    assert result.verdict == "time_limit"
    assert (result.detail_code, result.detail_values) == ("wall_time", {"seconds": 3})
    assert result.stdout == b"started\n"
    still_works()


def test_huge_output_is_stopped_at_the_output_limit(run, still_works):
    result = run("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)")
    assert result.verdict == "output_limit"
    assert len(result.stdout) == TEST_LIMITS.stdout_bytes
    assert (result.detail_code, result.detail_values) == (
        "stdout",
        {"bytes": TEST_LIMITS.stdout_bytes},
    )
    huge_stderr = run("import sys\nwhile True:\n    sys.stderr.write('x' * 65536)")
    assert huge_stderr.verdict == "output_limit"
    assert huge_stderr.detail_code == "stderr"
    still_works()


def test_filling_the_disk_fails_inside_the_program(run, still_works):
    result = run(
        """
        import errno
        try:
            with open("/tmp/one-big-file", "wb") as big:
                big.write(b"x" * (2 * 1024 * 1024))
        except OSError as exc:
            print("file too big", exc.errno == errno.EFBIG)
        written = 0
        try:
            for n in range(1000):
                with open(f"/tmp/fill{n}", "wb") as part:
                    part.write(b"x" * (512 * 1024))
                written += 1
        except OSError as exc:
            print("disk full", exc.errno == errno.ENOSPC, written < 10)
        """
    )
    assert (result.verdict, result.stdout) == ("ok", b"file too big True\ndisk full True True\n")
    still_works()


def test_the_predictions_file_is_collected(run):
    result = run(
        """
        with open("/sandbox/output/predictions.csv", "w") as out:
            out.write("id,prediction\\n1,cat\\n")
        """,
        collect="predictions.csv",
    )
    assert collect_output_file(result).read_text() == "id,prediction\n1,cat\n"


def test_a_missing_or_linked_predictions_file_is_explained(run):
    missing = run("print('forgot')", collect="predictions.csv")
    with pytest.raises(OutputFileError) as error:
        collect_output_file(missing)
    assert error.value.reason == "the program did not write /sandbox/output/predictions.csv"
    linked = run(
        "import os\nos.symlink('/etc/hostname', '/sandbox/output/predictions.csv')",
        collect="predictions.csv",
    )
    with pytest.raises(OutputFileError):
        collect_output_file(linked)


def test_without_bubblewrap_code_never_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox_runner, "BWRAP", str(tmp_path / "no-bwrap"))
    monkeypatch.setattr(sandbox_runner, "_probe_cache", {})
    ok, reason = sandbox_available()
    assert not ok
    assert reason == "bubblewrap (bwrap) is not installed: install Debian's bubblewrap"
    marker = tmp_path / "ran"
    program = write(tmp_path / "program" / "main.py", f"open({str(marker)!r}, 'w')")
    with pytest.raises(SandboxUnavailable):
        run_program(
            program_dir=program.parent,
            entry="main.py",
            inputs_dir=None,
            stdin=None,
            limits=TEST_LIMITS,
            workdir=tmp_path / "work",
        )
    assert not marker.exists()
