"""Handing background work to the broker without ever blocking on it.

Every app publishes through :func:`publish`: by task name (so an app need not
import another's tasks), with one quick retry, and never raising. A publish
that fails (broker down, network cut) is logged and returns False; the
caller records that on its row and a beat sweeper publishes it again once
the broker answers, so an outage delays work but never loses it.
"""

import base64
import functools
import json
import logging
import os
import uuid

import redis
from celery.utils.nodenames import anon_nodename

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
    backend (the same Redis, in production) would stall the caller. A plain
    message (no countdown, no other option) to a Redis broker is written
    straight to its queue (``_publish_to_redis``).
    """
    if all(value is None for value in options.values()):
        published = _publish_to_redis(task_name, args, queue=queue)
        if published is not None:
            return published
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


# What a plain message's body says after its arguments: no keyword arguments,
# no callbacks, chain or chord (Celery's task protocol 2).
_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
# Broker settings under which a message is not a plain LPUSH on the queue's key.
_UNPLAIN_OPTIONS = frozenset({"global_keyprefix", "sep", "priority_steps"})
_brokers: dict[str, redis.Redis] = {}


def _publish_to_redis(task_name: str, args: list, *, queue: str | None) -> bool | None:
    """Push the message Celery would send (protocol 2, the same JSON kombu's
    Redis transport writes) onto the queue's list, with one quick retry as in
    PUBLISH_RETRY_POLICY: building it through Celery and kombu cost more CPU
    than anything else in an upload. True if the broker took it, False if it
    refused, None when the broker is not a plain Redis (Celery sends it then)."""
    url = app.conf.broker_write_url or app.conf.broker_url
    options = app.conf.broker_transport_options or {}
    if not url.startswith("redis://") or _UNPLAIN_OPTIONS & options.keys():
        return None
    queue = queue or _route(task_name)
    try:
        _broker(url, options).lpush(queue, _message(task_name, args, queue=queue))
    except redis.RedisError:
        logger.warning("broker unavailable; %s%s left for the sweeper", task_name, args)
        return False
    return True


def _broker(url: str, options: dict) -> redis.Redis:
    client = _brokers.get(url)
    if client is None:
        client = _brokers[url] = redis.Redis.from_url(
            url,
            socket_timeout=options.get("socket_timeout"),
            socket_connect_timeout=options.get("socket_connect_timeout"),
            health_check_interval=options.get("health_check_interval", 0),
            retry=redis.retry.Retry(
                redis.backoff.ConstantBackoff(PUBLISH_RETRY_POLICY["interval_start"]),
                PUBLISH_RETRY_POLICY["max_retries"],
            ),
        )
    return client


@functools.cache
def _route(task_name: str) -> str:
    """The queue Celery's router sends the task to (the routes are settings)."""
    return app.amqp.router.route({}, task_name)["queue"].name


@functools.cache
def _origin(pid: int) -> str:
    """This process's name in its messages, as Celery writes it (pid included)."""
    return anon_nodename()


def _message(task_name: str, args: list, *, queue: str) -> str:
    task_id = str(uuid.uuid4())
    body = json.dumps([args, {}, _EMBED]).encode()
    headers = {
        "lang": "py",
        "task": task_name,
        "id": task_id,
        "shadow": None,
        "eta": None,
        "expires": None,
        "group": None,
        "group_index": None,
        "retries": 0,
        "timelimit": [None, None],
        "root_id": task_id,
        "parent_id": None,
        "argsrepr": repr(args),
        "kwargsrepr": "{}",
        "origin": _origin(os.getpid()),
        "ignore_result": True,
        "replaced_task_nesting": 0,
        "stamped_headers": None,
        "stamps": {},
    }
    properties = {
        "correlation_id": task_id,
        "reply_to": app.thread_oid,
        "delivery_mode": 2,
        "delivery_info": {"exchange": "", "routing_key": queue},
        "priority": 0,
        "body_encoding": "base64",
        "delivery_tag": str(uuid.uuid4()),
    }
    return json.dumps(
        {
            "body": base64.b64encode(body).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": headers,
            "properties": properties,
        }
    )
