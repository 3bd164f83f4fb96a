"""Handing background work to the broker without ever blocking on it.

Every app publishes through :func:`publish`: by task name (so an app need not
import another's tasks), with one quick retry, and never raising. A publish
that fails (broker down, network cut) is logged and returns False; the
caller records that on its row and a beat sweeper publishes it again once
the broker answers, so an outage delays work but never loses it.
"""

import logging

from league.celery import app

logger = logging.getLogger(__name__)

# One quick retry, then give up: the request must answer within 2 s even
# when the broker is gone (the connection timeout is CELERY_BROKER_CONNECTION_TIMEOUT).
PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.1,
    "interval_step": 0.2,
    "interval_max": 0.3,
}


def publish(task_name: str, args: list, *, queue: str | None = None, **options) -> bool:
    """Send one task message; True if the broker took it. Never raises.

    Nobody waits for the result (``ignore_result``): without it a dead result
    backend (the same Redis, in production) would stall the caller.
    """
    if queue is not None:
        options["queue"] = queue
    try:
        app.send_task(
            task_name,
            args=args,
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
            **options,
        )
    except Exception:  # noqa: BLE001 - any broker failure: the caller's sweeper publishes later
        logger.warning("broker unavailable; %s%s left for the sweeper", task_name, args)
        return False
    return True
