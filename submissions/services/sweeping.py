"""The sweeper: finds work the broker never got or a dead worker left behind."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from submissions.models import Submission, SubmissionStatus
from submissions.rules import MAX_ATTEMPTS
from submissions.services.evaluation import (
    submission_fail_exhausted,
    submission_fail_interrupted,
)
from submissions.services.queue import publish_evaluation

BATCH = 500


def _defaults() -> dict:
    return {
        # A job the on-commit hook could not publish (broker down).
        "unpublished_after": timedelta(seconds=30),
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
    """Publish queued work again, put abandoned running work back in the queue,
    and fail what has been started MAX_ATTEMPTS times. Returns counts."""
    defaults = _defaults()
    now = now or timezone.now()
    unpublished_after = (
        defaults["unpublished_after"] if unpublished_after is None else unpublished_after
    )
    queued_after = defaults["queued_after"] if queued_after is None else queued_after
    running_after = defaults["running_after"] if running_after is None else running_after
    counts = {"requeued": 0, "published": 0, "failed": 0}

    abandoned = Submission.objects.filter(
        status=SubmissionStatus.RUNNING, started_at__lte=now - running_after
    ).values_list("id", "attempts")[:BATCH]
    for submission_id, attempts in abandoned:
        if attempts >= MAX_ATTEMPTS:
            counts["failed"] += submission_fail_interrupted(submission_id=submission_id)
            continue
        moved = Submission.objects.filter(
            pk=submission_id, status=SubmissionStatus.RUNNING, started_at__lte=now - running_after
        ).update(status=SubmissionStatus.QUEUED, enqueued_at=None)
        counts["requeued"] += moved

    exhausted = Submission.objects.filter(
        status=SubmissionStatus.QUEUED, attempts__gte=MAX_ATTEMPTS
    ).values_list("id", flat=True)[:BATCH]
    for submission_id in exhausted:
        counts["failed"] += submission_fail_exhausted(submission_id=submission_id)

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
