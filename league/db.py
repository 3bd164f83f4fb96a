"""Database helpers shared by the apps."""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
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


# The prepared statements' names by their text: a few statements, named once.
_NAMES: dict[str, str] = {}


def execute_prepared(cursor, sql: str, params: list) -> None:
    """Run ``sql`` (``%s`` placeholders, none of them quoted) through ``cursor``;
    on PostgreSQL as a statement this connection prepared once, so the server
    parses and plans it only the first time. For the few statements every
    upload runs, whose planning cost the server more than their execution.

    ``DATABASE_PREPARED_STATEMENTS=false`` turns it off: behind a pooler in
    transaction mode (PgBouncer's default) a connection's prepared statements
    do not follow the client. The statement's result columns must not depend
    on the tables' columns (no ``*``): a prepared plan may not change them.
    """
    connection = cursor.db
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        cursor.execute(sql, params)
        return
    # Prepared statements belong to the server's session: a new connection
    # starts without any.
    raw = connection.connection
    known = connection.__dict__.get("_league_prepared")
    if known is None or known[0] is not raw:
        known = connection.__dict__["_league_prepared"] = (raw, set())
    name = _NAMES.get(sql)
    if name is None:
        digest = hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:16]
        name = _NAMES.setdefault(sql, f"league_{digest}")
    if name not in known[1]:
        # Part of setting the connection up, as Django's own SET statements:
        # past its query log (a request's count stays the same on every connection).
        numbered = iter(range(1, sql.count("%s") + 1))
        with connection.wrap_database_errors:
            cursor.cursor.execute(
                f"PREPARE {name} AS " + re.sub("%s", lambda _: f"${next(numbered)}", sql)
            )
        known[1].add(name)
    placeholders = ", ".join(["%s"] * len(params))
    cursor.execute(f"EXECUTE {name} ({placeholders})" if params else f"EXECUTE {name}", params)
