"""P3: a deadline burst. 200 concurrent clients upload 1,000 submissions through
the API (gunicorn, PostgreSQL, Redis): none lost, no quota exceeded, accepted
upload throughput against a bare Django view that only writes the file, and
where an intake's time goes (each response's ``Server-Timing`` stages)."""

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

from django.db.models import Count
from rest_framework.authtoken.models import Token

from submissions.models import Submission
from tests.bench import cpu, fixtures
from tests.bench.environment import REPORT_DIR, ROOT

CLIENTS = 200
ACCEPTED_PER_CLIENT = 5  # the phase's total limit
ATTEMPTS_PER_CLIENT = 6  # one more than the limit: must be refused
GUNICORN_WORKERS = 4
GUNICORN_THREADS = 8
WARM_CLIENTS = GUNICORN_WORKERS * GUNICORN_THREADS * 2
BAR = 0.35
GOAL = 0.5
# In the order an intake meets them; "record" is building the row around
# "quota_insert_commit" (one statement on PostgreSQL: the quota's spend, the
# INSERT and its commit); "django" is the rest of the server's time
# (middleware, DRF, rendering), "client" what the client waited beyond it.
STAGES = (
    "auth",
    "lookups",
    "parse",
    "checks",
    "storage",
    "record",
    "quota_insert_commit",
    "publish",
)


def run(env: dict) -> dict:
    rng = random.Random(3)
    phase, users, truth = fixtures.competition(
        label="p3",
        teams=CLIENTS,
        rows=200,
        daily_limit=ACCEPTED_PER_CLIENT,
        total_limit=ACCEPTED_PER_CLIENT,
        rng=rng,
    )
    tokens = [Token.objects.create(user=u).key for u in users]
    body = fixtures.prediction_csv(truth, rng)
    warm_phase, warm_users, _ = fixtures.competition(
        label="p3-warm", teams=WARM_CLIENTS, rows=200, daily_limit=5, total_limit=5, rng=rng
    )
    warm_tokens = [Token.objects.create(user=u).key for u in warm_users]
    server, base = _start_gunicorn(env)
    try:
        # Every worker process and thread has imported its modules, opened its
        # connections and read the phase before either side is timed.
        _burst(f"{base}/api/phases/{warm_phase.pk}/submissions/", warm_tokens, body, attempts=2)
        _burst(f"{base}/bench/bare-upload/", warm_tokens, body, attempts=2)
        before = cpu.snapshot()
        bare_seconds, bare_results = _burst(
            f"{base}/bench/bare-upload/", tokens, body, attempts=ACCEPTED_PER_CLIENT
        )
        between = cpu.snapshot()
        real_seconds, real_results = _burst(
            f"{base}/api/phases/{phase.pk}/submissions/",
            tokens,
            body,
            attempts=ATTEMPTS_PER_CLIENT,
        )
        bare_cpu, real_cpu = cpu.spent(before, between), cpu.spent(between, cpu.snapshot())
    finally:
        server.terminate()
        server.wait(timeout=30)

    accepted_ids = [r["id"] for status, r, _ in real_results if status == 201]
    refused = [r for status, r, _ in real_results if status == 422]
    errors = [(status, r) for status, r, _ in real_results if status not in (201, 422)]
    breakdown = _breakdown([timing for status, _, timing in real_results if status == 201])
    stored = set(Submission.objects.filter(phase=phase).values_list("id", flat=True))
    per_team = Submission.objects.filter(phase=phase).values("registration").annotate(n=Count("id"))
    over_quota = [row for row in per_team if row["n"] > ACCEPTED_PER_CLIENT]
    lost = set(accepted_ids) - stored
    ghost = stored - set(accepted_ids)
    bare = sum(1 for s, _, _ in bare_results if s == 201) / bare_seconds
    real = len(accepted_ids) / real_seconds
    ratio = real / bare
    cpu_ms = {
        "bare_upload": _per_upload(bare_cpu, sum(1 for s, _, _ in bare_results if s == 201)),
        "accepted_upload": _per_upload(real_cpu, len(accepted_ids)),
    }
    return {
        "id": "P3",
        "what": f"{CLIENTS} concurrent clients, {len(accepted_ids)} accepted uploads "
        f"(+{len(refused)} refused over quota), gunicorn {GUNICORN_WORKERS}×{GUNICORN_THREADS}",
        "baseline": f"bare upload view {bare:.1f} uploads/s",
        "measured": f"intake {real:.1f} accepted uploads/s",
        "ratio": round(ratio, 2),
        "bar": BAR,
        "goal": GOAL,
        "passed": ratio >= BAR
        and not lost
        and not ghost
        and not over_quota
        and not errors
        and len(accepted_ids) == CLIENTS * ACCEPTED_PER_CLIENT,
        "details": {
            "lost": len(lost),
            "stored_without_answer": len(ghost),
            "teams_over_quota": len(over_quota),
            "other_errors": errors[:5],
            "refused_over_quota": len(refused),
            "bare_seconds": round(bare_seconds, 2),
            "intake_seconds": round(real_seconds, 2),
            "accepted_intake_ms": breakdown,
            "cpu_ms_per_upload": cpu_ms,
        },
    }


