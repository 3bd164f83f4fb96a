"""A short-lived cache inside each web process, for rows an upload burst reads
thousands of times a minute (a phase, its challenge and track), and a near
copy of what the shared cache holds under keys whose value never changes
(a leaderboard's page of one version: :func:`shared_get_many`).

Each process keeps its own copy in a dict: a hit costs no round trip and no
copy (a cache backend would unpickle a fresh copy on every read, which cost
more than the rest of the lookup). The value is shared by the process's
threads: callers read it and never change it. A save or delete in this
process forgets everything at once (the receivers that call
:func:`forget_all`); other processes see the change within
``LOCAL_CACHE_SECONDS``.
"""

from collections.abc import Callable
from time import monotonic
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")
# key -> (when it expires, on the monotonic clock; the value)
_entries: dict[str, tuple[float, object]] = {}
_near: dict[str, tuple[float, object]] = {}
# Near copies kept at most; past it, the expired ones go, or else all.
NEAR_ENTRIES = 2000


def remembered(key: str, compute: Callable[[], T]) -> T:
    """The cached value of ``key``, or ``compute()`` kept for a few seconds."""
    entry = _entries.get(key)
    now = monotonic()
    if entry is not None and entry[0] > now:
        return entry[1]
    value = compute()
    _entries[key] = (now + settings.LOCAL_CACHE_SECONDS, value)
    return value


def forget_all(**_signal) -> None:
    """A receiver for saves and deletes of what is cached: rare (organizers'
    edits), so everything is forgotten rather than traced."""
    _entries.clear()
    _near.clear()


def shared_get_many(keys: list[str]) -> dict:
    """``cache.get_many(keys)`` for keys whose value in the shared cache does
    not change once set (a versioned leaderboard page): each found value is
    kept here for ``LOCAL_CACHE_SECONDS`` too, so that the reads of a busy
    page cost no round trip and no unpickling. Values are shared by the
    process's threads: read them, never change them."""
    now = monotonic()
    found, missing = {}, []
    for key in keys:
        entry = _near.get(key)
        if entry is not None and entry[0] > now:
            found[key] = entry[1]
        else:
            missing.append(key)
    if missing:
        fetched = cache.get_many(missing)
        if len(_near) + len(fetched) > NEAR_ENTRIES:
            _prune(now)
        expires = now + settings.LOCAL_CACHE_SECONDS
        for key, value in fetched.items():
            _near[key] = (expires, value)
        found |= fetched
    return found


def _prune(now: float) -> None:
    for key, (expires, _value) in list(_near.items()):
        if expires <= now:
            _near.pop(key, None)
    if len(_near) > NEAR_ENTRIES // 2:
        _near.clear()
