"""Evaluation: claim a queued submission, score it, record the result.

Safe to run twice: the claim is a conditional UPDATE queued → running, so a
redelivered or duplicated job finds nothing to do. The claim numbers the
attempt and takes a lease (services/lease.py); every later write is guarded
by that number, so an attempt whose lease lapsed cannot overwrite the one
that replaced it. The score and the team's best are written in one
transaction, retried when the database is briefly unavailable.
"""

import logging
from enum import StrEnum
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.encoding import force_str

from league.db import retry_on_operational_error
from submissions.evaluation.errors import (
    EvaluationError,
    stored_violations,
)
from submissions.evaluation.scoring import Scores
from submissions.models import AnswerKey, FailureCause, Submission, SubmissionStatus
from submissions.modes import get_mode
from submissions.rules import MAX_ATTEMPTS
from submissions.sandbox import SandboxFailure, SandboxUnavailable
from submissions.services.lease import lease_end, lease_kept, owner_is_dead, this_owner
from submissions.services.notices import submission_notify_later, wants_mail
from submissions.services.queue import publish_evaluation
from submissions.services.quota import quota_give_back
from submissions.services.standings import teambest_refresh

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    SCORED = "scored"
    FAILED = "failed"
    RETRY = "retry"
    SKIPPED = "skipped"


def submission_evaluate(*, submission_id: int) -> Outcome:
    """Evaluate one submission if it is still waiting; otherwise do nothing.

    A job redelivered because the process evaluating it died (a crash, the
    kernel's out-of-memory killer) takes the submission back at once; one
    whose worker is still alive, or on another machine, is left to its lease.
    """
    submission = _claim(submission_id)
    if submission is None:
        taken = _take_back_from_dead_owner(submission_id)
        if taken is Outcome.FAILED:
            submission_notify_later(submission_id=submission_id)
            return Outcome.FAILED
        if taken:
            submission = _claim(submission_id)
    if submission is None:
        if submission_fail_exhausted(submission_id=submission_id):
            submission_notify_later(submission_id=submission_id)
            return Outcome.FAILED
        return Outcome.SKIPPED
    attempt = submission.attempts
    with lease_kept(submission_id=submission_id, attempt=attempt):
        outcome = _evaluate_claimed(submission, attempt)
    if outcome in (Outcome.SCORED, Outcome.FAILED) and wants_mail(submission.submitted_by):
        submission_notify_later(submission_id=submission_id)
    return outcome


def _evaluate_claimed(submission: Submission, attempt: int) -> Outcome:
    submission_id = submission.pk
    fail = partial(_finish_failed, submission_id, attempt=attempt)
    try:
        scores = get_mode(submission.phase.challenge.evaluation_mode).evaluate(submission)
    except EvaluationError as exc:
        fail(
            cause=FailureCause.FILE,
            code=exc.code,
            message=_fallback_text(exc.violations),
            params={"violations": stored_violations(exc.violations)},
            details=getattr(exc, "run_details", None),
        )
        return Outcome.FAILED
    except SoftTimeLimitExceeded:
        fail(cause=FailureCause.PLATFORM, code="time_limit")
        return Outcome.FAILED
    except AnswerKey.DoesNotExist:
        fail(cause=FailureCause.PLATFORM, code="no_answer_key")
        return Outcome.FAILED
    except MemoryError:
        # Over the worker's memory cap (EVALUATION_MEMORY_LIMIT_MB): the same
        # file would exhaust it again, so no retry.
        logger.exception("evaluation of submission %s ran out of memory", submission_id)
        fail(cause=FailureCause.PLATFORM, code="out_of_memory")
        return Outcome.FAILED
    except Exception as exc:  # any other fault is the platform's: retry, then give up
        logger.exception("evaluation of submission %s failed", submission_id)
        if attempt < MAX_ATTEMPTS:
            _requeue(submission_id, attempt=attempt, countdown=2**attempt)
            return Outcome.RETRY
        if isinstance(exc, SandboxUnavailable | SandboxFailure):
            fail(cause=FailureCause.PLATFORM, code="sandbox_unavailable")
        else:
            fail(cause=FailureCause.PLATFORM, code="internal_error")
        return Outcome.FAILED
    return retry_on_operational_error(
        partial(_record_score, submission, scores, attempt),
        what=f"recording the score of submission {submission_id}",
    )


def _fallback_text(violations) -> str:
    """The violations in the site's default language, whatever language the
    worker happens to have active: shown when the stored codes cannot be."""
    with translation.override(settings.LANGUAGE_CODE):
        return " ".join(force_str(v.message) for v in violations)


def _claim(submission_id: int) -> Submission | None:
    """queued → running with a fresh lease; the submission as claimed (its
    ``attempts`` numbers this attempt, its phase, challenge, answer key and
    submitter come along), or None when it is not waiting (or has had its
    attempts)."""
    now = timezone.now()
    claimed = retry_on_operational_error(
        partial(
            Submission.objects.filter(
                pk=submission_id, status=SubmissionStatus.QUEUED, attempts__lt=MAX_ATTEMPTS
            ).update,
            status=SubmissionStatus.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            lease_expires_at=lease_end(now),
            lease_owner=this_owner(),
        ),
        what=f"claiming submission {submission_id}",
    )
    if not claimed:
        return None
    return Submission.objects.select_related(
        "phase__challenge", "phase__answer_key", "submitted_by"
    ).get(pk=submission_id)


