"""The Celery app: JSON only, late acknowledgement, time limits, two queues.

Long work (evaluations) goes to the ``evaluation`` queue, everything else
to ``default``; run one worker pool per queue to scale them separately.
"""

import os

from celery import Celery
from django.conf import settings
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")

app = Celery("league")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    task_time_limit=settings.TASK_TIME_LIMIT,
    task_soft_time_limit=settings.TASK_SOFT_TIME_LIMIT,
    worker_prefetch_multiplier=1,
    worker_max_tasks_per_child=200,
    result_expires=3600,
    task_queues=(Queue("default"), Queue("evaluation")),
    task_default_queue="default",
    task_routes={"submissions.*": {"queue": "evaluation"}},
    timezone="UTC",
    enable_utc=True,
    broker_connection_retry_on_startup=True,
    beat_schedule_filename=str(settings.VAR_DIR / "celerybeat-schedule"),
)
app.conf.beat_schedule = {}
app.autodiscover_tasks()
