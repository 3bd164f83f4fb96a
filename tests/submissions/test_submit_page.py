"""The submit page's rows read the same whether the page or its polling
rendered them, and selecting a final says so, with and without the script."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.models import Submission, SubmissionStatus
from tests.factories import SubmissionFactory
from tests.submissions.conftest import csv_upload

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture
def member_client(client, arena):
    client.force_login(arena.member)
    client.cookies["league_tz"] = "Asia/Jakarta"
    return client


def scored(arena, **kwargs):
    return SubmissionFactory(
        registration=arena.registration,
        phase=arena.phase,
        status=SubmissionStatus.SCORED,
        public_score=0.8125,
        description="gradient boosting",
        **kwargs,
    )


def page_row(client, arena, submission_id: int) -> str:
    page = client.get(reverse("submissions:submit", args=[arena.phase.pk])).content.decode()
    return re.search(rf'<tr data-id="{submission_id}".*?</tr>', page, re.S).group(0)


def polled(client, arena) -> dict:
    return client.get(reverse("submissions:status", args=[arena.phase.pk])).json()


def without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html).strip()


def test_a_polled_row_reads_exactly_as_the_reloaded_one(member_client, arena):
    submission = scored(arena)
    live = polled(member_client, arena)["submissions"][0]["row_html"]
    assert without_token(live) == without_token(page_row(member_client, arena, submission.pk))
    assert "gradient boosting" in live
    assert "Select as final" in live
    assert "0.81250" in live
    assert "Asia/Jakarta, UTC+07:00" in live


def test_a_polled_row_is_in_the_readers_language(member_client, arena):
    scored(arena)
    chinese = member_client.get(
        reverse("submissions:status", args=[arena.phase.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()["submissions"][0]
    assert "选为最终提交" in chinese["row_html"]
    assert "年" in chinese["row_html"]  # Django's Chinese date format
    assert chinese["notice"].endswith("已评分：公开分数 0.81250。")


def test_selecting_a_final_from_the_script_says_so_and_brings_the_rows(member_client, arena):
    submission = scored(arena)
    response = member_client.post(
        reverse("submissions:final", args=[submission.pk]), {"is_final": "1"}, **XHR
    )
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == (
        f"Submission #{submission.pk} (“predictions.csv”) is selected as final: "
        "it counts for the final standings."
    )
    assert "Final ✓ (unselect)" in body["submissions"][0]["row_html"]
    assert "Your selected final submissions count" in body["finals_note_html"]
    assert Submission.objects.get().is_final


def test_selecting_a_final_without_the_script_says_so_after_the_redirect(member_client, arena):
    submission = scored(arena)
    response = member_client.post(
        reverse("submissions:final", args=[submission.pk]),
        {"is_final": "1"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
        follow=True,
    )
    text = response.content.decode()
    assert f"已将提交 #{submission.pk}（“predictions.csv”）选为最终提交" in text
    assert "最终提交 ✓（取消选择）" in text


def test_a_refused_selection_from_the_script_names_the_reason(member_client, arena):
    queued = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    response = member_client.post(
        reverse("submissions:final", args=[queued.pk]), {"is_final": "1"}, **XHR
    )
    assert response.status_code == 422
    assert response.json()["message"] == "Only a scored submission can be selected as final."
    assert not Submission.objects.get().is_final


def test_after_the_phase_closes_a_final_shows_without_a_button(member_client, arena):
    submission = scored(arena, is_final=True)
    arena.phase.opens_at = timezone.now() - timedelta(days=2)
    arena.phase.closes_at = timezone.now() - timedelta(hours=1)
    arena.phase.save()
    row = page_row(member_client, arena, submission.pk)
    assert "Final ✓" in row and "<form" not in row and "Select as final" not in row


def test_the_upload_message_names_its_submission_for_the_polling(member_client, arena):
    response = member_client.post(
        reverse("submissions:submit", args=[arena.phase.pk]), {"file": csv_upload()}, follow=True
    )
    submission = Submission.objects.get()
    assert f'class="submission-{submission.pk} success"' in response.content.decode()


def test_a_polling_page_fetches_only_the_rows_that_changed(member_client, arena):
    for _ in range(3):
        scored(arena)
    running = SubmissionFactory(
        registration=arena.registration, phase=arena.phase, status=SubmissionStatus.RUNNING
    )
    url = reverse("submissions:status", args=[arena.phase.pk])
    first = member_client.get(url)
    rows = first.json()["submissions"]
    assert all("row_html" in row for row in rows)
    known = ",".join(row["row_tag"] for row in rows)
    again = member_client.get(url, {"known": known})
    assert [row["row_tag"] for row in again.json()["submissions"]] == known.split(",")
    assert not any("row_html" in row for row in again.json()["submissions"])
    assert len(again.content) * 2 < len(first.content)
    Submission.objects.filter(pk=running.pk).update(status=SubmissionStatus.FAILED)
    changed = [
        r for r in member_client.get(url, {"known": known}).json()["submissions"] if "row_html" in r
    ]
    assert [r["id"] for r in changed] == [running.pk]
    assert changed[0]["row_tag"] not in known.split(",")
