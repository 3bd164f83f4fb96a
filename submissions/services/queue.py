"""Handing evaluation jobs to the broker without ever blocking on it.

A publish that fails (broker down, network cut) is logged and left for the
sweeper: the row stays ``queued`` with ``enqueued_at`` empty, and
``submissions.requeue_stuck`` publishes it once the broker answers again.
"""

from django.utils import timezone

from league.queue import publish
from league.timing import stage
from submissions.models import Submission

EVALUATE_TASK = "submissions.evaluate"
RERUN_PHASE_TASK = "submissions.rerun_phase"


def publish_evaluation(
    submission_id: int, *, countdown: float | None = None, already_marked: bool = False
) -> bool:
    """Send the evaluation job; True if the broker took it. Never raises.

    ``enqueued_at`` records the last hand-over to the broker and is cleared
    when the broker refuses, so the sweeper finds the job. Intake sets it in
    the same INSERT (``already_marked=True``) to save a write per upload.
    """
    with stage("publish"):
        published = publish(
            EVALUATE_TASK,
            [submission_id],
            countdown=countdown,
            # The evaluation workers' own time limits apply, not the
            # publisher's (a registered task would stamp the web's into the message).
            time_limit=None,
            soft_time_limit=None,
        )
    if not published:
        Submission.objects.filter(pk=submission_id).update(enqueued_at=None)
    elif not already_marked:
        Submission.objects.filter(pk=submission_id).update(enqueued_at=timezone.now())
    return published


def publish_rerun_phase(job_id: int) -> bool:
    """The organizer sees the job pending and may retry if the broker refused."""
    return publish(RERUN_PHASE_TASK, [job_id], queue="default")
