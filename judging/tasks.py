"""Celery tasks of the judging app: thin, named, safe to run twice."""

from celery import shared_task


@shared_task(name="judging.run_assignment", queue="default", acks_late=True)
def run_assignment(run_id: int) -> str | None:
    """Assign a challenge's judges (an ``AssignmentRun`` started from the admin)."""
    from judging import automation

    run = automation.assignment_run_execute(run_id=run_id)
    return run.state if run is not None else None


@shared_task(name="judging.send_judge_reminder", queue="default", acks_late=True)
def send_judge_reminder(reminder_id: int) -> bool:
    from judging import reminders

    return reminders.reminder_send_email(reminder_id=reminder_id)


@shared_task(name="judging.remind_judges", queue="default", ignore_result=True)
def remind_judges() -> int:
    """Beat, daily: remind judges whose reviews are due within 48 hours."""
    from judging import reminders

    return reminders.reminders_daily()


@shared_task(name="judging.publish_unsent_reminders", queue="default", ignore_result=True)
def publish_unsent_reminders() -> int:
    """Beat: publish the reminders the broker refused or lost."""
    from judging import reminders

    return reminders.reminders_publish_unsent()


@shared_task(name="judging.publish_unsent_runs", queue="default", ignore_result=True)
def publish_unsent_runs() -> int:
    """Beat: hand the workers again the assignment runs the broker refused or lost."""
    from judging import automation

    return automation.assignment_runs_publish_unsent()
