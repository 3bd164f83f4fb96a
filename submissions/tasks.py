"""Celery tasks: thin, by id, named explicitly, safe to run twice."""

from celery import shared_task

from submissions import (
    services,
    worker_limits,  # noqa: F401 - caps the memory of each pool process
)


@shared_task(name="submissions.evaluate", ignore_result=True)
def evaluate(submission_id: int) -> str:
    """Evaluate one submission (on the ``evaluation`` queue)."""
    return str(services.submission_evaluate(submission_id=submission_id))


@shared_task(name="submissions.requeue_stuck", queue="default", ignore_result=True)
def requeue_stuck() -> dict:
    """Beat: publish what the broker never got, recover what a dead worker left."""
    return services.submissions_requeue_stuck()


@shared_task(name="submissions.rerun_phase", queue="default", ignore_result=True)
def rerun_phase(job_id: int) -> int:
    """Re-run every finished submission of a phase, recording progress."""
    return services.phase_rerun_run(job_id=job_id).done
