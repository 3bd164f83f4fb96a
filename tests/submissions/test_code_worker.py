"""A code submission through a real Celery worker: stored, queued, run in
the sandbox by the worker, scored with a verdict per test."""

import pytest

from submissions.models import Submission
from tests.submissions.test_code_mode import SUM_OF_ABSOLUTES, submit, sum_phase
from tests.submissions.test_reliability import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.sandbox,
    pytest.mark.django_db(transaction=True),
]


def test_a_program_is_scored_by_the_worker_with_a_verdict_per_test(start_worker):
    phase, _registration, member = sum_phase()
    worker = start_worker(queues="evaluation")
    submission = submit(phase, member, SUM_OF_ABSOLUTES)
    wait_for(
        lambda: Submission.objects.get(pk=submission.pk).status == "scored",
        timeout=60,
        what="the program scored",
        worker=worker,
    )
    submission.refresh_from_db()
    assert submission.public_score == pytest.approx(200 / 3, abs=1e-4)
    assert [(t["name"], t["verdict"]) for t in submission.details["tests"]] == [
        ("two-lines", "accepted"),
        ("negative", "wrong_answer"),
        ("zero", "accepted"),
        ("big", "accepted"),
    ]
    assert submission.attempts == 1 and submission.counts_against_quota
