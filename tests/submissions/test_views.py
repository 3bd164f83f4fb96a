"""Participants' pages: submit (form and XHR), live status, leaderboard."""

import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions import services
from submissions.models import Submission
from tests.factories import SubmissionFactory, TeamBestFactory
from tests.submissions.conftest import csv_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, arena):
    client.force_login(arena.member)
    return client


def submit_url(arena):
    return reverse("submissions:submit", args=[arena.phase.pk])


def test_submit_page_shows_quota_and_reset_in_the_viewers_zone(member_client, arena):
    arena.member.time_zone = "Asia/Ho_Chi_Minh"
    arena.member.save()
    arena.phase.limit_time_zone = "Asia/Shanghai"
    arena.phase.save()
    response = member_client.get(submit_url(arena))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-quota="remaining_today">3<' in text
    assert "Asia/Ho_Chi_Minh" in text  # the reset instant, in the viewer's zone
    assert "midnight in Asia/Shanghai" in text
    assert "js/submissions.js" in text
    assert "No final submissions selected: your best public scores count" in text


def test_submit_by_plain_form_redirects_with_a_message(member_client, arena):
    response = member_client.post(
        submit_url(arena), {"file": csv_upload(), "description": "baseline"}, follow=True
    )
    assert response.status_code == 200
    assert "queued for evaluation" in response.content.decode()
    assert Submission.objects.get().description == "baseline"


def test_submit_by_xhr_answers_json(member_client, arena):
    response = member_client.post(
        submit_url(arena), {"file": csv_upload()}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "queued"


def test_refusal_on_the_page_shows_every_reason_and_stores_nothing(member_client, arena):
    response = member_client.post(
        submit_url(arena), {"file": csv_upload(b"<!doctype html><p>hi", name="x.csv")}
    )
    assert response.status_code == 422
    assert "HTML" in response.content.decode()
    assert not Submission.objects.exists()
    xhr = member_client.post(
        submit_url(arena),
        {"file": csv_upload(b"", name="x.csv")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert xhr.status_code == 422
    assert xhr.json()["details"]["violations"][0]["code"] == "empty_file"


def test_after_the_deadline_the_message_names_the_deadline(member_client, arena):
    arena.phase.opens_at = timezone.now() - timedelta(days=2)
    arena.phase.closes_at = timezone.now() - timedelta(hours=1)
    arena.phase.save()
    member_client.cookies["league_tz"] = "Asia/Manila"
    response = member_client.post(submit_url(arena), {"file": csv_upload()})
    text = response.content.decode()
    assert "The deadline has passed" in text and "Asia/Manila" in text


def test_status_endpoint_reports_live_status(member_client, arena):
    submission = services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload()
    )
    url = reverse("submissions:status", args=[arena.phase.pk])
    assert member_client.get(url).json()["submissions"][0]["status"] == "queued"
    services.submission_evaluate(submission_id=submission.pk)
    body = member_client.get(url).json()
    assert body["submissions"][0]["status"] == "scored"
    assert body["submissions"][0]["public_score"] == 1.0
    assert body["quota"]["remaining_today"] == 2


def test_status_endpoint_is_404_for_teams_not_registered(client, arena):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("submissions:status", args=[arena.phase.pk])).status_code == 404


def test_page_download_is_an_attachment(member_client, arena):
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    response = member_client.get(reverse("submissions:download", args=[submission.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="predictions.csv"')
    assert response["X-Content-Type-Options"] == "nosniff"


def test_leaderboard_page_states_the_ranking_rule_and_shows_times_in_the_viewers_zone(
    client, arena
):
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.9)
    client.cookies["league_tz"] = "Asia/Yangon"
    response = client.get(reverse("submissions:leaderboard", args=[arena.phase.pk]))
    text = response.content.decode()
    assert "share a rank (1, 1, 3)" in text
    assert "earlier" in text
    assert arena.registration.team.name in text
    assert "Asia/Yangon" in text and "UTC+06:30" in text
    zoneinfo.ZoneInfo("Asia/Yangon")


def test_home_page_links_the_leaderboard(client, arena):
    from league.models import Season

    season = arena.phase.challenge.track.season
    assert Season.objects.filter(pk=season.pk).exists()
    response = client.get("/")
    assert reverse("submissions:leaderboard", args=[arena.phase.pk]) in response.content.decode()


def test_page_says_when_the_next_submission_is_possible(member_client, arena):
    for _ in range(3):
        services.submission_create(user=arena.member, phase=arena.phase, upload=csv_upload())
    text = member_client.get(submit_url(arena)).content.decode()
    assert 'data-quota="remaining_today">0<' in text
    assert 'id="next-possible"' in text and "Your next submission is possible at" in text


def test_a_rejected_team_reads_why_on_the_submit_page_and_cannot_submit(member_client, arena):
    arena.registration.status = "rejected"
    arena.registration.rejection_reason = "Two members share one passport number"
    arena.registration.save()
    page = member_client.get(submit_url(arena)).content.decode()
    assert "rejected" in page and "Two members share one passport number" in page
    assert "not been verified yet" not in page
    response = member_client.post(submit_url(arena), {"file": csv_upload()})
    assert "Two members share one passport number" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_team_under_review_is_told_so_on_the_submit_page(member_client, arena):
    arena.registration.status = "needs_review"
    arena.registration.save()
    page = member_client.get(submit_url(arena)).content.decode()
    assert "waiting for the organizers" in page
    assert "not been verified yet" not in page
