"""Organizers' actions: cancel, re-run one submission, re-run a whole phase."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from league.errors import Conflict
from league.models import Phase
from submissions.models import FailureCause, RerunJob, Submission, SubmissionStatus
from submissions.services.queue import publish_evaluation, publish_rerun_phase
from submissions.services.quota import quota_give_back
from submissions.services.standings import teambest_refresh

RERUNNABLE = (SubmissionStatus.SCORED, SubmissionStatus.FAILED)
PROGRESS_EVERY = 50


@transaction.atomic
def submission_cancel(*, submission: Submission) -> Submission:
    """Withdraw a submission: it leaves the leaderboard and gives its quota back.
    Lock contract: the Submission row, then the team's QuotaCounter and
    TeamBest rows."""
    locked = (
        Submission.objects.select_for_update(of=("self",), no_key=True)
        .select_related("phase__challenge")
        .get(pk=submission.pk)
    )
    if locked.status == SubmissionStatus.CANCELLED:
        return locked
    was_scored = locked.status == SubmissionStatus.SCORED
    quota_give_back(submission_id=locked.pk)
    locked.status = SubmissionStatus.CANCELLED
    locked.counts_against_quota = False
    locked.is_final = False
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "is_final", "finished_at"])
    if was_scored:
        teambest_refresh(registration_id=locked.registration_id, phase=locked.phase)
    return locked


@transaction.atomic
def submission_rerun(*, submission: Submission) -> Submission:
    """Evaluate a finished submission again (for example after a new answer key).

    The quota is not touched: a re-run never spends it, and the team's final
    selection is kept (after the deadline the team could not select it
    again). Lock contract: the Submission row, then the team's TeamBest row.
    """
    locked = (
        Submission.objects.select_for_update(of=("self",), no_key=True)
        .select_related("phase__challenge")
        .get(pk=submission.pk)
    )
    if locked.status not in RERUNNABLE:
        raise Conflict(
            f"Submission #{locked.pk} is {locked.get_status_display().lower()}; "
            "only scored or failed submissions can be re-run.",
            code="not_rerunnable",
        )
    was_scored = locked.status == SubmissionStatus.SCORED
    Submission.objects.filter(pk=locked.pk).update(
        status=SubmissionStatus.QUEUED,
        attempts=0,
        public_score=None,
        private_score=None,
        scored_rows=None,
        error_code="",
        error_message="",
        error_params={},
        failure_cause=FailureCause.NONE,
        reruns=locked.reruns + 1,
        enqueued_at=None,
        started_at=None,
        finished_at=None,
    )
    if was_scored:
        teambest_refresh(registration_id=locked.registration_id, phase=locked.phase)
    transaction.on_commit(partial(publish_evaluation, locked.pk), robust=True)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def phase_rerun_start(*, phase: Phase, user) -> RerunJob:
    """Start re-running every finished submission of a phase in the background."""
    job = RerunJob.objects.create(
        phase=phase,
        requested_by=user,
        total=Submission.objects.filter(phase=phase, status__in=RERUNNABLE).count(),
    )
    transaction.on_commit(partial(publish_rerun_phase, job.pk), robust=True)
    return job


def phase_rerun_run(*, job_id: int) -> RerunJob:
    """Re-queue the phase's submissions finished before the job was requested.

    Safe to run twice: a submission re-queued by an earlier run is no longer
    finished before the job, so it is skipped. Progress is saved as it goes.
    """
    job = RerunJob.objects.get(pk=job_id)
    if job.state == RerunJob.State.DONE:
        return job
    RerunJob.objects.filter(pk=job.pk).update(state=RerunJob.State.RUNNING)
    ids = (
        Submission.objects.filter(
            phase_id=job.phase_id, status__in=RERUNNABLE, finished_at__lte=job.created_at
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    done = job.done
    for submission_id in ids.iterator(chunk_size=500):
        try:
            submission_rerun(submission=Submission(pk=submission_id))
        except Conflict:
            continue
        done += 1
        if done % PROGRESS_EVERY == 0:
            RerunJob.objects.filter(pk=job.pk).update(done=done)
    RerunJob.objects.filter(pk=job.pk).update(
        done=done, state=RerunJob.State.DONE, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
