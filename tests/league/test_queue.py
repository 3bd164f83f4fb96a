"""Publishing to a Redis broker: the message written straight to the queue is
the one Celery would have sent, so a worker reads it the same way."""

import json

import pytest
import redis

from league.celery import app
from league.queue import publish
from tests.submissions.conftest import CLOSED_PORT, broker_at

pytestmark = pytest.mark.redis

# What differs from one message to the next.
FRESH = {("headers", "id"), ("headers", "root_id"), ("properties", "correlation_id")}
FRESH |= {("properties", "delivery_tag")}


@pytest.fixture
def broker():
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete("evaluation")
    yield client
    client.delete("evaluation")


def _without_fresh(message: dict) -> dict:
    for part, name in FRESH:
        assert message[part].pop(name)
    return message


def test_a_plain_message_is_the_one_celery_sends(broker):
    assert publish("submissions.evaluate", [41], time_limit=None, soft_time_limit=None)
    app.send_task(
        "submissions.evaluate", args=[41], ignore_result=True, time_limit=None, soft_time_limit=None
    )
    celerys, ours = (json.loads(raw) for raw in broker.lrange("evaluation", 0, -1))
    assert ours["headers"]["id"] == ours["properties"]["correlation_id"]
    assert _without_fresh(ours) == _without_fresh(celerys)


def test_a_message_with_a_countdown_goes_through_celery(broker):
    assert publish("submissions.evaluate", [7], countdown=60)
    (message,) = (json.loads(raw) for raw in broker.lrange("evaluation", 0, -1))
    assert message["headers"]["eta"]


def test_a_broker_that_is_down_refuses_fast():
    with broker_at(CLOSED_PORT):
        assert publish("submissions.evaluate", [7]) is False
