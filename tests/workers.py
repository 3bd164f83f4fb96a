"""Real Celery worker processes for tests (against the test database and Redis)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.processes import die_with_parent

ROOT = Path(__file__).resolve().parent.parent


def worker_database_url() -> str:
    """A URL for the database the tests use (once pytest-django has set it up)."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


class WorkerProcess:
    def __init__(
        self,
        *,
        database_url: str,
        queues: str = "default,evaluation",
        concurrency: int = 1,
        extra_env: dict | None = None,
        evaluation_delay: float = 0,
        name: str = "w",
        faulty: bool = False,
        beat: bool = False,
    ):
        """``evaluation_delay`` seconds are slept before each scoring (through
        tests/slow_worker.py), to catch a worker in the middle of one;
        ``faulty`` evaluators crash on some files (tests/faulty_worker.py);
        ``beat`` runs the periodic tasks (the sweeper) in this worker too."""
        self.name = name
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url,
            "CONN_MAX_AGE": "0",
            **(extra_env or {}),
        }
        self.log_path = ROOT / "var" / "test" / f"worker-{name}-{os.getpid()}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        if evaluation_delay:
            entry = ["tests.slow_worker", str(evaluation_delay)]
        elif faulty:
            entry = ["tests.faulty_worker"]
        else:
            entry = ["celery", "-A", "league"]
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                *entry,
                "worker",
                "-Q",
                queues,
                "-c",
                str(concurrency),
                "-P",
                "prefork",
                "-n",
                f"{name}-{os.getpid()}@%h",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
                *(["-B", "-s", str(self.log_path.with_suffix(".beat"))] if beat else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            if b"ready." in self.log_path.read_bytes():
                return
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready after {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def child_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def kill_hard(self) -> None:
        """kill -9 the whole worker: the main process and its pool."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill_hard()
        self._log.close()
