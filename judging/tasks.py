"""Celery tasks of the judging app: thin, named, safe to run twice."""

from celery import shared_task


@shared_task(name="judging.run_assignment", queue="default", acks_late=True)
def run_assignment(run_id: int) -> str | None:
    """Assign a challenge's judges (an ``AssignmentRun`` started from the admin)."""
    from judging import automation

    run = automation.assignment_run_execute(run_id=run_id)
    return run.state if run is not None else None
