"""R1–R5 against real PostgreSQL, Redis and Celery worker processes.

The evaluation is slowed down for R1 and R5 by starting the worker through
tests/slow_worker.py, which sleeps before scoring (production has no hook).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from league.celery import app
from league.errors import RuleViolation
from submissions import services
from submissions.models import Submission, TeamBest
from tests.submissions.conftest import CLOSED_PORT, broker_at, csv_upload

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def wait_for(predicate, *, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    rows = list(Submission.objects.values_list("id", "status", "attempts", "error_code"))
    log = worker.log() if worker else ""
    raise AssertionError(f"timed out waiting for {what}; rows={rows}\n{log}")


def submit(arena, content=None):
    return services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload(content)
    )


def statuses() -> list[str]:
    return list(Submission.objects.order_by("id").values_list("status", flat=True))


def test_r1_kill_9_mid_evaluation_then_every_submission_is_scored_once(arena, start_worker):
    arena.phase.daily_limit = 10
    arena.phase.save()
    first = start_worker(queues="evaluation", concurrency=2, evaluation_delay=4)
    submissions = [submit(arena) for _ in range(4)]
    wait_for(
        lambda: Submission.objects.filter(status="running").count() == 2,
        timeout=20,
        what="two running evaluations",
        worker=first,
    )
    first.kill_hard()
    assert Submission.objects.filter(status="running").count() == 2

    # What the beat sweeper does every minute, with the deadlines of a test.
    counts = services.submissions_requeue_stuck(
        running_after=timedelta(0), queued_after=timedelta(0)
    )
    assert counts["requeued"] == 2
    second = start_worker(queues="evaluation", concurrency=2, evaluation_delay=0.2)
    wait_for(lambda: statuses() == ["scored"] * 4, timeout=30, what="all scored", worker=second)
    attempts = sorted(Submission.objects.values_list("attempts", flat=True))
    assert attempts == [1, 1, 2, 2], "each killed evaluation ran once more, the others once"
    best = TeamBest.objects.get(registration=arena.registration, phase=arena.phase)
    assert best.scored_count == 4
    assert {s.pk for s in submissions} == set(
        Submission.objects.filter(status="scored").values_list("pk", flat=True)
    )


def test_r2_broker_down_the_request_answers_fast_and_the_sweeper_recovers(
    arena, start_worker, client
):
    client.force_login(arena.member)
    with broker_at(CLOSED_PORT):
        started = time.monotonic()
        response = client.post(f"/api/phases/{arena.phase.pk}/submissions/", {"file": csv_upload()})
        elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < 2.0, f"the request took {elapsed:.2f} s with the broker down"
    submission = Submission.objects.get()
    assert submission.status == "queued" and submission.enqueued_at is None

    worker = start_worker(queues="evaluation")
    counts = services.submissions_requeue_stuck(unpublished_after=timedelta(0))
    assert counts["published"] == 1
    wait_for(lambda: statuses() == ["scored"], timeout=20, what="scored", worker=worker)
    submission.refresh_from_db()
    assert submission.enqueued_at is not None and submission.attempts == 1


def test_r3_poison_submission_fails_safely_after_three_attempts(arena, start_worker):
    worker = start_worker(queues="evaluation")
    with broker_at(CLOSED_PORT):  # keep it from the worker until its file is gone
        poison = submit(arena)
    # The stored file vanishes: every attempt crashes the evaluator.
    poison.file.storage.delete(poison.file.name)
    services.submissions_requeue_stuck(unpublished_after=timedelta(0))
    wait_for(lambda: statuses() == ["failed"], timeout=25, what="failed", worker=worker)
    poison.refresh_from_db()
    assert poison.attempts == 3
    assert poison.error_code == "internal_error"
    assert poison.failure_cause == "platform" and not poison.counts_against_quota
    from submissions.presentation import submission_public_dict

    reason = submission_public_dict(poison)["error_message"]
    assert "3 times" in reason
    assert "Traceback" not in reason and "FileNotFound" not in reason and "/" not in reason
    time.sleep(2)
    poison.refresh_from_db()
    assert poison.attempts == 3, "never loops"


@pytest.mark.parametrize("limit", ["daily", "total"])
def test_r4_concurrent_submissions_never_exceed_the_quota(arena, limit):
    if limit == "daily":
        arena.phase.daily_limit, arena.phase.total_limit = 3, 50
    else:
        arena.phase.daily_limit, arena.phase.total_limit = 4, 4
    arena.phase.save()
    allowed = 3 if limit == "daily" else 4
    barrier = threading.Barrier(12)
    accepted, refused, errors = [], [], []

    def one():
        try:
            barrier.wait()
            accepted.append(submit(arena).pk)
        except RuleViolation as exc:
            refused.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(12)]
    with broker_at(CLOSED_PORT):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors
    assert len(accepted) == allowed
    assert Submission.objects.filter(counts_against_quota=True).count() == allowed
    assert set(refused) == {f"{limit}_limit_reached"}


def test_r5_evaluation_past_its_time_limit_fails_and_the_worker_survives(arena, start_worker):
    worker = start_worker(
        queues="default,evaluation",
        evaluation_delay=6,
        extra_env={"TASK_SOFT_TIME_LIMIT": "2", "TASK_TIME_LIMIT": "8"},
    )
    submission = submit(arena)
    wait_for(lambda: statuses() == ["failed"], timeout=20, what="failed", worker=worker)
    submission.refresh_from_db()
    assert submission.error_code == "time_limit"
    assert submission.failure_cause == "platform" and not submission.counts_against_quota
    from submissions.presentation import submission_public_dict

    assert submission_public_dict(submission)["error_message"].startswith(
        "The evaluation went past its time limit"
    )
    assert worker.proc.poll() is None
    answer = app.send_task("league.ping", args=[time.time()], queue="default").get(timeout=15)
    assert "answered_at" in answer
