"""Outages and lost workers, against real PostgreSQL, Redis and Celery
worker processes: a hung or restarted broker, evaluators that crash or
exhaust memory, workers killed in the middle of an evaluation.

Leases and the sweeper run with the short intervals of a test (seconds);
the figures printed are what the README quotes.
"""

import os
import signal
import time

import pytest

from submissions import services
from submissions.models import Submission
from submissions.presentation import submission_public_dict
from tests.faulty_worker import faulty_csv
from tests.own_redis import OwnRedis
from tests.submissions.conftest import broker_at, csv_upload
from tests.submissions.test_reliability import statuses, submit, wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

# A lease of 3 s renewed every second; the sweeper every second.
SHORT_LEASE = {"EVALUATION_LEASE_SECONDS": "3", "SWEEPER_INTERVAL": "1"}


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def reason_of(submission) -> str:
    submission.refresh_from_db()
    return submission_public_dict(submission)["error_message"]


def assert_participant_safe(reason: str) -> None:
    assert reason
    for leak in ("Traceback", "Error", "/", "SIG", "pid"):
        assert leak not in reason


# --- Lost workers: the lease --------------------------------------------------


def test_worker_child_killed_mid_evaluation_is_scored_again_at_once(arena, start_worker):
    worker = start_worker(queues="evaluation", evaluation_delay=3, extra_env=SHORT_LEASE)
    submission = submit(arena)
    wait_for(lambda: statuses() == ["running"], timeout=20, what="running", worker=worker)
    (child,) = worker.child_pids()
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    wait_for(lambda: statuses() == ["scored"], timeout=60, what="scored", worker=worker)
    print(f"pool process killed: scored again {time.monotonic() - killed:.1f} s later")
    submission.refresh_from_db()
    assert submission.attempts == 2
    assert worker.proc.poll() is None, "the worker itself survived"


def test_lost_worker_lease_lapses_and_a_fresh_worker_scores_within_a_minute(arena, start_worker):
    first = start_worker(queues="evaluation", evaluation_delay=30, extra_env=SHORT_LEASE)
    submission = submit(arena)
    wait_for(lambda: statuses() == ["running"], timeout=20, what="running", worker=first)
    first.kill_hard()
    killed = time.monotonic()
    second = start_worker(
        queues="default,evaluation", evaluation_delay=0.2, beat=True, extra_env=SHORT_LEASE
    )
    wait_for(lambda: statuses() == ["scored"], timeout=60, what="scored", worker=second)
    print(f"whole worker killed: scored by another {time.monotonic() - killed:.1f} s later")
    submission.refresh_from_db()
    assert submission.attempts == 2


def test_a_slow_evaluation_that_keeps_its_lease_is_never_run_twice(arena, start_worker):
    lease = {"EVALUATION_LEASE_SECONDS": "1.5", "SWEEPER_INTERVAL": "0.5"}
    slow = start_worker(queues="evaluation", evaluation_delay=8, extra_env=lease)
    submission = submit(arena)
    wait_for(lambda: statuses() == ["running"], timeout=30, what="running", worker=slow)
    # Once the slow worker holds it: an idle worker that runs the sweeper and
    # would take the job if it were re-queued.
    idle = start_worker(queues="default,evaluation", beat=True, extra_env=lease)
    wait_for(lambda: statuses() == ["scored"], timeout=40, what="scored", worker=slow)
    submission.refresh_from_db()
    assert submission.attempts == 1, "ran once, for four times as long as its lease"
    assert "submissions.evaluate" not in idle.log()
    assert "submissions.requeue_stuck" in idle.log(), "the sweeper did run meanwhile"


