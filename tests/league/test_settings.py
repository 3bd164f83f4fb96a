"""Settings come from the environment; production fails fast and is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "league.example.org",
    "DATABASE_URL": "sqlite:////tmp/league-settings-test.sqlite3",
    "DJANGO_SETTINGS_MODULE": "league.settings",
}


# Variables the test run itself sets; each case starts without them.
CLEARED = (
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in CLEARED}
    base["LEAGUE_VAR_DIR"] = str(ROOT / "var" / "test" / "settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_stops_start_up_naming_the_variable():
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "league.settings"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", env={"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "league.settings"})
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, ("sqlite3", "filesystem")),
        (
            {
                "DATABASE_URL": "postgres://league:pw@db.internal:5432/league",
                "CELERY_BROKER_URL": "redis://broker.internal:6379/0",
            },
            ("postgresql", "redis"),
        ),
    ],
)
def test_database_and_broker_come_from_the_environment(variables, expected):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'].rsplit('.',1)[-1],"
        " s.CELERY_BROKER_URL.split(':',1)[0], s.DEBUG)"
    )
    result = manage("shell", "-c", code, env={**PRODUCTION, **variables})
    assert result.returncode == 0, result.stderr
    engine, broker, debug = result.stdout.split()[-3:]
    assert (engine, broker) == expected
    assert debug == "False"
