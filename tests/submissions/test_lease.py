"""The lease of a running evaluation, as the sweeper reads it."""

from datetime import timedelta

from django.utils import timezone

from submissions import services
from submissions.models import Submission
from submissions.services import evaluation
from submissions.services.lease import lease_renew, owner_is_dead, this_owner
from tests.factories import SubmissionFactory


def running(arena, *, lease_in: float, started_ago: float = 5, attempts: int = 1):
    now = timezone.now()
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    Submission.objects.filter(pk=submission.pk).update(
        status="running",
        attempts=attempts,
        started_at=now - timedelta(seconds=started_ago),
        lease_expires_at=now + timedelta(seconds=lease_in),
        lease_owner="elsewhere:1",
        enqueued_at=now,
    )
    return submission


def test_the_sweeper_requeues_a_lapsed_lease_and_leaves_a_renewed_one(arena):
    lapsed = running(arena, lease_in=-1)
    # Started long ago but its lease is fresh: a slow evaluation still alive.
    alive = running(arena, lease_in=20, started_ago=300)
    counts = services.submissions_requeue_stuck()
    assert counts["requeued"] == 1
    lapsed.refresh_from_db()
    alive.refresh_from_db()
    assert lapsed.status == "queued" and lapsed.attempts == 1, "published again, to run anew"
    assert alive.status == "running"


def test_a_lapsed_lease_on_the_last_attempt_fails_with_a_reason_the_team_can_read(arena):
    last = running(arena, lease_in=-1, attempts=3)
    assert services.submissions_requeue_stuck()["failed"] == 1
    last.refresh_from_db()
    assert (last.status, last.error_code, last.failure_cause) == (
        "failed",
        "interrupted",
        "platform",
    )
    assert not last.counts_against_quota


def test_renewing_extends_only_the_attempt_that_holds_the_submission(arena):
    submission = running(arena, lease_in=1, attempts=2)
    before = Submission.objects.get(pk=submission.pk).lease_expires_at
    assert lease_renew(submission_id=submission.pk, attempt=2)
    assert Submission.objects.get(pk=submission.pk).lease_expires_at > before
    assert not lease_renew(submission_id=submission.pk, attempt=1)


def test_a_dead_process_of_this_host_is_recognised_and_another_host_is_never_judged():
    host = this_owner().rpartition(":")[0]
    assert owner_is_dead(this_owner()), "this process is not evaluating it any more"
    assert owner_is_dead(f"{host}:{2**22 + 12345}")  # above the kernel's pid range
    assert not owner_is_dead(f"{host}:1")  # init is alive
    assert not owner_is_dead("another-machine:1")


def test_a_job_redelivered_after_its_process_died_is_taken_back_and_scored(arena):
    submission = running(arena, lease_in=20)
    host = this_owner().rpartition(":")[0]
    Submission.objects.filter(pk=submission.pk).update(lease_owner=f"{host}:{2**22 + 12345}")
    assert evaluation.submission_evaluate(submission_id=submission.pk) == "scored"
    submission.refresh_from_db()
    assert (submission.status, submission.attempts) == ("scored", 2)


def test_a_job_redelivered_while_its_owner_lives_elsewhere_is_left_to_the_lease(arena):
    submission = running(arena, lease_in=20)
    assert evaluation.submission_evaluate(submission_id=submission.pk) == "skipped"
    submission.refresh_from_db()
    assert (submission.status, submission.attempts) == ("running", 1)