def test_a_late_finisher_whose_lease_lapsed_overwrites_nothing(arena):
    from datetime import timedelta

    from django.utils import timezone

    from submissions.evaluation.scoring import Scores
    from submissions.services import evaluation, lease

    submission = submit(arena)
    first_attempt = evaluation._claim(submission.pk).attempts
    Submission.objects.filter(pk=submission.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert services.submissions_requeue_stuck()["requeued"] == 1
    second_attempt = evaluation._claim(submission.pk).attempts
    assert (first_attempt, second_attempt) == (1, 2)

    late = evaluation._record_score(
        submission, Scores(public=0.1, private=0.1, rows=1, details=None), first_attempt
    )
    assert late == services.Outcome.SKIPPED
    assert not evaluation._finish_failed(
        submission.pk, cause="platform", code="internal_error", attempt=first_attempt
    )
    submission.refresh_from_db()
    assert (submission.status, submission.public_score) == ("running", None)
    assert not lease.lease_renew(submission_id=submission.pk, attempt=first_attempt)


# --- Crashing evaluators ------------------------------------------------------


@pytest.mark.parametrize("fault", ["abort", "segfault"])
def test_an_evaluator_that_crashes_the_process_fails_safely_and_the_pool_survives(
    arena, start_worker, fault
):
    worker = start_worker(queues="evaluation", faulty=True, extra_env=SHORT_LEASE)
    started = time.monotonic()
    crashing = submit(arena, faulty_csv(fault))
    wait_for(lambda: statuses() == ["failed"], timeout=45, what="failed", worker=worker)
    print(f"{fault}: failed after 3 attempts in {time.monotonic() - started:.1f} s")
    crashing.refresh_from_db()
    assert (crashing.error_code, crashing.attempts) == ("interrupted", 3)
    assert not crashing.counts_against_quota
    reason = reason_of(crashing)
    assert "interrupted 3 times" in reason
    assert_participant_safe(reason)

    assert worker.proc.poll() is None
    submit(arena)
    wait_for(
        lambda: statuses() == ["failed", "scored"], timeout=30, what="next scored", worker=worker
    )


def test_an_evaluator_that_exhausts_memory_fails_safely_and_the_pool_survives(arena, start_worker):
    worker = start_worker(
        queues="evaluation", faulty=True, extra_env={"EVALUATION_MEMORY_LIMIT_MB": "1536"}
    )
    hungry = submit(arena, faulty_csv("memory"))
    wait_for(lambda: statuses() == ["failed"], timeout=30, what="failed", worker=worker)
    hungry.refresh_from_db()
    assert (hungry.error_code, hungry.attempts) == ("out_of_memory", 1)
    assert hungry.failure_cause == "platform" and not hungry.counts_against_quota
    reason = reason_of(hungry)
    assert reason.startswith("The evaluation ran out of memory")
    assert_participant_safe(reason)

    submit(arena)
    wait_for(
        lambda: statuses() == ["failed", "scored"], timeout=30, what="next scored", worker=worker
    )


# --- The broker hangs or restarts -------------------------------------------------


def test_hung_broker_upload_answers_within_2_s_and_is_scored_once_it_resumes(
    arena, start_worker, client, own_redis
):
    worker = start_worker(
        queues="default,evaluation",
        beat=True,
        extra_env={
            "CELERY_BROKER_URL": own_redis.url,
            "CELERY_RESULT_BACKEND": own_redis.url,
            "SUBMISSION_UNPUBLISHED_AFTER": "1",
            **SHORT_LEASE,
        },
    )
    client.force_login(arena.member)
    with broker_at(own_redis.url):
        own_redis.hang()
        try:
            started = time.monotonic()
            response = client.post(
                f"/api/phases/{arena.phase.pk}/submissions/", {"file": csv_upload()}
            )
            elapsed = time.monotonic() - started
            kept = statuses()
            time.sleep(1)
        finally:
            own_redis.resume()
    resumed = time.monotonic()
    assert response.status_code == 201, response.content
    assert elapsed < 2.0, f"the upload took {elapsed:.2f} s with the broker hung"
    assert kept == ["queued"]
    wait_for(lambda: statuses() == ["scored"], timeout=40, what="scored", worker=worker)
    recovered = time.monotonic() - resumed
    print(f"hung broker: upload answered in {elapsed:.2f} s, scored {recovered:.1f} s after")


def test_broker_restart_the_running_worker_reconnects_by_itself(
    arena, start_worker, client, own_redis
):
    worker = start_worker(
        queues="default,evaluation",
        beat=True,
        extra_env={
            "CELERY_BROKER_URL": own_redis.url,
            "CELERY_RESULT_BACKEND": own_redis.url,
            "SUBMISSION_UNPUBLISHED_AFTER": "1",
            **SHORT_LEASE,
        },
    )
    client.force_login(arena.member)
    url = f"/api/phases/{arena.phase.pk}/submissions/"
    with broker_at(own_redis.url):
        assert client.post(url, {"file": csv_upload()}).status_code == 201
        wait_for(lambda: statuses() == ["scored"], timeout=20, what="scored", worker=worker)

        own_redis.kill_hard()
        own_redis.start()
        restarted = time.monotonic()
        assert client.post(url, {"file": csv_upload()}).status_code == 201
        wait_for(
            lambda: statuses() == ["scored", "scored"], timeout=45, what="scored", worker=worker
        )
    print(f"broker restarted: next upload scored {time.monotonic() - restarted:.1f} s later")
    assert worker.proc.poll() is None
