"""Exports through the API and the organizers' page: who may export, what
they get, and the clear refusal of bad input."""

import csv
import io

import pytest
from django.urls import reverse

from league import services as league_services
from league.errors import NotFound
from league.exports import registry
from league.exports.models import ExportJob, ExportStatus
from tests.factories import (
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamBestFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

API = "exports:api-exports"


@pytest.fixture
def phase():
    phase = PhaseFactory()
    for name in ("智能制造队", "Đội Trí Tuệ Nhân Tạo", "-1 team"):
        TeamBestFactory(
            phase=phase,
            registration=RegistrationFactory(
                team=TeamFactory(name=name), challenge=phase.challenge
            ),
        )
    return phase


def test_the_registry_refuses_an_unknown_name_and_lists_by_permission(organizer_client, judge):
    with pytest.raises(NotFound):
        registry.get("no-such-export")
    names = [d.name for d in registry.available(organizer_client.organizer)]
    assert {"phase-leaderboard", "registrations", "score-sheets"} <= set(names)
    assert registry.available(judge) == []


def test_the_api_lists_the_datasets_with_their_inputs(organizer_client, phase):
    response = organizer_client.get(reverse(API))
    assert response.status_code == 200
    body = response.json()
    assert body["formats"] == ["csv-excel", "csv", "xlsx", "json"]
    leaderboard = next(d for d in body["datasets"] if d["name"] == "phase-leaderboard")
    assert leaderboard["title"] == "Phase leaderboard"
    phase_input = next(i for i in leaderboard["inputs"] if i["name"] == "phase")
    assert {"value": str(phase.pk), "label": str(phase)} in phase_input["choices"]


def test_a_token_export_streams_a_small_file(client, organizer_client, phase):
    token = league_services.api_token_create(user=organizer_client.organizer)
    response = client.post(
        reverse(API),
        {"dataset": "phase-leaderboard", "params": {"phase": phase.pk}, "format": "csv"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token}",
    )
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 4
    assert "'-1 team" in [r[1] for r in rows]
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["participant", "judge", "staff without permission"])
def test_without_the_export_permission_the_api_refuses(client, phase, judge, bare_staff, who):
    user = {"participant": ParticipantFactory(), "judge": judge}.get(who, bare_staff)
    client.force_login(user)
    listed = client.get(reverse(API))
    posted = client.post(
        reverse(API),
        {"dataset": "phase-leaderboard", "params": {"phase": phase.pk}, "format": "csv"},
        content_type="application/json",
    )
    assert listed.status_code == 403 and posted.status_code == 403
    assert "智能制造队" not in posted.content.decode()


def test_anonymous_api_callers_get_401(client):
    response = client.get(reverse(API))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_bad_input_gets_a_specific_error_and_stores_nothing(organizer_client, phase):
    cases = {
        "unknown dataset": ({"dataset": "everything", "format": "csv"}, 404, "not_found"),
        "unknown format": (
            {"dataset": "phase-leaderboard", "params": {"phase": phase.pk}, "format": "pdf"},
            400,
            "invalid",
        ),
        "missing phase": ({"dataset": "phase-leaderboard", "format": "csv"}, 400, None),
        "text as phase": (
            {"dataset": "phase-leaderboard", "params": {"phase": "abc"}, "format": "csv"},
            400,
            "invalid_export_params",
        ),
        "nested value": (
            {"dataset": "phase-leaderboard", "params": {"phase": [1]}, "format": "csv"},
            400,
            "invalid_export_params",
        ),
    }
    for label, (payload, status, code) in cases.items():
        response = organizer_client.post(reverse(API), payload, content_type="application/json")
        assert response.status_code == status, label
        body = response.json()
        assert body["message"], label
        if code:
            assert body["code"] == code, label
    missing = organizer_client.post(
        reverse(API),
        {"dataset": "phase-leaderboard", "format": "csv"},
        content_type="application/json",
    ).json()
    assert missing["details"] == {"phase": ["The parameter “phase” is required."]}
    assert not ExportJob.objects.exists()


def test_errors_are_translated(organizer_client):
    response = organizer_client.post(
        reverse(API),
        {"dataset": "phase-leaderboard", "format": "csv"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "phase" in response.json()["message"]
    assert "required" not in response.json()["message"]


def test_a_large_export_becomes_a_job(
    organizer_client, phase, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_STREAM_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = organizer_client.post(
            reverse(API),
            {"dataset": "phase-leaderboard", "params": {"phase": phase.pk}, "format": "xlsx"},
            content_type="application/json",
        )
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "queued" and job["rows_total"] == 3 and job["download_url"] is None
    assert len(callbacks) == 1  # published after the commit
    stored = ExportJob.objects.get(pk=job["id"])
    assert stored.params == {"phase": str(phase.pk)} and stored.format == "xlsx"
    detail = organizer_client.get(reverse("exports:api-job", kwargs={"job_id": job["id"]}))
    assert detail.json()["percent"] == 0
    early = organizer_client.get(reverse("exports:api-job-download", kwargs={"job_id": job["id"]}))
    assert early.status_code == 409 and early.json()["code"] == "export_not_ready"


# ---------------------------------------------------------------- the page


def test_the_page_offers_each_dataset_and_downloads_a_small_export(organizer_client, phase):
    page = organizer_client.get(reverse("exports:page"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Phase leaderboard" in html and "Registrations" in html
    assert f'<option value="{phase.pk}">' in html
    response = organizer_client.post(
        reverse("exports:page"),
        {
            "dataset": "phase-leaderboard",
            "phase": phase.pk,
            "split": "public",
            "format": "csv-excel",
        },
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and "智能制造队".encode() in body


def test_the_page_shows_a_bad_choice_as_an_error(organizer_client):
    response = organizer_client.post(
        reverse("exports:page"),
        {"dataset": "phase-leaderboard", "phase": "999999", "format": "csv"},
    )
    assert response.status_code == 400
    assert "No phase has the id 999999." in response.content.decode()


def test_the_page_is_for_exporters_only(client, judge, bare_staff):
    anonymous = client.get(reverse("exports:page"))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for user in (ParticipantFactory(), judge, bare_staff):
        client.force_login(user)
        assert client.get(reverse("exports:page")).status_code == 403
        assert client.post(reverse("exports:page"), {"dataset": "registrations"}).status_code == 403


def test_a_large_export_from_the_page_is_listed_with_its_progress(
    organizer_client, phase, settings
):
    settings.EXPORT_STREAM_MAX_ROWS = 1
    response = organizer_client.post(
        reverse("exports:page"),
        {"dataset": "phase-leaderboard", "phase": phase.pk, "split": "public", "format": "json"},
        follow=True,
    )
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    html = response.content.decode()
    assert "written in the background" in html
    assert reverse("exports:job", kwargs={"job_id": job.pk}) in html
    status = organizer_client.get(reverse("exports:job", kwargs={"job_id": job.pk})).json()
    assert status["rows_total"] == 3 and status["status"] == "queued"
