"""P2: submit → stored → queued → a worker scores a 10,000-row file → leaderboard
row updated, with the real Redis broker and 2 worker processes, against the
bare scoring loop run with the same parallelism: 2 processes, same files, same
metric, no web, no queue.

The ratio is the bar's: from the first submit to the last leaderboard update.
Where the time goes is reported beside it: the intake alone (this process
submits one file after another, as one client would), and the worker side
alone, from "queued" (another phase's files, all queued before the worker
starts) to "leaderboard updated", timed by the rows' own claim and finish times.
"""

import multiprocessing
import os
import random
import time

import django
from django.core.files import File
from django.db.models import Count, Max, Min, Sum

from submissions.evaluation.scoring import score_predictions
from submissions.models import Submission, SubmissionStatus, TeamBest
from submissions.services import submission_create
from tests.bench import fixtures
from tests.bench.environment import REPORT_DIR
from tests.workers import WorkerProcess

FILES = 40
ROWS = 10_000
PROCESSES = 2  # as many as the worker's
BAR = 0.8


def run(env: dict) -> dict:
    rng = random.Random(2)
    phase, users, truth = fixtures.competition(
        label="p2", teams=FILES, rows=ROWS, daily_limit=5, total_limit=5, rng=rng
    )
    paths = fixtures.write_files(REPORT_DIR / "p2-files", FILES, truth, rng)
    waiting, waiting_users, waiting_truth = fixtures.competition(
        label="p2-queued", teams=FILES, rows=ROWS, daily_limit=5, total_limit=5, rng=rng
    )
    waiting_paths = fixtures.write_files(REPORT_DIR / "p2-files-queued", FILES, waiting_truth, rng)
    bare_seconds = _bare_loop(phase.answer_key.file.path, paths)

    _submit_all(waiting, waiting_users, waiting_paths)  # queued before any worker runs
    worker = WorkerProcess(
        database_url=env["DATABASE_URL"],
        queues="evaluation",
        concurrency=PROCESSES,
        name="bench-p2",
        # Persistent connections, as production's workers have them.
        extra_env={
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        },
    )
    try:
        worker.wait_ready()
        _wait_until_scored(waiting, FILES)
        started = time.perf_counter()
        intake_seconds = _submit_all(phase, users, paths)
        _wait_until_scored(phase, FILES)
        pipeline_seconds = time.perf_counter() - started
    finally:
        worker.stop()

    window = Submission.objects.filter(phase=waiting).aggregate(
        first=Min("started_at"), last=Max("finished_at")
    )
    worker_seconds = (window["last"] - window["first"]).total_seconds()
    statuses = dict(
        Submission.objects.filter(phase=phase).values_list("status").annotate(n=Count("id"))
    )
    board = TeamBest.objects.filter(phase=phase).aggregate(n=Sum("scored_count"))["n"]
    bare = FILES / bare_seconds
    pipeline = FILES / pipeline_seconds
    from_queued = FILES / worker_seconds
    intake = FILES / intake_seconds
    print(
        f"  P2 bare loop {bare:.1f} files/s; pipeline {pipeline:.1f} files/s "
        f"({pipeline / bare:.2f}); intake alone {intake:.1f} files/s "
        f"({intake_seconds / FILES * 1000:.0f} ms a file, one client); "
        f"queued → leaderboard {from_queued:.1f} files/s ({from_queued / bare:.2f})"
    )
    return {
        "id": "P2",
        "what": f"{FILES} files × {ROWS:,} rows, 2 worker processes, Redis, submit → leaderboard",
        "baseline": f"bare scoring loop, {PROCESSES} processes, {bare:.2f} files/s",
        "measured": f"pipeline {pipeline:.2f} files/s; intake alone {intake:.2f} files/s; "
        f"queued → leaderboard {from_queued:.2f} files/s ({from_queued / bare:.2f}× bare)",
        "ratio": round(pipeline / bare, 2),
        "bar": BAR,
        "passed": pipeline / bare >= BAR
        and board == FILES
        and statuses.get(SubmissionStatus.SCORED) == FILES,
        "details": {
            "scored": statuses,
            "leaderboard_entries": board,
            "bare_seconds": round(bare_seconds, 2),
            "pipeline_seconds": round(pipeline_seconds, 2),
            "intake_seconds": round(intake_seconds, 2),
            "queued_to_leaderboard_seconds": round(worker_seconds, 2),
            "queued_to_leaderboard_ratio": round(from_queued / bare, 2),
        },
    }


def _submit_all(phase, users, paths) -> float:
    """Each user submits their file, one after another; the seconds it took."""
    started = time.perf_counter()
    for user, path in zip(users, paths, strict=True):
        with path.open("rb") as handle:
            submission_create(user=user, phase=phase, upload=File(handle, name="p.csv"))
    return time.perf_counter() - started


def _bare_loop(key_path: str, paths: list) -> float:
    """Seconds to score every file in a pool of ``PROCESSES`` processes, started
    and warmed up beforehand, as the worker's are."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES, initializer=django.setup) as pool:
        pool.map(_score_file, [(key_path, str(paths[0]))] * PROCESSES)  # imports, key cache
        started = time.perf_counter()
        pool.map(_score_file, [(key_path, str(path)) for path in paths], chunksize=1)
        return time.perf_counter() - started


def _score_file(paths: tuple[str, str]) -> float:
    key_path, path = paths
    with open(key_path, "rb") as key, open(path, "rb") as predictions:
        scores = score_predictions(
            answer_key_file=key, prediction_file=predictions, metric_name="rmse"
        )
    return scores.public


def _wait_until_scored(phase, expected: int, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = TeamBest.objects.filter(phase=phase).aggregate(n=Sum("scored_count"))["n"] or 0
        if done >= expected:
            return
        time.sleep(0.05)
    raise TimeoutError(f"only {done} of {expected} submissions scored after {timeout} s")
