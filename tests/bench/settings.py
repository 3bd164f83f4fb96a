"""Benchmark server settings: the test settings with the baseline views added,
and every response saying where its time went (``Server-Timing``)."""

from tests.settings import *  # noqa: F403
from tests.settings import MIDDLEWARE

ROOT_URLCONF = "tests.bench.urls"
MIDDLEWARE = ["league.timing.ServerTimingMiddleware", *MIDDLEWARE]
