"""The health check: database, broker and a real round trip through a worker."""

import time

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection

from league.celery import app
from league.tasks import ping

WORKER_TIMEOUT_SECONDS = 5.0
QUEUES = ("default", "evaluation")


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - every failure is a finding here
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    result = {"ok": ok, "latency_ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _broker() -> str:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return (
            conn.transport_cls if isinstance(conn.transport_cls, str) else conn.info()["transport"]
        )


def _worker(queue: str):
    def check() -> str:
        result = ping.apply_async(args=[time.time()], queue=queue, expires=WORKER_TIMEOUT_SECONDS)
        try:
            result.get(timeout=WORKER_TIMEOUT_SECONDS, interval=0.05)
        except CeleryTimeout as exc:
            raise TimeoutError(
                f"no worker answered on queue “{queue}” within {WORKER_TIMEOUT_SECONDS:.0f} s"
            ) from exc
        return f"queue {queue}"

    return check


def health_report(*, include_worker: bool = True) -> dict:
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    if include_worker and checks["broker"]["ok"]:
        for queue in QUEUES:
            checks[f"worker_{queue}"] = _timed(_worker(queue))
    elif include_worker:
        for queue in QUEUES:
            checks[f"worker_{queue}"] = {"ok": False, "detail": "broker unreachable"}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
