"""The whole product on its embedded defaults, as `make run` starts it:
SQLite and the file-system broker under a var/ directory of its own, the
development server and a Celery worker with beat, each a real process.

    python -m tests.embedded_site seed TEAMS   (prints the phase and API tokens)
"""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.processes import die_with_parent

ROOT = Path(__file__).resolve().parent.parent
# Variables that would point the site at the test run's PostgreSQL and Redis.
SERVICE_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "DJANGO_SETTINGS_MODULE",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedSite:
    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
        self.env.update(
            DJANGO_SETTINGS_MODULE="league.settings",
            DEBUG="true",
            LEAGUE_VAR_DIR=str(var_dir),
            SWEEPER_INTERVAL="5",
        )
        self.processes: list[subprocess.Popen] = []

    def manage(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-4000:]}")
        return done.stdout

    def migrate(self, cache_dir: Path) -> None:
        """Migrate the site's SQLite database; a copy of a database migrated
        by the same migration files before serves when there is one."""
        digest = hashlib.sha256()
        for path in sorted(ROOT.glob("*/migrations/*.py")):
            digest.update(path.name.encode() + path.read_bytes())
        template = cache_dir / f"embedded-{digest.hexdigest()[:16]}.sqlite3"
        target = self.var_dir / "league.sqlite3"
        if not template.exists():
            self.manage("migrate", "--no-input", "-v", "0", timeout=240)
            with sqlite3.connect(target) as db:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cache_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, template)
            return
        shutil.copyfile(template, target)

    def seed(self, teams: int) -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "tests.embedded_site", "seed", str(teams)],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"seeding failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _start(self, args: list[str], log_name: str) -> subprocess.Popen:
        log = open(self.var_dir / log_name, "wb")  # noqa: SIM115 - lives as long as the process
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.processes.append(process)
        return process

    def start(self, *, concurrency: int = 2, worker: bool = True, timeout: float = 60) -> None:
        """The web server and a worker with beat, as `make run` starts them."""
        if not worker:
            (self.var_dir / "worker.log").write_bytes(b"ready.")
        else:
            self._start(
                [
                    *("-m", "celery", "-A", "league", "worker", "-B", "-Q", "default,evaluation"),
                    *("-c", str(concurrency), "-l", "info"),
                ],
                "worker.log",
            )
        self._start(["manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"], "web.log")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"a process exited early:\n{self.logs()}")
            worker_ready = b"ready." in (self.var_dir / "worker.log").read_bytes()
            with contextlib.suppress(requests.RequestException):
                health = requests.get(f"{self.url}/api/health/", timeout=2)
                # Without a worker the health check answers 503: the web is up all the same.
                if worker_ready and (health.ok or not worker):
                    return
            time.sleep(0.3)
        raise TimeoutError(f"the site did not start within {timeout} s:\n{self.logs()}")

    def logs(self) -> str:
        parts = []
        for name in ("web.log", "worker.log"):
            path = self.var_dir / name
            if path.exists():
                parts.append(f"--- {name}\n{path.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def seed(teams: int) -> dict:
    """An open phase with an answer key and ``teams`` verified teams, each
    with an API token; what the test needs, as JSON."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")
    django.setup()
    from rest_framework.authtoken.models import Token

    from teams.models import Membership
    from tests.factories import (
        AnswerKeyFactory,
        ChallengeFactory,
        PhaseFactory,
        RegistrationFactory,
    )

    phase = PhaseFactory(
        challenge=ChallengeFactory(metric="accuracy"), daily_limit=20, total_limit=50
    )
    AnswerKeyFactory(phase=phase)
    tokens = []
    for _ in range(teams):
        registration = RegistrationFactory(challenge=phase.challenge, status="verified")
        captain = registration.team.captain
        Membership.objects.get_or_create(team=registration.team, user=captain)
        tokens.append(Token.objects.create(user=captain).key)
    return {"phase": phase.pk, "tokens": tokens}


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "seed":
        print(json.dumps(seed(int(rest[0]))))
