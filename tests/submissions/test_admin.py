"""Organizers in the admin: answer keys, re-runs, cancellations, permissions."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.models import AnswerKey, RerunJob, Submission
from tests.factories import PhaseFactory, SubmissionFactory, answer_key_csv

pytestmark = pytest.mark.django_db


def test_organizers_may_manage_submissions():
    permissions = set(
        Group.objects.get(name="Organizers")
        .permissions.filter(content_type__app_label="submissions")
        .values_list("codename", flat=True)
    )
    for model in ("submission", "teambest", "answerkey"):
        assert {f"view_{model}", f"change_{model}", f"delete_{model}"} <= permissions


def test_a_valid_answer_key_is_accepted(organizer_client):
    phase = PhaseFactory()
    response = organizer_client.post(
        reverse("admin:submissions_answerkey_add"),
        {"phase": phase.pk, "file": SimpleUploadedFile("key.csv", answer_key_csv(30))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    key = AnswerKey.objects.get()
    assert key.rows == 30
    assert not key.file.name.startswith("/") and "answer-keys/" in key.file.name


def test_a_bad_answer_key_is_refused_with_the_reason(organizer_client):
    phase = PhaseFactory()
    response = organizer_client.post(
        reverse("admin:submissions_answerkey_add"),
        {
            "phase": phase.pk,
            "file": SimpleUploadedFile("key.csv", b"id,expected,split\nr1,a,secret\n"),
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "public" in text and "secret" in text  # “the split must be public or private”
    assert not AnswerKey.objects.exists()


def _action(client, action: str, ids: list[int]):
    return client.post(
        reverse("admin:submissions_submission_changelist"),
        {"action": action, "_selected_action": ids},
        follow=True,
    )


def test_rerun_and_cancel_actions(organizer_client, arena):
    scored = SubmissionFactory(
        registration=arena.registration, phase=arena.phase, status="scored", public_score=0.4
    )
    queued = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    with mock.patch("submissions.services.organizer.publish_evaluation"):
        response = _action(organizer_client, "rerun", [scored.pk, queued.pk])
    text = response.content.decode()
    assert "1 submission queued again." in text
    assert "only scored or failed submissions can be re-run" in text
    scored.refresh_from_db()
    assert scored.status == "queued" and scored.reruns == 1
    _action(organizer_client, "cancel", [queued.pk])
    queued.refresh_from_db()
    assert queued.status == "cancelled" and not queued.counts_against_quota


def test_rerun_every_submission_of_a_phase_shows_progress(organizer_client, arena):
    for _ in range(3):
        SubmissionFactory(
            registration=arena.registration,
            phase=arena.phase,
            status="failed",
            failure_cause="file",
            finished_at="2026-01-01T00:00:00Z",
        )
    with mock.patch("submissions.services.organizer.publish_rerun_phase"):
        response = _action(organizer_client, "rerun_phases", [Submission.objects.first().pk])
    assert "started for 3 submissions" in response.content.decode()
    job = RerunJob.objects.get()
    from submissions.tasks import rerun_phase

    with mock.patch("submissions.services.organizer.publish_evaluation"):
        assert rerun_phase.run(job.pk) == 3
    page = organizer_client.get(reverse("admin:submissions_rerunjob_changelist")).content.decode()
    assert "3 / 3" in page


def test_submission_admin_pages_render(organizer_client, arena):
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    assert (
        organizer_client.get(reverse("admin:submissions_submission_changelist")).status_code == 200
    )
    assert (
        organizer_client.get(
            reverse("admin:submissions_submission_change", args=[submission.pk])
        ).status_code
        == 200
    )
    assert organizer_client.get(reverse("admin:submissions_teambest_changelist")).status_code == 200


def test_organizers_set_up_code_tasks_and_see_what_they_lack(organizer_client):
    import io
    import zipfile

    from submissions.models import CodeTask
    from tests.factories import CodeTestCaseFactory

    permissions = set(
        Group.objects.get(name="Organizers").permissions.values_list("codename", flat=True)
    )
    assert {"add_codetask", "change_codetask", "add_codetestcase"} <= permissions
    phase = PhaseFactory(challenge__evaluation_mode="code", challenge__metric="accuracy")

    def inputs(names):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "id\n1\n")
        return SimpleUploadedFile("inputs.zip", buffer.getvalue())

    data = {
        "phase": phase.pk,
        "kind": "predictions",
        "wall_seconds": "10",
        "memory_mb": "1024",
        "output_mb": "8",
        "test_cases-TOTAL_FORMS": "0",
        "test_cases-INITIAL_FORMS": "0",
        "test_cases-MIN_NUM_FORMS": "0",
        "test_cases-MAX_NUM_FORMS": "1000",
    }
    url = reverse("admin:submissions_codetask_add")
    refused = organizer_client.post(url, {**data, "hidden_inputs": inputs(["../escape.csv"])})
    assert refused.status_code == 200
    assert "climbs out of the archive" in refused.content.decode()
    accepted = organizer_client.post(url, {**data, "hidden_inputs": inputs(["test.csv"])})
    assert accepted.status_code == 302, accepted.content.decode()[:2000]
    task = CodeTask.objects.get(phase=phase)
    listing = organizer_client.get(reverse("admin:submissions_codetask_changelist"))
    assert "have not uploaded its answer key" in listing.content.decode()

    task.kind = "tests"
    task.save()
    CodeTestCaseFactory(task=task)
    listing = organizer_client.get(reverse("admin:submissions_codetask_changelist"))
    assert "Ready" in listing.content.decode()
