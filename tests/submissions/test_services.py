"""Intake, evaluation, the sweeper and organizers' actions, in process."""

import hashlib
import os
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from league.errors import RuleViolation
from submissions import services
from submissions.models import RerunJob, Submission, SubmissionStatus, TeamBest
from submissions.services.evaluation import Outcome
from submissions.storage import private_storage
from tests.factories import SubmissionFactory, predictions_csv
from tests.submissions.conftest import csv_upload, make_team

pytestmark = pytest.mark.django_db


def stored_files() -> list[str]:
    root = private_storage().location
    found = []
    for dirpath, _dirs, files in os.walk(os.path.join(root, "submissions")):
        found += [os.path.join(dirpath, f) for f in files]
    return found


def submit(arena, content=None, name="predictions.csv", user=None, capture=None):
    return services.submission_create(
        user=user or arena.member,
        phase=arena.phase,
        upload=csv_upload(content, name=name),
    )


def test_intake_stores_the_file_privately_with_its_hash(arena, django_capture_on_commit_callbacks):
    content = predictions_csv()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = submit(arena, content)
    assert submission.status == SubmissionStatus.QUEUED
    assert submission.size == len(content)
    assert submission.sha256 == hashlib.sha256(content).hexdigest()
    assert submission.original_name == "predictions.csv"
    assert submission.file.name.startswith(f"submissions/team-{arena.registration.team_id}/")
    assert "predictions" not in submission.file.name  # a random name
    assert os.path.realpath(submission.file.path).startswith(
        os.path.realpath(private_storage().location)
    )
    with submission.file.open("rb") as f:
        assert f.read() == content
    assert len(callbacks) == 1, "the evaluation is enqueued on commit, once"


class ReadSpy:
    """Records the size of every read of the wrapped file."""

    def __init__(self, wrapped):
        self._wrapped = wrapped
        self.sizes = []

    def read(self, size=-1):
        self.sizes.append(size)
        return self._wrapped.read(size)

    def __getattr__(self, name):
        return getattr(self._wrapped, name)


def test_intake_streams_large_uploads_without_reading_them_whole(arena):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("big.csv", "text/csv", 0, "utf-8")
    body = predictions_csv(20) + b"".join(f"x{i},a\n".encode() for i in range(200_000))
    upload.write(body)
    upload.size = len(body)
    upload.seek(0)
    upload.file = spy = ReadSpy(upload.file)
    submission = services.submission_create(user=arena.member, phase=arena.phase, upload=upload)
    assert submission.size == len(body)
    assert spy.sizes and all(0 < size <= 1024 * 1024 for size in spy.sizes)
    assert os.path.exists(upload.temporary_file_path()), "a temporary upload is copied, not moved"


BAD_UPLOADS = [
    (b"", "predictions.csv", "empty_file"),
    (b"<!DOCTYPE html><html><body>Login</body></html>", "predictions.csv", "html_file"),
    (b"PK\x03\x04\x00\x00binary\x00zip", "predictions.csv", "binary_file"),
    (predictions_csv(), "predictions.xlsx", "wrong_extension"),
    (b"user,label\nr0,a\n", "predictions.csv", "wrong_header"),
]


@pytest.mark.parametrize(("content", "name", "code"), BAD_UPLOADS)
def test_bad_input_is_refused_and_nothing_is_stored(arena, content, name, code):
    before = stored_files()
    with pytest.raises(RuleViolation) as caught:
        submit(arena, content, name=name)
    assert code in [v.code for v in caught.value.violations]
    assert not Submission.objects.exists()
    assert stored_files() == before


def test_oversize_is_refused(arena):
    arena.phase.challenge.max_file_size_mb = 1
    arena.phase.challenge.save()
    with pytest.raises(RuleViolation) as caught:
        submit(arena, predictions_csv() + b"#" * (1024 * 1024))
    assert caught.value.code == "file_too_large"
    assert not Submission.objects.exists()


def test_after_the_deadline_is_refused(arena):
    arena.phase.opens_at = timezone.now() - timedelta(days=3)
    arena.phase.closes_at = timezone.now() - timedelta(seconds=1)
    arena.phase.save()
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "phase_closed"
    assert not Submission.objects.exists()


def test_outsider_and_unverified_teams_cannot_submit(arena):
    from tests.factories import UserFactory

    with pytest.raises(RuleViolation) as caught:
        submit(arena, user=UserFactory())
    assert caught.value.code == "not_registered"
    _registration, [pending_member] = make_team(challenge=arena.phase.challenge, status="pending")
    with pytest.raises(RuleViolation) as caught:
        submit(arena, user=pending_member)
    assert caught.value.code == "registration_not_verified"


def test_quota_daily_and_total_and_what_gives_it_back(arena):
    first, second, third = (submit(arena) for _ in range(3))
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "daily_limit_reached"
    assert "resets_at" in caught.value.details["violations"][0]["params"]
    services.submission_cancel(submission=first)  # gives quota back
    fourth = submit(arena)
    # A platform failure gives quota back too; a file failure does not.
    Submission.objects.filter(pk=second.pk).update(
        status="failed", failure_cause="platform", counts_against_quota=False
    )
    Submission.objects.filter(pk=third.pk).update(status="failed", failure_cause="file")
    fifth = submit(arena)
    # Yesterday's submissions count for the total only.
    Submission.objects.filter(pk__in=[fourth.pk, fifth.pk, third.pk]).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    submit(arena)
    submit(arena)
    with pytest.raises(RuleViolation) as caught:
        submit(arena)
    assert caught.value.code == "total_limit_reached"


