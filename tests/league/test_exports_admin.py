"""Background exports in the organizers' admin: a read-only list of who
asked for what, how far it got, and the file of a finished one, which only
holders of the export permission may open."""

import pytest
from django.core.files.base import ContentFile

from league.exports.files import export_path
from league.exports.models import ExportStatus
from tests.factories import ExportJobFactory, PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/league/exportjob/"


@pytest.fixture
def jobs():
    phase = PhaseFactory()
    asker = UserFactory(username="mei", email="mei@example.org")
    done = ExportJobFactory(
        requested_by=asker,
        params={"phase": str(phase.pk), "split": "private"},
        status=ExportStatus.DONE,
        rows_done=2000,
        filename=f"leaderboard-phase-{phase.pk}-private.csv",
    )
    done.file.save(
        export_path(job_id=done.pk, extension="csv"), ContentFile(b"Rank,Team\r\n1,Lotus\r\n")
    )
    running = ExportJobFactory(
        requested_by=asker, status=ExportStatus.RUNNING, rows_done=500, rows_total=2000
    )
    return done, running


def test_organizers_see_who_asked_for_what_and_how_far_it_got(organizer_client, jobs):
    done, running = jobs
    html = organizer_client.get(CHANGELIST).content.decode()
    assert "mei" in html
    assert f"Phase leaderboard (phase={done.params['phase']}, split=private)" in html
    assert "100% · 2000 / 2000" in html
    assert "25% · 500 / 2000" in html
    assert f'href="/organize/exports/jobs/{done.pk}/download/"' in html
    assert f"/organize/exports/jobs/{running.pk}/download/" not in html


def test_the_list_is_read_only(organizer_client, jobs):
    done, _ = jobs
    assert organizer_client.get(f"{CHANGELIST}add/").status_code == 403
    detail = organizer_client.get(f"{CHANGELIST}{done.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    posted = organizer_client.post(f"{CHANGELIST}{done.pk}/change/", {"status": "failed"})
    assert posted.status_code == 403
    deleted = organizer_client.post(f"{CHANGELIST}{done.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    done.refresh_from_db()
    assert done.status == ExportStatus.DONE


def test_the_link_opens_the_file_for_exporters_only(client, organizer_client, bare_staff, jobs):
    done, _ = jobs
    url = f"/organize/exports/jobs/{done.pk}/download/"
    response = organizer_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Rank,Team\r\n1,Lotus\r\n"
    client.force_login(bare_staff)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(url).status_code == 404


def test_labels_read_in_the_organizer_s_language(organizer_client, jobs):
    html = organizer_client.get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for label in ("进度", "已完成", "下载"):
        assert label in html
