"""Handing evaluation jobs to the broker without ever blocking on it.

A publish that fails (broker down, network cut) is logged and left for the
sweeper: the row stays ``queued`` with ``enqueued_at`` empty, and
``submissions.requeue_stuck`` publishes it once the broker answers again.
"""

import logging

from django.utils import timezone

from league.celery import app
from submissions.models import Submission

logger = logging.getLogger(__name__)

EVALUATE_TASK = "submissions.evaluate"
RERUN_PHASE_TASK = "submissions.rerun_phase"

# One quick retry, then give up: the request must answer within 2 s even
# when the broker is gone (the connection timeout is CELERY_BROKER_CONNECTION_TIMEOUT).
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.1,
    "interval_step": 0.2,
    "interval_max": 0.3,
}


def publish_evaluation(
    submission_id: int, *, countdown: float | None = None, already_marked: bool = False
) -> bool:
    """Send the evaluation job; True if the broker took it. Never raises.

    ``enqueued_at`` records the last hand-over to the broker and is cleared
    when the broker refuses, so the sweeper finds the job. Intake sets it in
    the same INSERT (``already_marked=True``) to save a write per upload.
    """
    try:
        app.send_task(
            EVALUATE_TASK,
            args=[submission_id],
            countdown=countdown,
            # The evaluation workers' own time limits apply, not the
            # publisher's (a registered task would stamp the web's into the message).
            time_limit=None,
            soft_time_limit=None,
            # Nobody waits for the result; without this a dead result backend
            # (the same Redis, in production) would stall the request.
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:  # noqa: BLE001 - any broker failure: the sweeper publishes later
        logger.warning("broker unavailable; submission %s left for the sweeper", submission_id)
        Submission.objects.filter(pk=submission_id).update(enqueued_at=None)
        return False
    if not already_marked:
        Submission.objects.filter(pk=submission_id).update(enqueued_at=timezone.now())
    return True


def publish_rerun_phase(job_id: int) -> bool:
    try:
        app.send_task(
            RERUN_PHASE_TASK,
            args=[job_id],
            queue="default",
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:  # noqa: BLE001 - the organizer sees the job pending and may retry
        logger.warning("broker unavailable; re-run job %s not started", job_id)
        return False
    return True
