"""Retrying a write when the database is briefly unavailable."""

import pytest
from django.db import OperationalError

from league.db import is_database_busy, retry_on_operational_error

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
