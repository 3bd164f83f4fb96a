"""Settings for the test run: the site's own settings, with test-safe values.

DATABASE_URL and CELERY_BROKER_URL still come from the environment, so CI
runs the same tests against PostgreSQL and Redis.
"""

import os
from pathlib import Path

_root = Path(__file__).resolve().parent.parent
os.environ.setdefault("LEAGUE_VAR_DIR", str(_root / "var" / "test"))
os.environ.setdefault("SECRET_KEY", "only-for-the-test-run")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("DEBUG", "false")

from league.settings import *  # noqa: E402, F403
from league.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # noqa: F405
