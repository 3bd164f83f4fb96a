"""Database helpers shared by the apps."""

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

T = TypeVar("T")


def is_database_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" (another writer held the lock past the timeout)."""
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()


def retry_on_operational_error(
    fn: Callable[[], T], *, attempts: int = 5, first_delay: float = 0.2, what: str = "write"
) -> T:
    """Run ``fn`` (one transaction, or a single statement), trying again with
    a doubling pause when the database answers an OperationalError: SQLite's
    lock held too long by another writer, or a PostgreSQL connection lost.

    Only from outside a transaction: inside one, the error has already
    spoilt it and must reach the caller's ``atomic`` block.
    """
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except OperationalError:
            if attempt == attempts or connection.in_atomic_block:
                raise
            delay = first_delay * 2 ** (attempt - 1)
            logger.warning("%s: database error, attempt %s, again in %.1f s", what, attempt, delay)
            # A broken connection is replaced by the next query.
            connection.close_if_unusable_or_obsolete()
            time.sleep(delay)
    raise AssertionError("unreachable")