def _evaluate(submission):
    outcome = services.submission_evaluate(submission_id=submission.pk)
    submission.refresh_from_db()
    return outcome


def test_evaluation_scores_and_updates_team_best(arena):
    good = submit(arena, predictions_csv(correct=20))
    worse = submit(arena, predictions_csv(correct=5))
    assert _evaluate(good) == Outcome.SCORED
    assert _evaluate(worse) == Outcome.SCORED
    assert good.public_score == 1.0 and good.private_score == 1.0
    assert worse.public_score == 0.5
    assert good.attempts == 1 and good.started_at and good.finished_at
    best = TeamBest.objects.get(registration=arena.registration, phase=arena.phase)
    assert best.best_public_score == 1.0
    assert best.best_submission_id == good.pk
    assert best.scored_count == 2
    assert best.last_submitted_at == worse.created_at


def test_lower_is_better_metric_keeps_the_lowest(arena):
    arena.phase.challenge.metric = "mae"
    arena.phase.challenge.save()
    arena.phase.answer_key.file.save("k.csv", _numeric_key(), save=True)
    near = submit(arena, b"id,prediction\nr0,1\nr1,2\n")
    far = submit(arena, b"id,prediction\nr0,5\nr1,9\n")
    _evaluate(far)
    _evaluate(near)
    best = TeamBest.objects.get()
    assert best.best_submission_id == near.pk
    assert best.best_public_score == pytest.approx(0.0)


def _numeric_key():
    from django.core.files.base import ContentFile

    return ContentFile(b"id,expected,split\nr0,1,public\nr1,2,private\n")


def test_running_twice_is_harmless(arena):
    submission = submit(arena)
    assert _evaluate(submission) == Outcome.SCORED
    assert _evaluate(submission) == Outcome.SKIPPED
    assert submission.attempts == 1
    assert TeamBest.objects.get().scored_count == 1


def test_a_bad_file_fails_by_the_file_and_spends_quota(arena):
    submission = submit(arena, b"id,prediction\nr0,a\nzz,b\n")
    assert _evaluate(submission) == Outcome.FAILED
    assert submission.failure_cause == "file"
    assert submission.counts_against_quota
    assert submission.error_message and "Traceback" not in submission.error_message
    assert not TeamBest.objects.filter(best_public_score__isnull=False).exists()


def test_a_stray_nan_label_fails_by_the_file_naming_its_line(arena):
    content = predictions_csv().replace(b"r3,b\n", b"r3,NaN\n")
    submission = submit(arena, content)
    assert _evaluate(submission) == Outcome.FAILED
    assert submission.failure_cause == "file" and submission.error_code == "unknown_label"
    assert submission.error_message.startswith("Line 5: “NaN” is not one of the classes")
    assert not TeamBest.objects.filter(best_public_score__isnull=False).exists()


def test_soft_time_limit_fails_by_the_platform(arena):
    submission = submit(arena)
    with mock.patch(
        "submissions.modes.prediction.score_predictions", side_effect=SoftTimeLimitExceeded
    ):
        assert _evaluate(submission) == Outcome.FAILED
    assert submission.error_code == "time_limit"
    assert submission.failure_cause == "platform"
    assert not submission.counts_against_quota


def test_a_crash_is_retried_then_fails_safely_after_three_attempts(arena):
    submission = submit(arena)
    with (
        mock.patch(
            "submissions.modes.prediction.score_predictions",
            side_effect=RuntimeError("secret internals /srv/key.csv"),
        ),
        mock.patch("submissions.services.evaluation.publish_evaluation") as publish,
    ):
        outcomes = [_evaluate(submission) for _ in range(4)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY, Outcome.FAILED, Outcome.SKIPPED]
    assert publish.call_count == 2
    assert submission.status == "failed" and submission.attempts == 3
    assert submission.error_code == "internal_error"
    from submissions.presentation import submission_public_dict

    shown = submission_public_dict(submission)["error_message"]
    assert "3 times" in shown and "secret" not in shown and "/srv" not in shown


def test_an_answer_key_removed_after_intake_fails_by_the_platform(arena):
    submission = submit(arena)
    arena.phase.answer_key.delete()
    assert _evaluate(submission) == Outcome.FAILED
    assert submission.error_code == "no_answer_key"
    assert not submission.counts_against_quota


def test_sweeper_publishes_what_the_broker_never_got(arena):
    submission = submit(arena)
    Submission.objects.filter(pk=submission.pk).update(enqueued_at=None)  # the broker refused
    with mock.patch("submissions.services.sweeping.publish_evaluation", return_value=True) as pub:
        assert services.submissions_requeue_stuck()["published"] == 0  # too recent
        counts = services.submissions_requeue_stuck(now=timezone.now() + timedelta(minutes=1))
    assert counts["published"] == 1
    pub.assert_called_once_with(submission.pk)


