"""Programs for the sandbox tests: each a small Python file in its own directory."""

import textwrap
from pathlib import Path

import pytest

from submissions.sandbox import Limits, run_program

# Small limits keep every test bounded (a few seconds at most).
TEST_LIMITS = Limits(
    wall_seconds=3,
    cpu_seconds=1,
    memory_bytes=512 * 1024 * 1024,
    processes=16,
    stdout_bytes=64 * 1024,
    stderr_bytes=16 * 1024,
    file_bytes=1024 * 1024,
    tmp_bytes=4 * 1024 * 1024,
)


@pytest.fixture
def run(tmp_path):
    """Run the given source as a participant's main.py; returns the RunResult."""
    counter = iter(range(1000))

    def run(source: str, *, limits: Limits = TEST_LIMITS, **kwargs):
        n = next(counter)
        program = tmp_path / f"program{n}"
        program.mkdir()
        (program / "main.py").write_text(textwrap.dedent(source))
        kwargs.setdefault("inputs_dir", None)
        kwargs.setdefault("stdin", None)
        return run_program(
            program_dir=program,
            entry="main.py",
            limits=limits,
            workdir=tmp_path / f"work{n}",
            **kwargs,
        )

    return run


@pytest.fixture
def still_works(run):
    """After an escape attempt: the next normal program gives its expected output."""

    def check():
        result = run("print(sum(range(10)))")
        assert (result.verdict, result.stdout) == ("ok", b"45\n")

    return check


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
