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


def test_a_program_failure_names_its_detail_in_the_readers_language(arena, failed):
    Submission.objects.filter(pk=failed.pk).update(
        error_code="program_failed",
        error_params={
            "violations": [
                {
                    "code": "program_failed",
                    "params": {"verdict": "memory_limit", "detail": "memory over 268435456 bytes"},
                }
            ]
        },
    )
    shown = api_get(arena.member, f"/api/submissions/{failed.pk}/", "zh-hans")
    assert "内存超过 256.0" in shown["error_message"]
    assert "memory over" not in shown["error_message"]


@pytest.mark.parametrize(
    ("detail", "chinese"),
    [
        ("wall time over 2 s", "实际运行时间超过 2 秒"),
        ("CPU time over 1.5 s", "CPU 时间超过 1.5 秒"),
        ("stdout over 1048576 bytes", "标准输出超过 1.0\xa0MB"),
        ("stderr over 1048576 bytes", "标准错误输出超过 1.0\xa0MB"),
        ("a file over 1048576 bytes", "有文件超过 1.0\xa0MB"),
        ("predictions.csv over 1048576 bytes", "文件 predictions.csv 超过 1.0\xa0MB"),
        ("killed by SIGSEGV", "被信号 SIGSEGV 终止"),
        ("exit code 3", "退出码 3"),
        ("the program ended the sandbox", "程序导致沙箱崩溃"),
        ("something new from the runner", "something new from the runner"),
    ],
)
def test_every_detail_the_sandbox_writes_reads_in_chinese(detail, chinese):
    from django.utils import translation

    from submissions.code_rules import detail_text

    with translation.override("zh-hans"):
        assert detail_text(detail) == chinese
