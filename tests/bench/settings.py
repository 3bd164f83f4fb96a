"""Benchmark server settings: the test settings with the baseline view added."""

from tests.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
