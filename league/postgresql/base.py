"""Django's PostgreSQL backend, with one change: the health check of a
persistent connection (``CONN_HEALTH_CHECKS``: a ``SELECT 1`` before a
request's first query) is skipped when the connection answered a query less
than a second ago. In a burst every request would otherwise pay one more
round trip; a connection idle for longer is checked as Django checks it, and
one that breaks in between is caught when the request ends (Django tests
any connection that raised, and replaces it)."""

import time

from django.db.backends.postgresql import base

# A connection used this recently (seconds) is not checked before reuse.
RECENTLY_USED = 1.0


class DatabaseWrapper(base.DatabaseWrapper):
    _used_at = float("-inf")

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and not self.errors_occurred
            and time.monotonic() - self._used_at < RECENTLY_USED
        ):
            self.health_check_done = True
        super().close_if_health_check_failed()

    def _cursor(self, name=None):
        cursor = super()._cursor(name)
        self._used_at = time.monotonic()
        return cursor
