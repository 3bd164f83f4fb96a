import time

from celery import shared_task


@shared_task(name="league.ping", acks_late=False, time_limit=10, soft_time_limit=8)
def ping(sent_at: float) -> dict:
    """Answer the health check: proves a worker takes work from a queue."""
    return {"sent_at": sent_at, "answered_at": time.time()}