def _take_back_from_dead_owner(submission_id: int) -> Outcome | bool:
    """A running submission whose evaluating process died on this host goes
    back to the queue (or fails, after MAX_ATTEMPTS). True when it was put
    back, Outcome.FAILED when it failed, False when it is not ours to take."""
    row = (
        Submission.objects.filter(pk=submission_id, status=SubmissionStatus.RUNNING)
        .values("attempts", "lease_owner")
        .first()
    )
    if not row or not row["lease_owner"] or not owner_is_dead(row["lease_owner"]):
        return False
    logger.warning(
        "submission %s: the process evaluating it (%s) died", submission_id, row["lease_owner"]
    )
    guarded = Submission.objects.filter(
        pk=submission_id,
        status=SubmissionStatus.RUNNING,
        attempts=row["attempts"],
        lease_owner=row["lease_owner"],
    )
    if row["attempts"] >= MAX_ATTEMPTS:
        failed = fail_if_still(
            guarded, submission_id=submission_id, cause=FailureCause.PLATFORM, code="interrupted"
        )
        return Outcome.FAILED if failed else False
    return bool(guarded.update(status=SubmissionStatus.QUEUED, enqueued_at=timezone.now()))


@transaction.atomic
def _record_score(submission: Submission, scores: Scores, attempt: int) -> Outcome:
    """Lock contract: locks the Submission row (its guarded UPDATE takes the
    same lock as ``select_for_update(no_key=True)``), then the TeamBest row of
    its registration and phase, in that order (as every writer of TeamBest does).

    Only the attempt that still holds the submission records its score."""
    recorded = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.RUNNING, attempts=attempt
    ).update(
        status=SubmissionStatus.SCORED,
        public_score=scores.public,
        private_score=scores.private,
        scored_rows=scores.rows,
        details=scores.details,
        error_code="",
        error_message="",
        error_params={},
        failure_cause=FailureCause.NONE,
        finished_at=timezone.now(),
    )
    if not recorded:
        return Outcome.SKIPPED
    teambest_refresh(registration_id=submission.registration_id, phase=submission.phase)
    return Outcome.SCORED


def failure_changes(
    *,
    cause: str,
    code: str,
    message: str = "",
    params: dict | None = None,
    details: dict | None = None,
) -> dict:
    """``message``: the English text kept as a fallback; ``params``: what
    ``failure_text`` needs to show the reason in the reader's language."""
    changes = dict(
        status=SubmissionStatus.FAILED,
        failure_cause=cause,
        error_code=code[:64],
        error_message=message,
        error_params=params or {},
        details=details,
        finished_at=timezone.now(),
    )
    return changes


def fail_if_still(
    expected: QuerySet, *, submission_id: int, cause: str, code: str, **reason
) -> int:
    """Fail the submission if ``expected`` (its row, in the state the caller
    saw) still finds it; a failure caused by the platform gives its quota back
    in the same transaction. Returns how many rows it failed (0 or 1)."""
    with transaction.atomic():
        failed = expected.update(**failure_changes(cause=cause, code=code, **reason))
        if failed and cause == FailureCause.PLATFORM:
            quota_give_back(submission_id=submission_id)
    return failed


def _finish_failed(
    submission_id: int,
    *,
    cause: str,
    code: str,
    message: str = "",
    params: dict | None = None,
    details: dict | None = None,
    attempt: int | None = None,
) -> bool:
    """running → failed; with ``attempt``, only if that attempt still holds it."""
    running = Submission.objects.filter(pk=submission_id, status=SubmissionStatus.RUNNING)
    if attempt is not None:
        running = running.filter(attempts=attempt)
    return bool(
        retry_on_operational_error(
            partial(
                fail_if_still,
                running,
                submission_id=submission_id,
                cause=cause,
                code=code,
                message=message,
                params=params,
                details=details,
            ),
            what=f"failing submission {submission_id}",
        )
    )


def _requeue(submission_id: int, *, attempt: int, countdown: float | None = None) -> None:
    moved = retry_on_operational_error(
        partial(
            Submission.objects.filter(
                pk=submission_id, status=SubmissionStatus.RUNNING, attempts=attempt
            ).update,
            status=SubmissionStatus.QUEUED,
            enqueued_at=None,
        ),
        what=f"re-queueing submission {submission_id}",
    )
    if moved:
        publish_evaluation(submission_id, countdown=countdown)


def submission_fail_exhausted(*, submission_id: int) -> bool:
    """A submission still queued after MAX_ATTEMPTS starts is poison: fail it
    (the platform's fault, so no quota is spent) instead of looping."""
    return bool(
        fail_if_still(
            Submission.objects.filter(
                pk=submission_id, status=SubmissionStatus.QUEUED, attempts__gte=MAX_ATTEMPTS
            ),
            submission_id=submission_id,
            cause=FailureCause.PLATFORM,
            code="interrupted",
        )
    )
