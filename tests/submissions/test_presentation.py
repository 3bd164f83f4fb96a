"""A submission as a row of its team's submit page: the final action the
phase allows, the scores at the metric's precision, where it stands."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from submissions.models import Submission, SubmissionStatus
from submissions.presentation import final_action, final_message, status_label, submission_row
from tests.factories import ChallengeFactory, PhaseFactory, SubmissionFactory
from tests.submissions.conftest import make_team


@pytest.mark.parametrize(
    ("status", "is_final", "phase_open", "action"),
    [
        (SubmissionStatus.SCORED, False, True, "select"),
        (SubmissionStatus.SCORED, True, True, "unselect"),
        (SubmissionStatus.SCORED, False, False, ""),
        (SubmissionStatus.SCORED, True, False, ""),
        (SubmissionStatus.QUEUED, False, True, ""),
        (SubmissionStatus.FAILED, False, True, ""),
    ],
)
def test_the_final_action_follows_the_status_and_the_phase(status, is_final, phase_open, action):
    assert final_action(status=status, is_final=is_final, phase_open=phase_open) == action


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_the_status_label_reads_as_the_models_own_display(language):
    with translation.override(language):
        for status in SubmissionStatus.values:
            expected = Submission(status=status).get_status_display()
            assert status_label(status) == expected
        assert status_label("no-such-status") == "no-such-status"
    if language != "en":
        with translation.override(language):
            assert status_label("scored") != "Scored"  # translated, not left in English


@pytest.fixture
def rmse_phase(db):
    return PhaseFactory(challenge=ChallengeFactory(metric="rmse"))


def scored(phase, **kwargs):
    registration, _users = make_team(challenge=phase.challenge)
    return SubmissionFactory(
        registration=registration,
        phase=phase,
        status=SubmissionStatus.SCORED,
        public_score=0.123456789,
        **kwargs,
    )


def test_scores_show_at_the_metrics_precision(rmse_phase):
    rmse_phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    row = submission_row(scored(rmse_phase, private_score=2.0), phase=rmse_phase, phase_open=True)
    assert (row["public_score_text"], row["private_score_text"]) == ("0.1235", "2.0000")


def test_the_notice_says_where_it_stands_in_the_readers_language(rmse_phase):
    submission = scored(rmse_phase)
    with translation.override("zh-hans"):
        row = submission_row(submission, phase=rmse_phase, phase_open=True)
    assert row["notice"] == (f"提交 #{submission.pk}（“predictions.csv”）已评分：公开分数 0.1235。")
    submission.status = SubmissionStatus.QUEUED
    row = submission_row(submission, phase=rmse_phase, phase_open=True)
    assert (
        row["notice"]
        == f"Submission #{submission.pk} (“predictions.csv”) is queued for evaluation."
    )
    assert row["final_action"] == ""


def test_a_failed_submission_notice_names_the_reason(rmse_phase):
    submission = scored(rmse_phase)
    submission.status = SubmissionStatus.FAILED
    submission.error_message = "The file is empty."
    row = submission_row(submission, phase=rmse_phase, phase_open=True)
    assert row["notice"].endswith("failed: The file is empty.")


def test_the_final_confirmation_names_the_submission(rmse_phase):
    submission = scored(rmse_phase, is_final=True)
    with translation.override("vi"):
        selected = final_message(submission)
    assert f"#{submission.pk}" in selected and "bài chính thức" in selected
    submission.is_final = False
    assert final_message(submission) == (
        f"Submission #{submission.pk} (“predictions.csv”) is no longer selected as final."
    )


def test_the_submission_page_shows_scores_at_the_metrics_precision(rmse_phase, client):
    submission = scored(rmse_phase)
    client.force_login(submission.registration.team.memberships.first().user)
    page = client.get(f"/submissions/{submission.pk}/").content.decode()
    assert "0.1235" in page
    assert "0.12346" not in page
