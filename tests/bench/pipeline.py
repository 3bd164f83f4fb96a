"""P2: submit → stored → queued → a worker scores a 10,000-row file → leaderboard
row updated, with the real Redis broker and 2 worker processes, against the
bare scoring loop run with the same parallelism: 2 processes, same files, same
metric, no web, no queue."""

import multiprocessing
import random
import time

import django
from django.core.files import File
from django.db.models import Count, Sum

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
    bare_seconds = _bare_loop(phase.answer_key.file.path, paths)

    worker = WorkerProcess(
        database_url=env["DATABASE_URL"],
        queues="evaluation",
        concurrency=2,
        name="bench-p2",
        extra_env={"DJANGO_SETTINGS_MODULE": "tests.settings"},
    )
    try:
        worker.wait_ready()
        started = time.perf_counter()
        for user, path in zip(users, paths, strict=True):
            with path.open("rb") as handle:
                submission_create(user=user, phase=phase, upload=File(handle, name="p.csv"))
        _wait_until_scored(phase, FILES)
        pipeline_seconds = time.perf_counter() - started
    finally:
        worker.stop()

    statuses = dict(
        Submission.objects.filter(phase=phase).values_list("status").annotate(n=Count("id"))
    )
    board = TeamBest.objects.filter(phase=phase).aggregate(n=Sum("scored_count"))["n"]
    bare = FILES / bare_seconds
    pipeline = FILES / pipeline_seconds
    return {
        "id": "P2",
        "what": f"{FILES} files × {ROWS:,} rows, 2 worker processes, Redis",
        "baseline": f"bare scoring loop, {PROCESSES} processes, {bare:.2f} files/s",
        "measured": f"pipeline {pipeline:.2f} files/s",
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
        },
    }


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
