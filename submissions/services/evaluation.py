"""Evaluation: claim a queued submission, score it, record the result.

Safe to run twice: the claim is a conditional UPDATE queued → running, so a
redelivered or duplicated job finds nothing to do. The score and the team's
best are written in one transaction.
"""

import logging
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from submissions.evaluation.errors import EvaluationError
from submissions.evaluation.scoring import Scores
from submissions.models import AnswerKey, FailureCause, Submission, SubmissionStatus
from submissions.modes import get_mode
from submissions.rules import MAX_ATTEMPTS
from submissions.sandbox import SandboxFailure, SandboxUnavailable
from submissions.services.queue import publish_evaluation
from submissions.services.standings import teambest_refresh

logger = logging.getLogger(__name__)

# Participant-safe reasons for failures that are not the file's fault,
# by error code; rendered in the reader's language.
PLATFORM_FAILURES = {
    # No number of seconds: the limit is the evaluation workers' setting,
    # which the web process showing this message need not share.
    "time_limit": _(
        "The evaluation went past its time limit and was stopped. "
        "This submission does not count against your quota."
    ),
    "internal_error": ngettext_lazy(
        "The evaluation failed on our side %(attempts)s time; the organizers have been told. "
        "This submission does not count against your quota.",
        "The evaluation failed on our side %(attempts)s times; the organizers have been told. "
        "This submission does not count against your quota.",
        "attempts",
    ),
    "interrupted": ngettext_lazy(
        "The evaluation was interrupted %(attempts)s time; the organizers have been told. "
        "This submission does not count against your quota.",
        "The evaluation was interrupted %(attempts)s times; the organizers have been told. "
        "This submission does not count against your quota.",
        "attempts",
    ),
    "sandbox_unavailable": ngettext_lazy(
        "Your program could not be run: the platform's sandbox failed %(attempts)s time. "
        "The organizers have been told. This submission does not count against your quota.",
        "Your program could not be run: the platform's sandbox failed %(attempts)s times. "
        "The organizers have been told. This submission does not count against your quota.",
        "attempts",
    ),
    "no_answer_key": _(
        "This phase has no answer key yet; the organizers will re-run the evaluation. "
        "This submission does not count against your quota."
    ),
}


class Outcome(StrEnum):
    SCORED = "scored"
    FAILED = "failed"
    RETRY = "retry"
    SKIPPED = "skipped"


def failure_message(*, code: str, stored: str, attempts: int) -> str:
    template = PLATFORM_FAILURES.get(code)
    if template is None:
        return stored
    # ``template % params`` picks the plural form from the count in ``params``.
    return force_str(template % {"attempts": attempts})


def submission_evaluate(*, submission_id: int) -> Outcome:
    """Evaluate one submission if it is still waiting; otherwise do nothing."""
    claimed = Submission.objects.filter(
        pk=submission_id, status=SubmissionStatus.QUEUED, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=SubmissionStatus.RUNNING,
        attempts=F("attempts") + 1,
        started_at=timezone.now(),
        finished_at=None,
    )
    if not claimed:
        if submission_fail_exhausted(submission_id=submission_id):
            return Outcome.FAILED
        return Outcome.SKIPPED
    submission = Submission.objects.select_related("phase__challenge").get(pk=submission_id)
    try:
        scores = get_mode(submission.phase.challenge.evaluation_mode).evaluate(submission)
    except EvaluationError as exc:
        _finish_failed(
            submission_id,
            cause=FailureCause.FILE,
            code=exc.code,
            message=" ".join(force_str(v.message) for v in exc.violations),
            details=getattr(exc, "run_details", None),
        )
        return Outcome.FAILED
    except SoftTimeLimitExceeded:
        _finish_failed(submission_id, cause=FailureCause.PLATFORM, code="time_limit")
        return Outcome.FAILED
    except AnswerKey.DoesNotExist:
        _finish_failed(submission_id, cause=FailureCause.PLATFORM, code="no_answer_key")
        return Outcome.FAILED
    except Exception as exc:  # any other fault is the platform's: retry, then give up
        logger.exception("evaluation of submission %s failed", submission_id)
        if submission.attempts < MAX_ATTEMPTS:
            _requeue(submission_id, countdown=2**submission.attempts)
            return Outcome.RETRY
        if isinstance(exc, SandboxUnavailable | SandboxFailure):
            _finish_failed(submission_id, cause=FailureCause.PLATFORM, code="sandbox_unavailable")
        else:
            _finish_failed(submission_id, cause=FailureCause.PLATFORM, code="internal_error")
        return Outcome.FAILED
    return _record_score(submission, scores)


@transaction.atomic
def _record_score(submission: Submission, scores: Scores) -> Outcome:
    """Lock contract: locks the Submission row, then the TeamBest row of its
    registration and phase, in that order (as every writer of TeamBest does)."""
    locked = Submission.objects.select_for_update(no_key=True).only("status").get(pk=submission.pk)
    if locked.status != SubmissionStatus.RUNNING:
        return Outcome.SKIPPED
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.SCORED,
        public_score=scores.public,
        private_score=scores.private,
        scored_rows=scores.rows,
        details=scores.details,
        error_code="",
        error_message="",
        failure_cause=FailureCause.NONE,
        finished_at=timezone.now(),
    )
    teambest_refresh(registration_id=submission.registration_id, phase=submission.phase)
    return Outcome.SCORED


def _failure(*, cause: str, code: str, message: str = "", details: dict | None = None) -> dict:
    changes = dict(
        status=SubmissionStatus.FAILED,
        failure_cause=cause,
        error_code=code[:64],
        error_message=message,
        details=details,
        finished_at=timezone.now(),
    )
    if cause == FailureCause.PLATFORM:
        changes["counts_against_quota"] = False
    return changes


def _finish_failed(
    submission_id: int, *, cause: str, code: str, message: str = "", details: dict | None = None
) -> bool:
    return bool(
        Submission.objects.filter(pk=submission_id, status=SubmissionStatus.RUNNING).update(
            **_failure(cause=cause, code=code, message=message, details=details)
        )
    )


def _requeue(submission_id: int, *, countdown: float | None = None) -> None:
    moved = Submission.objects.filter(pk=submission_id, status=SubmissionStatus.RUNNING).update(
        status=SubmissionStatus.QUEUED, enqueued_at=None
    )
    if moved:
        publish_evaluation(submission_id, countdown=countdown)


def submission_fail_exhausted(*, submission_id: int) -> bool:
    """A submission still queued after MAX_ATTEMPTS starts is poison: fail it
    (the platform's fault, so no quota is spent) instead of looping."""
    return bool(
        Submission.objects.filter(
            pk=submission_id, status=SubmissionStatus.QUEUED, attempts__gte=MAX_ATTEMPTS
        ).update(**_failure(cause=FailureCause.PLATFORM, code="interrupted"))
    )


def submission_fail_interrupted(*, submission_id: int) -> bool:
    """A running submission whose worker vanished MAX_ATTEMPTS times."""
    return _finish_failed(submission_id, cause=FailureCause.PLATFORM, code="interrupted")
