"""A short-lived cache inside each web process, for rows an upload burst reads
thousands of times a minute (a phase, its challenge and track).

Each process keeps its own copy (``CACHES["local"]``): a hit costs no round
trip. A save or delete in this process forgets the entry at once (the
receivers that call :func:`forget_all`); other processes see the change within
``LOCAL_CACHE_SECONDS``.
"""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

T = TypeVar("T")
_MISSING = object()


def remembered(key: str, compute: Callable[[], T]) -> T:
    """The cached value of ``key``, or ``compute()`` kept for a few seconds."""
    local = caches["local"]
    value = local.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        local.set(key, value, timeout=settings.LOCAL_CACHE_SECONDS)
    return value


def forget_all(**_signal) -> None:
    """A receiver for saves and deletes of what is cached: rare (organizers'
    edits), so everything is forgotten rather than traced."""
    caches["local"].clear()
