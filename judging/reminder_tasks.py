"""Celery tasks of judging's reminders: thin, named, safe to run twice.
(Imported by the worker through CELERY_IMPORTS.)"""

from celery import shared_task


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
