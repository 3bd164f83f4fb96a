"""Background exports: a real worker writes the file into private storage,
progress is saved as it goes, and only exporters can download it."""

import io
import time

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from openpyxl import load_workbook

from league.exports import services
from league.exports.models import ExportJob, ExportStatus
from tests.factories import (
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamBestFactory,
    TeamFactory,
    UserFactory,
    bulk_leaderboard,
)


def _wait_done(job_id: int, worker, timeout: float = 60) -> ExportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = ExportJob.objects.get(pk=job_id)
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError(f"the export never finished\n{worker.log()}")


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_a_large_export_that_only_exporters_download(
    client, organizer_client, start_worker, settings, judge, bare_staff
):
    settings.EXPORT_STREAM_MAX_ROWS = 100
    phase = PhaseFactory()
    TeamBestFactory(
        phase=phase,
        registration=RegistrationFactory(
            team=TeamFactory(name="智能制造队"), challenge=phase.challenge
        ),
        best_public_score=5.0,
    )
    bulk_leaderboard(phase, 300, tag="job")
    worker = start_worker(queues="default")

    response = organizer_client.post(
        reverse("exports:api-exports"),
        {"dataset": "phase-leaderboard", "params": {"phase": phase.pk}, "format": "xlsx"},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    job = _wait_done(response.json()["id"], worker)
    assert job.status == ExportStatus.DONE, job.error
    assert (job.rows_done, job.rows_total, job.percent) == (301, 301, 100)
    assert job.file.name.startswith("exports/")

    detail = organizer_client.get(reverse("exports:api-job", kwargs={"job_id": job.pk})).json()
    assert detail["download_url"] == reverse("exports:api-job-download", kwargs={"job_id": job.pk})
    download = organizer_client.get(detail["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == (
        f'attachment; filename="leaderboard-phase-{phase.pk}-public.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 302
    assert rows[1][:2] == (1, "智能制造队")

    # Another organizer holds the dataset's permission: they may download it too.
    colleague = UserFactory()
    colleague.groups.add(Group.objects.get(name="Organizers"))
    client.force_login(colleague)
    assert client.get(reverse("exports:job-download", kwargs={"job_id": job.pk})).status_code == 200

    for stranger in (ParticipantFactory(), judge, bare_staff):
        client.force_login(stranger)
        for name in (
            "exports:api-job",
            "exports:api-job-download",
            "exports:job",
            "exports:job-download",
        ):
            refused = client.get(reverse(name, kwargs={"job_id": job.pk}))
            assert refused.status_code == 404, (name, stranger)
            assert "智能制造队".encode() not in refused.content
    client.logout()
    assert (
        client.get(reverse("exports:api-job-download", kwargs={"job_id": job.pk})).status_code
        == 401
    )


@pytest.mark.django_db
def test_progress_is_saved_every_few_thousand_rows(organizer_client, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    job = ExportJob.objects.create(
        requested_by=organizer_client.organizer, dataset="registrations", format="csv", rows_total=5
    )
    seen = []
    for _row in services._counted(range(5), job.pk):
        seen.append(ExportJob.objects.get(pk=job.pk).rows_done)
    assert seen == [0, 0, 2, 2, 4]


@pytest.mark.django_db
def test_a_job_runs_once_and_a_refused_one_fails_with_its_reason(organizer_client):
    phase = PhaseFactory()
    TeamBestFactory(phase=phase, registration=RegistrationFactory(challenge=phase.challenge))
    job = ExportJob.objects.create(
        requested_by=organizer_client.organizer,
        dataset="phase-leaderboard",
        params={"phase": str(phase.pk)},
        format="csv-excel",
        rows_total=1,
        filename="x.csv",
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    first_file = job.file.name
    assert job.file.open("rb").read().startswith(b"\xef\xbb\xbf")
    services.job_run(job_id=job.pk)  # a redelivered message
    job.refresh_from_db()
    assert job.file.name == first_file

    gone = ExportJob.objects.create(
        requested_by=organizer_client.organizer,
        dataset="phase-leaderboard",
        params={"phase": "999999"},
        format="csv",
    )
    services.job_run(job_id=gone.pk)
    gone.refresh_from_db()
    assert gone.status == ExportStatus.FAILED
    assert gone.error == "No phase has the id 999999."


@pytest.mark.django_db
def test_a_job_a_dead_worker_left_running_runs_again_only_after_the_time_limit(
    organizer_client, settings
):
    import datetime as dt

    from django.utils import timezone

    phase = PhaseFactory()
    job = ExportJob.objects.create(
        requested_by=organizer_client.organizer,
        dataset="phase-leaderboard",
        params={"phase": str(phase.pk)},
        format="csv",
        status=ExportStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=10),
    )
    services.job_run(job_id=job.pk)  # another worker may still be writing it
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING
    ExportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=settings.TASK_TIME_LIMIT + 1)
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


@pytest.mark.django_db
def test_finished_jobs_older_than_a_week_are_deleted_with_their_files(organizer_client):
    import datetime as dt

    from django.utils import timezone

    phase = PhaseFactory()
    job = ExportJob.objects.create(
        requested_by=organizer_client.organizer,
        dataset="phase-leaderboard",
        params={"phase": str(phase.pk)},
        format="csv",
    )
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    assert services.jobs_clean() == 0
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - dt.timedelta(days=8))
    assert services.jobs_clean() == 1
    assert not storage.exists(name)
    assert not ExportJob.objects.exists()
