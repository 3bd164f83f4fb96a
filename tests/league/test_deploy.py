"""The Procfile the README's "Deploying" section describes: every command
names a program the requirements install, a module that exists and a queue
the Celery app routes to; exactly one beat. Parsed, so it cannot rot."""

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]


def procfile() -> dict[str, list[str]]:
    processes = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, command = line.split(":", 1)
        processes[name.strip()] = shlex.split(command)
    return processes


def requirement_names() -> set[str]:
    names = set()
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)", line.strip())
        if match:
            names.add(match.group(1).lower())
    return names


def option(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def test_the_procfile_runs_web_evaluation_and_default_workers_and_exactly_one_beat():
    processes = procfile()
    assert set(processes) == {"release", "web", "evaluation", "worker", "beat"}
    beats = [argv for argv in processes.values() if argv[:1] == ["celery"] and "beat" in argv]
    assert len(beats) == 1
    served = {option(argv, "-Q") for argv in processes.values() if "worker" in argv}
    assert served == set(settings.CELERY_TASK_QUEUES), "every queue has its workers"


def test_every_program_is_a_requirement_and_every_module_exists():
    requirements = requirement_names()
    for name, argv in procfile().items():
        program = argv[0]
        if program == "python":
            assert argv[1] == "manage.py" and argv[2] in get_commands(), name
        elif program == "gunicorn":
            assert "gunicorn" in requirements
            module, _, attribute = argv[1].partition(":")
            assert callable(getattr(importlib.import_module(module), attribute or "application"))
        elif program == "celery":
            assert "celery" in requirements
            app = importlib.import_module(option(argv, "-A")).celery.app
            assert isinstance(app, Celery)
        else:
            pytest.fail(f"{name}: unknown program {program}")


def test_gunicorn_accepts_the_web_command():
    argv = procfile()["web"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    expanded = [arg.replace("${PORT:-8000}", "8000") for arg in argv]
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", *expanded[1:], "--check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