def _per_upload(seconds_by_kind: dict[str, float], uploads: int) -> dict:
    """CPU milliseconds per upload by kind of process (refused attempts' share included)."""
    if not seconds_by_kind or not uploads:
        return {}
    per = {kind: round(s * 1000 / uploads, 2) for kind, s in sorted(seconds_by_kind.items())}
    per["all"] = round(sum(seconds_by_kind.values()) * 1000 / uploads, 2)
    print("CPU ms per upload: " + "  ".join(f"{k} {v}" for k, v in per.items()))
    return per


def _breakdown(timings: list[dict]) -> dict:
    """Mean milliseconds per stage over the accepted uploads, as measured by the server."""
    if not timings:
        return {}
    mean = {
        name: round(sum(t.get(name, 0.0) for t in timings) / len(timings), 2)
        for name in (*STAGES, "total", "client")
    }
    mean["django"] = round(mean["total"] - sum(mean[name] for name in STAGES), 2)
    print("where an accepted intake's time goes (mean ms, server-measured):")
    print("  " + "  ".join(f"{name} {mean[name]}" for name in (*STAGES, "django", "total")))
    print(f"  client-observed {mean['client'] + mean['total']:.2f} ms")
    return mean


def _server_timing(header: str | None) -> dict:
    stages = {}
    for part in (header or "").split(","):
        name, _, duration = part.strip().partition(";dur=")
        if duration:
            stages[name] = float(duration)
    return stages


def _start_gunicorn(env: dict, ready_path: str = "/api/schema/", startup_seconds: int = 60):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(REPORT_DIR / "gunicorn.log", "wb")  # noqa: SIM115 - lives as long as the server
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "league.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(GUNICORN_WORKERS),
            "-k",
            "gthread",
            "--threads",
            str(GUNICORN_THREADS),
            "--backlog",
            "1024",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "tests.bench.settings"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}{ready_path}", timeout=2)  # noqa: S310 - local server
            return server, base
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("gunicorn did not start; see var/bench/gunicorn.log")


def _post(url: str, token: str, body: bytes) -> tuple[int, dict, dict]:
    """The answer's status, JSON body and stages (``Server-Timing``, plus
    ``client``: what the client waited beyond the server's own time)."""
    boundary = uuid.uuid4().hex
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="predictions.csv"\r\nContent-Type: text/csv\r\n\r\n'
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310 - local server
        url,
        data=payload,
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Token {token}",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            status, answer = response.status, json.loads(response.read() or b"{}")
            timing = _server_timing(response.headers.get("Server-Timing"))
    except urllib.error.HTTPError as error:
        status, timing = error.code, _server_timing(error.headers.get("Server-Timing"))
        try:
            answer = json.loads(error.read() or b"{}")
        except ValueError:
            answer = {}
    waited = (time.perf_counter() - started) * 1000
    timing["client"] = waited - timing.get("total", 0.0)
    return status, answer, timing


def _burst(url: str, tokens: list[str], body: bytes, *, attempts: int):
    results: list[tuple[int, dict, dict]] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(tokens))

    def client(token: str) -> None:
        gate.wait()
        mine = [_post(url, token, body) for _ in range(attempts)]
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results
