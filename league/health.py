"""The health check: database, broker and a real round trip through a worker."""

import time
from collections.abc import Callable

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


# Checks that apps downstream of league add (league imports none of them):
# name -> (check, whether a failure makes the whole report degraded).
_REGISTERED: dict[str, tuple[Callable[[], str], bool]] = {}


def register_check(name: str, check: Callable[[], str], *, critical: bool = True) -> None:
    """Add a check to the report: it returns a detail, or raises with the reason."""
    _REGISTERED[name] = (check, critical)


def health_report(*, include_worker: bool = True) -> dict:
    checks = {"database": _timed(_database), "broker": _timed(_broker)}
    if include_worker and checks["broker"]["ok"]:
        for queue in QUEUES:
            checks[f"worker_{queue}"] = _timed(_worker(queue))
    elif include_worker:
        for queue in QUEUES:
            checks[f"worker_{queue}"] = {"ok": False, "detail": "broker unreachable"}
    critical = set(checks)
    for name, (check, is_critical) in _REGISTERED.items():
        checks[name] = _timed(check)
        if is_critical:
            critical.add(name)
    return {"ok": all(checks[name]["ok"] for name in critical), "checks": checks}
