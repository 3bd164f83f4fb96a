"""The lease of a running evaluation.

A worker that claims a submission writes who it is (``host:pid``) and when
its lease ends; a background thread renews the lease while the evaluation
runs. The sweeper re-queues a running submission whose lease lapsed (its
worker is gone), and a worker that sees a redelivered job whose owner was a
process of its own host that has died takes it back at once. Every write of
an attempt is guarded by its number (``attempts``), so a late finisher from
a lapsed lease changes nothing.
"""

import contextlib
import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from submissions.models import Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(settings.EVALUATION_LEASE_SECONDS)


def lease_end(now=None):
    return (now or timezone.now()) + timedelta(seconds=lease_seconds())


def this_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_is_dead(owner: str) -> bool:
    """True when ``owner`` was a process of this host that no longer runs
    (or is this very process, which is not evaluating it any more)."""
    host, _, pid_text = owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def lease_renew(*, submission_id: int, attempt: int) -> bool:
    """Extend the lease of this attempt; False once it is no longer ours."""
    return bool(
        Submission.objects.filter(
            pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempt
        ).update(lease_expires_at=lease_end())
    )


@contextlib.contextmanager
def lease_kept(*, submission_id: int, attempt: int):
    """Renew the lease every third of its length while the block runs."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(lease_seconds() / 3):
                try:
                    if not lease_renew(submission_id=submission_id, attempt=attempt):
                        return
                except Exception:  # noqa: BLE001 - a missed renewal is retried next time
                    logger.warning("lease of submission %s not renewed", submission_id)
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"lease-{submission_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
