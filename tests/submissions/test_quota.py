"""The quota counter (services/quota.py): spent by intake, given back once by a
cancellation or a platform failure, recounted when it cannot be trusted.

Every test runs both ways an intake spends: inside a transaction (the
caller's, or its own on SQLite) and, on PostgreSQL, as one statement that
commits on its own (an upload's usual way)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from league.errors import RuleViolation
from submissions import selectors, services
from submissions.models import FailureCause, QuotaCounter, Submission
from submissions.services import intake
from submissions.services.evaluation import fail_if_still
from submissions.services.quota import counter_seen
from tests.submissions.conftest import csv_upload


@pytest.fixture(
    autouse=True,
    params=[
        pytest.param("in a transaction"),
        pytest.param(
            "one statement",
            marks=[pytest.mark.postgres, pytest.mark.django_db(transaction=True)],
        ),
    ],
)
def way(request):
    return request.param


def submit(arena):
    return services.submission_create(user=arena.member, phase=arena.phase, upload=csv_upload())


def counter(arena) -> tuple[int, int]:
    row = QuotaCounter.objects.get(registration=arena.registration, phase=arena.phase)
    return row.used_today, row.used_total


def test_the_counter_follows_the_submissions_that_count(arena):
    first, second = submit(arena), submit(arena)
    assert counter(arena) == (2, 2)
    services.submission_cancel(submission=first)
    services.submission_cancel(submission=first)  # twice: given back once
    assert counter(arena) == (1, 1)
    platform = Submission.objects.filter(pk=second.pk)
    assert fail_if_still(platform, submission_id=second.pk, cause=FailureCause.PLATFORM, code="x")
    fail_if_still(platform, submission_id=second.pk, cause=FailureCause.PLATFORM, code="x")
    assert counter(arena) == (0, 0)
    second.refresh_from_db()
    assert second.status == "failed" and not second.counts_against_quota
    third = submit(arena)
    fail_if_still(
        Submission.objects.filter(pk=third.pk),
        submission_id=third.pk,
        cause=FailureCause.FILE,
        code="bad_file",
    )
    assert counter(arena) == (1, 1)  # the team's own fault spends its quota
    quota = selectors.quota_for(registration=arena.registration, phase=arena.phase)
    assert (quota.used_today, quota.used_total) == counter(arena)


def test_a_new_day_starts_the_daily_count_again_and_keeps_the_total(arena):
    for _ in range(3):
        submit(arena)
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "daily_limit_reached"
    yesterday = timezone.now() - timedelta(days=1)
    Submission.objects.update(created_at=yesterday)
    QuotaCounter.objects.update(day=yesterday.astimezone(arena.phase.limit_zone).date())
    submit(arena)
    assert counter(arena) == (1, 4)
    submit(arena)
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "total_limit_reached"
    assert Submission.objects.filter(counts_against_quota=True).count() == 5


def test_a_changed_limit_time_zone_counts_the_day_again(arena):
    submit(arena)
    submit(arena)
    arena.phase.limit_time_zone = "Pacific/Kiritimati"
    arena.phase.save()
    submit(arena)  # recounted in the new zone: the three were sent today there too
    row = QuotaCounter.objects.get(registration=arena.registration, phase=arena.phase)
    assert row.zone == "Pacific/Kiritimati" and (row.used_today, row.used_total) == (3, 3)
    with pytest.raises(RuleViolation):
        submit(arena)


def test_a_refusal_leaves_the_counter_as_it_was(arena):
    for _ in range(3):
        submit(arena)
    with pytest.raises(RuleViolation):
        submit(arena)
    assert counter(arena) == (3, 3)


def test_an_organizers_change_to_the_phase_applies_to_the_next_upload(arena):
    submit(arena)  # the phase is now remembered by this process
    selectors.phase_get_cached(phase_id=arena.phase.pk)
    arena.phase.closes_at = timezone.now() - timedelta(minutes=1)
    arena.phase.save()
    phase = selectors.phase_get_cached(phase_id=arena.phase.pk)
    with pytest.raises(RuleViolation) as caught:
        services.submission_create(user=arena.member, phase=phase, upload=csv_upload())
    assert caught.value.code == "phase_closed"


def test_a_first_upload_counts_what_the_team_already_has(arena):
    earlier = [submit(arena), submit(arena)]
    QuotaCounter.objects.all().delete()  # a phase from before counters, say
    submit(arena)
    assert counter(arena) == (3, 3)
    services.submission_cancel(submission=earlier[0])
    assert counter(arena) == (2, 2)


def test_a_counter_that_says_too_much_is_counted_again(arena):
    submit(arena)
    QuotaCounter.objects.update(used_today=3, used_total=5)  # out of step with the rows
    submit(arena)
    assert counter(arena) == (2, 2)
    submit(arena)
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "daily_limit_reached"
    assert counter(arena) == (3, 3)


def seen(arena):
    """The team's counter as the upload API reads it with the token (None: none yet)."""
    row = QuotaCounter.objects.filter(registration=arena.registration, phase=arena.phase).first()
    values = None
    if row is not None:
        values = {k: getattr(row, k) for k in ("id", "zone", "day", "used_today", "used_total")}
    return counter_seen(values, registration=arena.registration, phase=arena.phase)


def submit_seen(arena):
    return services.submission_create(
        user=arena.member,
        phase=arena.phase,
        upload=csv_upload(),
        registration=arena.registration,
        counter=seen(arena),
    )


def test_a_counter_read_with_the_token_refuses_before_anything_is_stored(arena):
    for _ in range(3):
        submit_seen(arena)
    spy = mock.patch.object(intake, "store_streaming", wraps=intake.store_streaming)
    with spy as store, pytest.raises(RuleViolation) as caught:
        submit_seen(arena)
    assert caught.value.code == "daily_limit_reached"
    assert not store.called
    assert counter(arena) == (3, 3)
    assert Submission.objects.count() == 3


def test_a_counter_read_as_spent_that_the_count_denies_still_takes_the_upload(arena):
    submit_seen(arena)
    QuotaCounter.objects.update(used_today=3, used_total=5)  # out of step with the rows
    submit_seen(arena)
    assert counter(arena) == (2, 2)


def test_a_counter_read_as_missing_is_made_from_the_rows_before_spending(arena):
    submit_seen(arena)
    QuotaCounter.objects.all().delete()
    assert seen(arena) is None
    submit_seen(arena)
    assert counter(arena) == (2, 2)
