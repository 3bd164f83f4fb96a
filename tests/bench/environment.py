"""Set up the benchmark's own PostgreSQL database and Redis databases."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORT_DIR = ROOT / "var" / "bench"

DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/league_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/8",
    "CACHE_URL": "rediscache://127.0.0.1:6379/7",
    "LEAGUE_VAR_DIR": str(REPORT_DIR / "var"),
    "DJANGO_SETTINGS_MODULE": "tests.settings",
    "LOG_LEVEL": "WARNING",
}


def prepare() -> dict:
    """Point Django at a fresh benchmark database and empty broker queues."""
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    # Benchmarks describe production: keep persistent connections off only
    # where a test would leak them.
    os.environ.setdefault("CONN_MAX_AGE", "60")
    _create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from league.celery import app

    app.control.purge()
    return {name: os.environ[name] for name in DEFAULTS}


def _create_database(url: str) -> None:
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    if not config["ENGINE"].endswith("postgresql"):
        raise SystemExit("make bench needs PostgreSQL: set DATABASE_URL=postgres://...")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or "127.0.0.1",
        port=config.get("PORT") or 5432,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        # The benchmark's own database, made anew each run so that runs compare.
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    connection.close()
