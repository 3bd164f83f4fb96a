"""Why a run stopped, as the runner gives it (pure, no sandbox needed): a
verdict, a detail code and its values, never a sentence to parse back. The
runner runs without Django; the project words each code (code_rules)."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from submissions.code_rules import DETAIL_MESSAGES
from submissions.sandbox import DetailCode
from submissions.sandbox import runner as sandbox_runner
from tests.submissions.sandbox.conftest import TEST_LIMITS

ROOT = Path(__file__).resolve().parents[3]


def _verdict(returncode=None, *, stderr=b"", cpu=0.1, **kwargs):
    status = {"returncode": returncode, "cpu_seconds": 0}
    arguments = {
        "limits": TEST_LIMITS,
        "stdout": b"",
        "stderr": stderr,
        "status": b"" if returncode is None else json.dumps(status).encode(),
        "collected": b"",
        "killed_for": "",
        "collect_too_big": False,
        "wall": 0.2,
        "cpu": cpu,
        "workdir": Path("/nonexistent"),
        "collect": None,
        **kwargs,
    }
    result = sandbox_runner._verdict(**arguments)
    return result.verdict, result.detail_code, result.detail_values


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ({"returncode": 0}, ("ok", "", {})),
        ({"returncode": 3}, ("runtime_error", "exit_code", {"code": 3})),
        ({"returncode": -signal.SIGSEGV}, ("runtime_error", "signal", {"signal": "SIGSEGV"})),
        # A real-time signal has no name: named by its number, never a crash of the runner.
        ({"returncode": -40}, ("runtime_error", "signal", {"signal": "40"})),
        (
            {"returncode": 1, "stderr": b"Traceback ...\nMemoryError\n"},
            ("memory_limit", "memory", {"bytes": TEST_LIMITS.memory_bytes}),
        ),
        ({"returncode": -signal.SIGXCPU}, ("time_limit", "cpu_time", {"seconds": 1})),
        ({"returncode": None, "cpu": 1.2}, ("time_limit", "cpu_time", {"seconds": 1})),
        ({"returncode": 0, "killed_for": "wall"}, ("time_limit", "wall_time", {"seconds": 3})),
        (
            {"returncode": 0, "killed_for": "stdout"},
            ("output_limit", "stdout", {"bytes": TEST_LIMITS.stdout_bytes}),
        ),
        (
            {"returncode": 0, "killed_for": "stderr"},
            ("output_limit", "stderr", {"bytes": TEST_LIMITS.stderr_bytes}),
        ),
        (
            {"returncode": -signal.SIGXFSZ},
            ("output_limit", "file_size", {"bytes": TEST_LIMITS.file_bytes}),
        ),
        (
            {"returncode": 0, "collect_too_big": True, "collect": "predictions.csv"},
            (
                "output_limit",
                "output_file",
                {"name": "predictions.csv", "bytes": TEST_LIMITS.file_bytes},
            ),
        ),
        ({"returncode": None}, ("runtime_error", "sandbox_ended", {})),
    ],
)
def test_every_way_a_run_stops_is_a_code_with_values(run, expected):
    arguments = dict(run)
    assert _verdict(arguments.pop("returncode"), **arguments) == expected


def test_every_detail_code_has_a_translatable_message():
    assert set(DETAIL_MESSAGES) == set(DetailCode)


def test_the_runner_runs_without_django_or_gettext():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, submissions.sandbox; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'gettext'}))",
        ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"
