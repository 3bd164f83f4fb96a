"""The health check: database, broker and a real round trip through a worker.

Organizers (``FULL_REPORT_PERMISSION``) get the full report: every check with
its latency and detail, one round trip per queue. Everyone else gets a summary
(ok or not per check, and only the platform's own findings as detail, never an
exception's text) kept in the shared cache: it is refreshed at most every
``SUMMARY_MAX_AGE_SECONDS`` by one request, holding a lock, with one round trip
and never more than ``SUMMARY_BUDGET_SECONDS`` of waiting, so strangers cannot
make the check expensive.
"""

import logging
import time
from collections.abc import Callable

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from league.celery import app
from league.tasks import ping

logger = logging.getLogger(__name__)

WORKER_TIMEOUT_SECONDS = 5.0
QUEUES = ("default", "evaluation")
FULL_REPORT_PERMISSION = "league.change_season"

SUMMARY_QUEUE = "default"
SUMMARY_MAX_AGE_SECONDS = 10
SUMMARY_BUDGET_SECONDS = 2.0
# A stale summary is still served while one request refreshes it.
SUMMARY_KEPT_SECONDS = 300
SUMMARY_KEY = "league:health:summary"
REFRESH_LOCK_KEY = "league:health:refresh"


class NoWorkerAnswered(TimeoutError):
    """The platform's own finding, worded by us: safe to show anyone."""


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
        conn.ensure_connection(
            max_retries=1, interval_start=0, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT
        )
        return (
            conn.transport_cls if isinstance(conn.transport_cls, str) else conn.info()["transport"]
        )


def _worker(queue: str, timeout: float | None = None):
    def check() -> str:
        wait = WORKER_TIMEOUT_SECONDS if timeout is None else timeout
        result = ping.apply_async(args=[time.time()], queue=queue, expires=wait)
        try:
            result.get(timeout=wait, interval=0.05)
        except CeleryTimeout as exc:
            raise NoWorkerAnswered(
                f"no worker answered on queue “{queue}” within {wait:g} s"
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
    return {"ok": _add_registered(checks, run=_timed), "checks": checks}


def _add_registered(checks: dict, *, run) -> bool:
    """Run the registered checks into ``checks``; whether every critical one passed."""
    critical = set(checks)
    for name, (check, is_critical) in _REGISTERED.items():
        checks[name] = run(check)
        if is_critical:
            critical.add(name)
    return all(checks[name]["ok"] for name in critical)


# ------------------------------------------------------------------ the public summary


def _passed(check) -> dict:
    try:
        check()
    except NoWorkerAnswered as finding:
        return {"ok": False, "detail": str(finding)}
    except Exception:
        logger.warning("health check failed", exc_info=True)
        return {"ok": False}
    return {"ok": True}


def health_summary() -> dict:
    """The checks without their latency or exception text: one worker round trip."""
    started = time.monotonic()
    checks = {"database": _passed(_database), "broker": _passed(_broker)}
    worker = f"worker_{SUMMARY_QUEUE}"
    if checks["broker"]["ok"]:
        left = SUMMARY_BUDGET_SECONDS - (time.monotonic() - started)
        wait = max(0.1, min(WORKER_TIMEOUT_SECONDS, left))
        checks[worker] = _passed(_worker(SUMMARY_QUEUE, timeout=wait))
    else:
        checks[worker] = {"ok": False, "detail": "broker unreachable"}
    return {
        "ok": _add_registered(checks, run=_passed),
        "checked_at": timezone.now().isoformat(),
        "checks": checks,
    }


def cached_health_summary() -> dict:
    """The summary from the shared cache; one caller at a time refreshes it."""
    try:
        entry = cache.get(SUMMARY_KEY)
        if entry and time.time() - entry["at"] < SUMMARY_MAX_AGE_SECONDS:
            return entry["summary"]
        if cache.add(REFRESH_LOCK_KEY, True, timeout=int(SUMMARY_BUDGET_SECONDS) + 5):
            try:
                summary = health_summary()
                cache.set(
                    SUMMARY_KEY, {"summary": summary, "at": time.time()}, SUMMARY_KEPT_SECONDS
                )
            finally:
                cache.delete(REFRESH_LOCK_KEY)
            return summary
        if entry:
            return entry["summary"]
        # The very first check is under way in another request: wait for it.
        deadline = time.monotonic() + SUMMARY_BUDGET_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            entry = cache.get(SUMMARY_KEY)
            if entry:
                return entry["summary"]
    except Exception:
        logger.warning("health summary cache failed", exc_info=True)
        return {
            "ok": False,
            "checked_at": timezone.now().isoformat(),
            "checks": {"cache": {"ok": False}},
        }
    return {
        "ok": False,
        "checked_at": timezone.now().isoformat(),
        "checks": {"summary": {"ok": False, "detail": "still being checked"}},
    }


def health_for(*, user) -> dict:
    """The full report for organizers, the cached summary for everyone else."""
    if user.has_perm(FULL_REPORT_PERMISSION):
        return health_report()
    return cached_health_summary()
