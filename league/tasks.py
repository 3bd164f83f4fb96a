import time

from celery import shared_task

from league.exports import services as exports


@shared_task(name="league.ping", acks_late=False, time_limit=10, soft_time_limit=8)
def ping(sent_at: float) -> dict:
    """Answer the health check: proves a worker takes work from a queue."""
    return {"sent_at": sent_at, "answered_at": time.time()}


@shared_task(name="league.export_run")
def export_run(job_id: int) -> None:
    """Write a background export's file."""
    exports.job_run(job_id=job_id)


@shared_task(name="league.export_sweep", acks_late=False)
def export_sweep() -> dict:
    """Publish export jobs the broker never took; delete files older than 7 days."""
    return {"published": exports.jobs_publish_unsent(), "removed": exports.jobs_clean()}


@shared_task(name="league.send_mail", queue="default", acks_late=True)
def send_mail(mail_id: int) -> bool:
    from league.mail import mail_send

    return mail_send(mail_id=mail_id)


@shared_task(name="league.publish_unsent_mail", queue="default", ignore_result=True)
def publish_unsent_mail() -> int:
    """Beat: publish the e-mails the broker refused or lost."""
    from league.mail import mails_publish_unsent

    return mails_publish_unsent()
