"""The sweeper: finds work the broker never got or a dead worker left behind."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from submissions.models import FailureCause, Submission, SubmissionStatus
from submissions.rules import MAX_ATTEMPTS
from submissions.services.evaluation import fail_if_still, submission_fail_exhausted
from submissions.services.notices import submission_notify
from submissions.services.queue import publish_evaluation

BATCH = 500


def _defaults() -> dict:
    return {
        # A job the on-commit hook could not publish (broker down or hung).
        "unpublished_after": timedelta(seconds=settings.SUBMISSION_UNPUBLISHED_AFTER),
        # A published job nobody took (a lost message): published again.
        "queued_after": timedelta(minutes=30),
        # A running job past the hard time limit: its worker is gone.
        "running_after": timedelta(seconds=settings.TASK_TIME_LIMIT + 60),
    }


def submissions_requeue_stuck(
    *,
    now=None,
    unpublished_after: timedelta | None = None,
    queued_after: timedelta | None = None,
    running_after: timedelta | None = None,
) -> dict:
    """Publish queued work again, put running work whose lease lapsed back in
    the queue, and fail what has been started MAX_ATTEMPTS times. Returns counts."""
    defaults = _defaults()
    now = now or timezone.now()
    unpublished_after = (
        defaults["unpublished_after"] if unpublished_after is None else unpublished_after
    )
    queued_after = defaults["queued_after"] if queued_after is None else queued_after
    running_after = defaults["running_after"] if running_after is None else running_after
    counts = {"requeued": 0, "published": 0, "failed": 0}

    # A running job whose lease lapsed (its worker stopped renewing it), or
    # one past the hard time limit (which would have killed it).
    lapsed = Q(lease_expires_at__lte=now) | Q(started_at__lte=now - running_after)
    abandoned = (
        Submission.objects.filter(status=SubmissionStatus.RUNNING)
        .filter(lapsed)
        .values_list("id", "attempts")[:BATCH]
    )
    for submission_id, attempts in abandoned:
        # Guarded by the attempt: a lease renewed meanwhile keeps its job.
        still_lapsed = Submission.objects.filter(
            lapsed, pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempts
        )
        if attempts >= MAX_ATTEMPTS:
            failed = fail_if_still(
                still_lapsed,
                submission_id=submission_id,
                cause=FailureCause.PLATFORM,
                code="interrupted",
            )
            if failed:
                submission_notify(submission_id=submission_id)
            counts["failed"] += failed
            continue
        counts["requeued"] += still_lapsed.update(status=SubmissionStatus.QUEUED, enqueued_at=None)

    exhausted = Submission.objects.filter(
        status=SubmissionStatus.QUEUED, attempts__gte=MAX_ATTEMPTS
    ).values_list("id", flat=True)[:BATCH]
    for submission_id in exhausted:
        failed = submission_fail_exhausted(submission_id=submission_id)
        if failed:
            submission_notify(submission_id=submission_id)
        counts["failed"] += failed

    waiting = (
        Submission.objects.filter(status=SubmissionStatus.QUEUED, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(enqueued_at__isnull=True, created_at__lte=now - unpublished_after)
            | Q(enqueued_at__isnull=True, started_at__isnull=False)
            | Q(enqueued_at__lte=now - queued_after)
        )
        .order_by("created_at")
        .values_list("id", flat=True)[:BATCH]
    )
    for submission_id in waiting:
        if not publish_evaluation(submission_id):
            break
        counts["published"] += 1
    return counts
