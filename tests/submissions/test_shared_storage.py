"""Private files in a shared S3-compatible bucket (a local moto server started
by the test): the answer key uploaded in the admin, a team's file sent through
the API, scored by a real worker process that reads both from the bucket,
downloaded by the team; nothing on the local disk, nothing left over by a
refused intake."""

import environ
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from league.errors import RuleViolation
from league.settings import s3_private_storage
from submissions import services
from submissions.models import AnswerKey, Submission
from submissions.pdfs import minimal_pdf
from submissions.services.packages import PackageChanges
from submissions.storage import private_storage
from tests.factories import (
    ChallengeFactory,
    PhaseFactory,
    answer_key_csv,
    predictions_csv,
)
from tests.s3 import S3Server
from tests.submissions.conftest import make_team
from tests.submissions.test_intake_storage import stored_files
from tests.submissions.test_reliability import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def s3_server():
    server = S3Server()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """A fresh bucket as this process's private storage, built from the same
    environment variables a deployment sets; the local private folder is a
    fresh one too, to show that nothing lands there."""
    bucket = s3_server.new_bucket()
    for name, value in bucket.env().items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "private": s3_private_storage(environ.Env())}
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "local-private")
    bucket.local_root = tmp_path / "local-private"
    return bucket


def test_the_settings_build_a_private_bucket_without_public_urls(bucket):
    storage = private_storage()
    assert storage.__class__.__name__ == "S3Storage"
    assert storage.bucket_name == bucket.name
    assert storage.default_acl == "private" and storage.querystring_auth
    name = storage.save("probe/x.txt", SimpleUploadedFile("x.txt", b"secret"))
    grants = bucket.client().get_object_acl(Bucket=bucket.name, Key=name)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants] == [None], "no group (AllUsers) grant"
    assert "X-Amz-Signature=" in storage.url(name) and "X-Amz-Expires=300" in storage.url(name)


@pytest.mark.worker
@pytest.mark.redis
def test_answer_key_upload_scoring_by_a_worker_and_download_through_the_bucket(
    bucket, organizer_client, start_worker
):
    phase = PhaseFactory(challenge=ChallengeFactory(metric="accuracy"))
    response = organizer_client.post(
        reverse("admin:submissions_answerkey_add"),
        {"phase": phase.pk, "file": SimpleUploadedFile("key.csv", answer_key_csv(40))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    key = AnswerKey.objects.get()
    assert bucket.read(key.file.name) == answer_key_csv(40)

    _registration, (member,) = make_team(challenge=phase.challenge)
    client = organizer_client  # the same browser, now signed in as the team's member
    client.force_login(member)
    content = predictions_csv(40, correct=30)
    response = client.post(
        reverse("submissions:api-phase-submissions", args=[phase.pk]),
        {"file": SimpleUploadedFile("predictions.csv", content)},
    )
    assert response.status_code == 201, response.content
    submission = Submission.objects.get()
    assert bucket.read(submission.file.name) == content

    worker = start_worker(queues="evaluation", extra_env=bucket.env())
    wait_for(
        lambda: Submission.objects.get().status == "scored",
        timeout=60,
        what="scored from the bucket",
        worker=worker,
    )
    submission.refresh_from_db()
    # The first half of the key is public: all right there, half of the rest.
    assert submission.public_score == pytest.approx(1.0)
    assert submission.private_score == pytest.approx(0.5)

    response = client.get(reverse("submissions:api-download", args=[submission.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert bucket.keys() == {key.file.name, submission.file.name}
    assert not stored_files(bucket.local_root), "a private file landed on the local disk"


def test_a_refused_intake_leaves_nothing_in_the_bucket(bucket):
    phase = PhaseFactory(challenge=ChallengeFactory(metric="accuracy"), daily_limit=1)
    AnswerKey.objects.create(
        phase=phase, file=SimpleUploadedFile("key.csv", answer_key_csv()), rows=20
    )
    _registration, (member,) = make_team(challenge=phase.challenge)
    upload = SimpleUploadedFile("predictions.csv", predictions_csv())
    services.submission_create(user=member, phase=phase, upload=upload)
    before = bucket.keys()
    assert len(before) == 2
    with pytest.raises(RuleViolation) as refused:
        services.submission_create(
            user=member,
            phase=phase,
            upload=SimpleUploadedFile("predictions.csv", predictions_csv()),
        )
    assert refused.value.code == "daily_limit_reached"
    assert bucket.keys() == before


def test_a_review_package_is_stored_checked_and_shown_from_the_bucket(bucket, client):
    phase = PhaseFactory(
        challenge=ChallengeFactory(
            evaluation_mode="review", metric="", automated_weight=0, judges_weight=1
        )
    )
    _registration, (member,) = make_team(challenge=phase.challenge)
    proposal = minimal_pdf(2)
    version = services.package_version_create(
        user=member,
        phase=phase,
        changes=PackageChanges(proposal=SimpleUploadedFile("proposal.pdf", proposal)),
    )
    assert version.proposal_pages == 2
    assert bucket.read(version.proposal.name) == proposal
    client.force_login(member)
    response = client.get(reverse("submissions:package-proposal", args=[version.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == proposal
    assert not stored_files(bucket.local_root)


@pytest.mark.worker
@pytest.mark.redis
@pytest.mark.sandbox
def test_programs_in_the_bucket_run_in_the_sandbox_of_a_worker(bucket, start_worker):
    """A .py file and a .zip archive (checked again, then unpacked from the
    bucket into the worker's scratch folder) both run."""
    from tests.submissions.test_code_mode import SUM_OF_ABSOLUTES, submit, sum_phase, zip_of

    phase, _registration, member = sum_phase()
    single = submit(phase, member, SUM_OF_ABSOLUTES)
    archive = submit(
        phase, member, name="solution.zip", content=zip_of({"main.py": SUM_OF_ABSOLUTES})
    )
    assert {single.file.name, archive.file.name} <= bucket.keys()
    worker = start_worker(queues="evaluation", extra_env=bucket.env())
    wait_for(
        lambda: set(Submission.objects.values_list("status", flat=True)) == {"scored"},
        timeout=90,
        what="both programs scored",
        worker=worker,
    )
    for submission in (single, archive):
        submission.refresh_from_db()
        assert submission.public_score == pytest.approx(200 / 3, abs=1e-4)
    assert not stored_files(bucket.local_root)
