"""A short-lived cache inside each web process, for rows an upload burst reads
thousands of times a minute (a phase, its challenge and track).

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

T = TypeVar("T")
# key -> (when it expires, on the monotonic clock; the value)
_entries: dict[str, tuple[float, object]] = {}


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
