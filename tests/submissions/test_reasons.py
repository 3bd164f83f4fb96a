"""A failed submission's reason is stored as codes and values and shown in
the reader's language, on the pages, the polling endpoint and the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from submissions import services
from submissions.models import Submission
from tests.factories import predictions_csv
from tests.submissions.conftest import csv_upload

pytestmark = pytest.mark.django_db

# Rows 1–2 of 20 missing and a label the answer key does not know.
BAD_FILE = predictions_csv().replace(b"r0,a\nr1,b\n", b"").replace(b"r3,b\n", b"r3,zz\n")


@pytest.fixture
def failed(arena):
    submission = services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload(BAD_FILE)
    )
    services.submission_evaluate(submission_id=submission.pk)
    return Submission.objects.get(pk=submission.pk)


def test_the_reason_is_stored_as_codes_with_an_english_fallback(failed):
    assert failed.status == "failed"
    codes = [v["code"] for v in failed.error_params["violations"]]
    assert codes == ["unknown_label", "missing_ids"]
    assert "is not one of the classes" in failed.error_message
    assert "Your file lacks 2 ids" in failed.error_message


def test_the_submission_page_shows_the_reason_in_chinese(arena, failed):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(arena.member)
    page = client.get(f"/submissions/{failed.pk}/").content.decode()
    assert "您的文件缺少测试集中的 2 个 id" in page
    assert "Your file lacks" not in page
    rows = client.get(f"/phases/{arena.phase.pk}/submissions/").content.decode()
    assert "您的文件缺少测试集中的 2 个 id" in rows


def api_get(user, url, language):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).json()


def test_the_api_shows_the_reason_in_the_readers_language(arena, failed):
    url = f"/api/submissions/{failed.pk}/"
    chinese = api_get(arena.member, url, "zh-hans")
    assert "“zz”不是答案文件中的类别" in chinese["error_message"]
    english = api_get(arena.member, url, "en")
    assert english["error_message"] == failed.error_message


def test_an_old_row_without_codes_shows_its_stored_text(arena, failed):
    Submission.objects.filter(pk=failed.pk).update(error_params={}, error_message="Old text.")
    shown = api_get(arena.member, f"/api/submissions/{failed.pk}/", "zh-hans")
    assert shown["error_message"] == "Old text."


def test_an_older_program_failure_without_its_detail_shows_its_stored_text(arena, failed):
    """Rows stored before the run's detail was kept with the verdict."""
    stored = (
        "Your program stopped before writing its predictions: Runtime error (exit code 1). "
        "Its output is shown below."
    )
    Submission.objects.filter(pk=failed.pk).update(
        error_code="program_failed",
        error_message=stored,
        error_params={
            "violations": [{"code": "program_failed", "params": {"verdict": "runtime_error"}}]
        },
    )
    shown = api_get(arena.member, f"/api/submissions/{failed.pk}/", "zh-hans")
    assert shown["error_message"] == stored
