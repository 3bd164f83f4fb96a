"""The Celery app. Its configuration lives in settings.py (``CELERY_*``):
JSON only, late acknowledgement, time limits, prefetch 1, two queues.

Long work (evaluations) goes to the ``evaluation`` queue, everything else
to ``default``; run one worker pool per queue to scale them separately.
"""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# ``filesystem://`` (the embedded default) writes each message atomically.
TRANSPORT_ALIASES["filesystem"] = "league.broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "league.settings")

app = Celery("league")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
