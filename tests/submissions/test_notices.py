"""A submitter who opts in (Preferences) hears when a submission is scored or
fails; scoring never waits on, nor fails by, the e-mail."""

from unittest import mock

import pytest
from django.core import mail
from django.test import Client

from league.mail import mail_send
from league.models import OutgoingMail
from submissions import services
from submissions.models import Submission, SubmissionStatus
from tests.factories import predictions_csv
from tests.submissions.conftest import csv_upload

pytestmark = pytest.mark.django_db


def opt_in(user, language=""):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/preferences/", {"time_zone": "", "language": language, "email_on_scored": "on"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_on_scored


def evaluate(arena, content: bytes, capture) -> Submission:
    submission = services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload(content)
    )
    with capture(execute=True):
        services.submission_evaluate(submission_id=submission.pk)
    for mail_id in OutgoingMail.objects.filter(sent_at__isnull=True).values_list("id", flat=True):
        mail_send(mail_id=mail_id)
    return Submission.objects.get(pk=submission.pk)


def test_an_opted_in_member_is_mailed_the_score(arena, django_capture_on_commit_callbacks):
    opt_in(arena.member)
    submission = evaluate(arena, predictions_csv(), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.SCORED
    [sent] = mail.outbox
    assert sent.to == [arena.member.email]
    assert f"Submission #{submission.pk} is scored" in sent.subject
    assert f"Public score: {submission.public_score}" in sent.body
    assert f"/submissions/{submission.pk}/" in sent.body


def test_a_failure_is_mailed_with_its_reason_in_the_members_language(
    arena, django_capture_on_commit_callbacks
):
    opt_in(arena.member, language="zh-hans")
    bad = predictions_csv().replace(b"r0,a\nr1,b\n", b"")
    submission = evaluate(arena, bad, django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.FAILED
    [sent] = mail.outbox
    assert "评测失败" in sent.subject
    assert "您的文件缺少测试集中的 2 个 id" in sent.body


def test_no_mail_without_opting_in(arena, django_capture_on_commit_callbacks):
    evaluate(arena, predictions_csv(), django_capture_on_commit_callbacks)
    assert not OutgoingMail.objects.exists()
    assert not mail.outbox


def test_a_mail_that_cannot_be_queued_never_fails_the_scoring(
    arena, django_capture_on_commit_callbacks
):
    opt_in(arena.member)
    with mock.patch(
        "submissions.services.notices.mail_later", side_effect=RuntimeError("mail is down")
    ):
        submission = evaluate(arena, predictions_csv(), django_capture_on_commit_callbacks)
    assert submission.status == SubmissionStatus.SCORED
    assert submission.public_score == 1.0
