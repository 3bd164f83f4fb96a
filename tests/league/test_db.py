"""Retrying a write when the database is briefly unavailable; statements
prepared once per PostgreSQL connection."""

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from league.db import execute_prepared, is_database_busy, retry_on_operational_error

# Between tries the connection is checked (and replaced if broken); never
# inside a transaction, so not in the one a plain database test runs in.
pytestmark = pytest.mark.django_db(transaction=True)


def flaky(failures: int):
    calls = []

    def write():
        calls.append(1)
        if len(calls) <= failures:
            raise OperationalError("database is locked")
        return "written"

    return write, calls


def test_a_write_is_tried_again_until_the_database_answers():
    write, calls = flaky(2)
    assert retry_on_operational_error(write, first_delay=0.01) == "written"
    assert len(calls) == 3


def test_retrying_is_bounded_and_the_last_error_reaches_the_caller():
    write, calls = flaky(10)
    with pytest.raises(OperationalError):
        retry_on_operational_error(write, attempts=3, first_delay=0.01)
    assert len(calls) == 3


def test_only_sqlites_lock_counts_as_busy():
    assert is_database_busy(OperationalError("database is locked"))
    assert not is_database_busy(OperationalError("server closed the connection"))
    assert not is_database_busy(ValueError("database is locked"))


def test_inside_a_transaction_the_error_is_not_retried():
    from django.db import transaction

    write, calls = flaky(1)
    with pytest.raises(OperationalError), transaction.atomic():
        retry_on_operational_error(write, first_delay=0.01)
    assert len(calls) == 1


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


SUM_SQL = "SELECT CAST(%s AS integer) + CAST(%s AS integer)"


def _sum(a: int, b: int) -> int:
    with connection.cursor() as cursor:
        execute_prepared(cursor, SUM_SQL, [a, b])
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_statement_is_prepared_once_per_connection_and_again_on_a_new_one():
    connection.close()
    assert _sum(1, 2) == 3
    prepared = _prepared_names()
    assert len(prepared) == 1
    with CaptureQueriesContext(connection) as queries:
        assert _sum(20, 22) == 42
    assert [q["sql"] for q in queries] == [f"EXECUTE {prepared.pop()} (20, 22)"]
    with pytest.raises(IntegrityError), transaction.atomic():
        assert _sum(2, 2) == 4
        raise IntegrityError("rolled back: the prepared statement stays")
    assert _sum(3, 4) == 7
    connection.close()  # a new session knows none
    assert _prepared_names() == set()
    assert _sum(5, 6) == 11
    assert len(_prepared_names()) == 1


@pytest.mark.postgres
def test_prepared_statements_can_be_turned_off_for_a_pooler(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    connection.close()
    assert _sum(1, 2) == 3
    assert _prepared_names() == set()


def test_the_statement_answers_the_same_on_any_database():
    assert _sum(1, 2) == 3
    assert _sum(1, 2) == 3
