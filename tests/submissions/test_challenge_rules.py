"""Pure rules of the challenge page: the current phase and byte ranges."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from submissions.challenge_rules import RangeNotSatisfiable, byte_range, current_phase

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def _phase(name, opens_days, closes_days):
    return SimpleNamespace(
        name=name,
        opens_at=NOW + timedelta(days=opens_days),
        closes_at=NOW + timedelta(days=closes_days),
    )


def test_the_current_phase_is_the_open_one_else_the_next_else_the_last():
    done, running, later = _phase("done", -20, -10), _phase("running", -9, 5), _phase("later", 6, 9)
    assert current_phase([done, running, later], NOW).name == "running"
    assert current_phase([done, later], NOW).name == "later"
    assert current_phase([done], NOW).name == "done"
    assert current_phase([], NOW) is None


@pytest.mark.parametrize(
    "header,expected",
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-", (90, 99)),
        ("bytes=95-500", (95, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-500", (0, 99)),
        ("", None),
        ("items=0-5", None),
        ("bytes=0-5,10-15", None),
        ("bytes=abc", None),
        ("bytes=9-3", None),
        ("bytes=-", None),
    ],
)
def test_one_byte_range_or_the_whole_file(header, expected):
    assert byte_range(header, 100) == expected


@pytest.mark.parametrize("header,size", [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=0-", 0)])
def test_a_range_outside_the_file_is_not_satisfiable(header, size):
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, size)
