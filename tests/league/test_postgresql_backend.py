"""The PostgreSQL backend checks a persistent connection before reusing it
only when it has been idle: a connection that answered a moment ago is
reused at once, one idle for longer is checked, and a broken one replaced."""

from unittest import mock

import pytest
from django.db import connections
from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

from league.postgresql import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

connection = connections["default"]  # this thread's own wrapper, not the proxy


def _next_request_runs_a_query() -> int:
    """What Django does between two requests (``request_finished`` then
    ``request_started``), then a query; how many health checks ran."""
    connection.close_if_unusable_or_obsolete()
    connection.close_if_unusable_or_obsolete()
    real_check = DjangoWrapper.is_usable
    with mock.patch.object(DjangoWrapper, "is_usable", autospec=True) as check:
        check.side_effect = real_check
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    return check.call_count


@pytest.fixture(autouse=True)
def health_checks(settings):
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    connection.settings_dict["CONN_MAX_AGE"] = 60
    connection.close()
    yield
    connection.close()


def test_a_connection_used_a_moment_ago_is_reused_without_a_check():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert isinstance(connection, base.DatabaseWrapper)
    assert _next_request_runs_a_query() == 0


def test_an_idle_connection_is_checked_first(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    monkeypatch.setattr(connection, "_used_at", connection._used_at - base.RECENTLY_USED - 1)
    assert _next_request_runs_a_query() == 1


def test_an_idle_connection_the_server_dropped_is_replaced(monkeypatch):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    killer = type(connection)(connection.settings_dict, "killer")
    with killer.cursor() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    killer.close()
    monkeypatch.setattr(connection, "_used_at", connection._used_at - base.RECENTLY_USED - 1)
    assert _next_request_runs_a_query() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
