"""The intake rules, as tables of cases."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from submissions import rules

CLOSES = datetime(2026, 7, 19, 15, 59, 59, tzinfo=UTC)
OPENS = datetime(2026, 7, 1, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "codes"),
    [
        (OPENS - timedelta(seconds=1), ["phase_not_open"]),
        (OPENS, []),
        (CLOSES, []),
        (CLOSES + timedelta(microseconds=999_999), []),  # inclusive to the second
        (CLOSES + timedelta(seconds=1), ["phase_closed"]),
    ],
)
def test_window_is_inclusive_to_the_second(now, codes):
    found = rules.window_violations(opens_at=OPENS, closes_at=CLOSES, now=now)
    assert [v.code for v in found] == codes


def test_deadline_message_names_the_viewers_zone():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Bangkok")):
        [violation] = rules.window_violations(
            opens_at=OPENS, closes_at=CLOSES, now=CLOSES + timedelta(hours=1)
        )
    message = str(violation.message)
    assert "Asia/Bangkok" in message
    assert "UTC+07:00" in message
    assert "10:59" in message  # 15:59:59 UTC is 22:59 in Bangkok; Django shows 10:59 p.m.


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("now", "expected_start", "expected_reset"),
    [
        # 23:30 UTC on the 1st is already 07:30 on the 2nd in Shanghai.
        (
            datetime(2026, 7, 1, 23, 30, tzinfo=UTC),
            datetime(2026, 7, 1, 16, 0, tzinfo=UTC),
            datetime(2026, 7, 2, 16, 0, tzinfo=UTC),
        ),
        # 15:59:59 UTC is 23:59:59 in Shanghai: one second before the reset.
        (
            datetime(2026, 7, 2, 15, 59, 59, tzinfo=UTC),
            datetime(2026, 7, 1, 16, 0, tzinfo=UTC),
            datetime(2026, 7, 2, 16, 0, tzinfo=UTC),
        ),
        (
            datetime(2026, 7, 2, 16, 0, 0, tzinfo=UTC),
            datetime(2026, 7, 2, 16, 0, tzinfo=UTC),
            datetime(2026, 7, 3, 16, 0, tzinfo=UTC),
        ),
    ],
)
def test_daily_limit_resets_at_midnight_of_the_phase_zone(now, expected_start, expected_reset):
    assert rules.day_start(now, SHANGHAI) == expected_start
    assert rules.next_reset(now, SHANGHAI) == expected_reset


def test_reset_across_a_daylight_saving_change():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # The night of 2026-03-29 has 23 hours in Berlin.
    now = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)
    assert rules.next_reset(now, berlin) == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "cause", "counted", "counts"),
    [
        ("queued", "", True, True),
        ("running", "", True, True),
        ("scored", "", True, True),
        ("failed", "file", True, True),  # the file was wrong: spends quota
        ("failed", "platform", True, False),  # our fault: does not
        ("cancelled", "", True, False),
        ("rejected", "", True, False),
        ("scored", "", False, False),  # a re-run never spends quota again
    ],
)
def test_what_counts_against_the_quota(status, cause, counted, counts):
    assert rules.counts_against_quota(status=status, failure_cause=cause, counted=counted) is counts


NOW = datetime(2026, 7, 10, 4, 0, tzinfo=UTC)


def _quota(used_today, used_total, daily=3, total=5, closes=CLOSES):
    return rules.quota(
        daily_limit=daily,
        total_limit=total,
        limit_zone=SHANGHAI,
        used_today=used_today,
        used_total=used_total,
        closes_at=closes,
        now=NOW,
    )


@pytest.mark.parametrize(
    ("used_today", "used_total", "codes", "remaining_today", "next_possible"),
    [
        (0, 0, [], 3, None),
        (2, 4, [], 1, None),
        (3, 3, ["daily_limit_reached"], 0, datetime(2026, 7, 10, 16, 0, tzinfo=UTC)),
        (1, 5, ["total_limit_reached"], 0, None),
        (3, 5, ["total_limit_reached"], 0, None),
    ],
)
def test_quota(used_today, used_total, codes, remaining_today, next_possible):
    q = _quota(used_today, used_total)
    assert [v.code for v in rules.quota_violations(q)] == codes
    assert q.remaining_today == remaining_today
    assert q.next_possible_at == next_possible
    assert q.resets_at == datetime(2026, 7, 10, 16, 0, tzinfo=UTC)


def test_no_next_submission_after_the_deadline():
    q = _quota(3, 3, closes=datetime(2026, 7, 10, 10, 0, tzinfo=UTC))
    assert q.next_possible_at is None


def test_daily_limit_message_states_the_reset_in_the_viewers_zone():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Jakarta")):
        [violation] = rules.quota_violations(_quota(3, 3))
    assert "Asia/Jakarta" in str(violation.message)
    assert violation.params["resets_at"] == "2026-07-10T16:00:00+00:00"


@pytest.mark.parametrize(
    ("name", "size", "codes"),
    [
        ("predictions.csv", 10, []),
        ("PREDICTIONS.CSV", 10, []),
        ("predictions.xlsx", 10, ["wrong_extension"]),
        ("predictions", 10, ["wrong_extension"]),
        ("predictions.csv", 0, ["empty_file"]),
        ("predictions.csv", 2 * 1048576 + 1, ["file_too_large"]),
        ("predictions.exe", 3 * 1048576, ["wrong_extension", "file_too_large"]),
    ],
)
def test_file_rules_report_every_problem(name, size, codes):
    found = rules.file_violations(name=name, size=size, allowed=[".csv"], max_bytes=2 * 1048576)
    assert [v.code for v in found] == codes


def test_allowed_extensions_default_to_the_mode():
    assert rules.allowed_extensions(configured=[], defaults=[".csv"]) == [".csv"]
    assert rules.allowed_extensions(configured=[".CSV", ".gz"], defaults=[".csv"]) == [
        ".csv",
        ".gz",
    ]


@pytest.mark.parametrize(
    ("registered", "status", "codes"),
    [
        (False, None, ["not_registered"]),
        (True, "pending", ["registration_not_verified"]),
        (True, "rejected", ["registration_rejected"]),
        (True, "needs_review", ["registration_needs_review"]),
        (True, "verified", []),
    ],
)
def test_registration_rules(registered, status, codes):
    found = rules.registration_violations(registered=registered, status=status)
    assert [v.code for v in found] == codes


def test_a_rejected_team_reads_the_organizers_reason():
    (found,) = rules.registration_violations(
        registered=True, status="rejected", rejection_reason="No ASEAN member yet"
    )
    assert "rejected" in str(found.message) and "No ASEAN member yet" in str(found.message)


def test_final_selection_rules():
    found = rules.final_selection_violations(
        status="failed", already_selected=2, max_selections=2, phase_open=False
    )
    assert [v.code for v in found] == ["not_scored", "phase_closed", "too_many_final"]


T0 = datetime(2026, 7, 1, tzinfo=UTC)


def entry(id, public, private, *, minute=None, final=False):
    """A scored submission; by default sent in the order of its number."""
    at = T0 + timedelta(minutes=id if minute is None else minute)
    return rules.ScoredEntry(
        id=id, public_score=public, private_score=private, created_at=at, is_final=final
    )


# Each case worked out by hand; in every one the luckiest private score
# (0.99, or 0.01 when lower is better) is not among the submissions that count.
@pytest.mark.parametrize(
    ("entries", "higher", "max_finals", "counted", "private"),
    [
        # No finals: the 2 best public scores count, not the lucky third.
        ([entry(1, 0.9, 0.7), entry(2, 0.8, 0.75), entry(3, 0.5, 0.99)], True, 2, [1, 2], 0.75),
        # No finals, N = 1: only the best public one.
        ([entry(1, 0.9, 0.7), entry(2, 0.8, 0.99)], True, 1, [1], 0.7),
        # One final selected: it alone counts, even with a second slot free.
        ([entry(1, 0.9, 0.99), entry(2, 0.6, 0.6, final=True)], True, 2, [2], 0.6),
        # Two finals: the better private of the two.
        (
            [entry(1, 0.7, 0.72, final=True), entry(2, 0.9, 0.99), entry(3, 0.6, 0.8, final=True)],
            True,
            2,
            [1, 3],
            0.8,
        ),
        # Equal public scores: the earlier submission first, whatever its number.
        (
            [entry(1, 0.8, 0.99, minute=30), entry(2, 0.8, 0.6, minute=10), entry(3, 0.9, 0.5)],
            True,
            2,
            [3, 2],
            0.6,
        ),
        # Equal public scores sent in the same instant: the lower number first.
        (
            [entry(2, 0.8, 0.99, minute=5), entry(1, 0.8, 0.4, minute=5)],
            True,
            1,
            [1],
            0.4,
        ),
        # Lower is better (an error): the lowest public errors count, the lowest private wins.
        ([entry(1, 0.2, 0.3), entry(2, 0.1, 0.25), entry(3, 0.5, 0.01)], False, 2, [2, 1], 0.25),
        ([entry(1, 0.2, 0.01), entry(2, 0.3, 0.4, final=True)], False, 2, [2], 0.4),
        # A key without private rows: no private score.
        ([entry(1, 0.9, None), entry(2, 0.8, None)], True, 2, [1, 2], None),
        # Nothing scored yet.
        ([], True, 2, [], None),
    ],
)
def test_finals_rule_counts_the_finals_or_the_best_public(
    entries, higher, max_finals, counted, private
):
    chosen = rules.entries_counting_for_private(
        entries, higher_is_better=higher, max_finals=max_finals
    )
    assert [e.id for e in chosen] == counted
    assert (
        rules.final_private_score(entries, higher_is_better=higher, max_finals=max_finals)
        == private
    )


def test_finals_rule_states_the_number_of_finals():
    assert "its 3 best submissions by public score" in rules.finals_rule(max_finals=3)
    assert "of its best submission by public score" in rules.finals_rule(max_finals=1)