def test_sweeper_recovers_abandoned_work_and_fails_poison(arena):
    abandoned = submit(arena)
    poison = submit(arena)
    Submission.objects.filter(pk=abandoned.pk).update(
        status="running", attempts=1, started_at=timezone.now() - timedelta(hours=1)
    )
    Submission.objects.filter(pk=poison.pk).update(
        status="running", attempts=3, started_at=timezone.now() - timedelta(hours=1)
    )
    with mock.patch("submissions.services.sweeping.publish_evaluation", return_value=True) as pub:
        counts = services.submissions_requeue_stuck()
    assert counts == {"requeued": 1, "published": 1, "failed": 1}
    pub.assert_called_once_with(abandoned.pk)
    abandoned.refresh_from_db()
    poison.refresh_from_db()
    assert abandoned.status == "queued"
    assert poison.status == "failed" and poison.error_code == "interrupted"
    assert not poison.counts_against_quota


def test_cancel_and_rerun(arena):
    best = submit(arena, predictions_csv(correct=20))
    other = submit(arena, predictions_csv(correct=10))
    _evaluate(best)
    _evaluate(other)
    services.submission_cancel(submission=best)
    team_best = TeamBest.objects.get()
    assert team_best.best_submission_id == other.pk and team_best.scored_count == 1
    with mock.patch("submissions.services.organizer.publish_evaluation"):
        rerun = services.submission_rerun(submission=other)
    assert rerun.status == "queued" and rerun.attempts == 0 and rerun.reruns == 1
    assert rerun.counts_against_quota
    assert _evaluate(other) == Outcome.SCORED
    assert TeamBest.objects.get().scored_count == 1


@pytest.mark.parametrize("whole_phase", [False, True])
def test_a_rerun_after_the_deadline_keeps_the_final_selection(arena, whole_phase):
    arena.phase.max_final_selections = 1
    arena.phase.save()
    final = submit(arena, predictions_csv(correct=8))  # public 0.8, private 0
    best_public = submit(arena, predictions_csv(correct=20))
    _evaluate(final)
    _evaluate(best_public)
    services.submission_set_final(submission=final, is_final=True)
    arena.phase.opens_at = timezone.now() - timedelta(days=9)
    arena.phase.closes_at = timezone.now() - timedelta(days=1)
    arena.phase.save()
    with mock.patch("submissions.services.organizer.publish_evaluation"):
        if whole_phase:
            job = services.phase_rerun_start(phase=arena.phase, user=arena.member)
            services.phase_rerun_run(job_id=job.pk)
        else:
            services.submission_rerun(submission=final)
    final.refresh_from_db()
    assert final.is_final and final.status == "queued"
    assert _evaluate(final) == Outcome.SCORED
    _evaluate(best_public)
    final.refresh_from_db()
    assert final.is_final
    team_best = TeamBest.objects.get()
    assert team_best.best_private_score == final.private_score
    assert team_best.best_private_score != best_public.private_score


def test_rerun_of_a_phase_records_progress_and_is_safe_twice(
    arena, django_capture_on_commit_callbacks
):
    submissions = [submit(arena) for _ in range(3)]
    for s in submissions:
        _evaluate(s)
    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch("submissions.services.organizer.publish_rerun_phase") as start,
    ):
        job = services.phase_rerun_start(phase=arena.phase, user=arena.member)
    start.assert_called_once_with(job.pk)
    assert job.total == 3
    with mock.patch("submissions.services.organizer.publish_evaluation"):
        job = services.phase_rerun_run(job_id=job.pk)
        again = services.phase_rerun_run(job_id=job.pk)
    assert job.state == RerunJob.State.DONE and job.done == 3
    assert again.done == 3
    assert set(Submission.objects.values_list("status", "reruns")) == {("queued", 1)}


def test_final_selection(arena):
    arena.phase.max_final_selections = 1
    arena.phase.save()
    first, second = submit(arena), submit(arena)
    _evaluate(first)
    _evaluate(second)
    services.submission_set_final(submission=first, is_final=True)
    with pytest.raises(RuleViolation) as caught:
        services.submission_set_final(submission=second, is_final=True)
    assert caught.value.code == "too_many_final"
    services.submission_set_final(submission=first, is_final=False)
    services.submission_set_final(submission=second, is_final=True)
    assert list(Submission.objects.filter(is_final=True)) == [second]


def test_factory_makes_a_stored_submission(arena):
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    assert private_storage().exists(submission.file.name)


def test_publishing_with_the_broker_down_gives_up_fast_and_leaves_it_for_the_sweeper(arena):
    import time

    from submissions.services.queue import publish_evaluation
    from tests.submissions.conftest import CLOSED_PORT, broker_at

    submission = submit(arena)
    with broker_at(CLOSED_PORT):
        started = time.monotonic()
        assert publish_evaluation(submission.pk) is False
        assert time.monotonic() - started < 1.5
    submission.refresh_from_db()
    assert submission.enqueued_at is None
