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


LANGUAGES = ("en", "zh-hans", "vi", "th", "id", "ms")

# A program that stopped: its failure reason, stored as codes and values
# (the run's detail as the runner gives it: a code and its values).
PROGRAM_FAILED = {
    "verdict": "memory_limit",
    "detail_code": "memory",
    "detail_values": {"bytes": 268435456},
}
PROGRAM_FAILED_SHOWN = {
    "en": "Your program stopped before writing its predictions: Memory limit exceeded "
    "(memory over 256.0\xa0MB). Its output is shown below.",
    "zh-hans": "你的程序在写出预测结果之前就停止了：超出内存限制（内存超过 256.0\xa0MB）。"
    "程序输出见下方。",
    "vi": "Chương trình của bạn dừng trước khi ghi kết quả dự đoán: Vượt quá bộ nhớ cho phép "
    "(bộ nhớ vượt quá 256,0\xa0MB). Đầu ra của chương trình hiển thị bên dưới.",
    "th": "โปรแกรมของคุณหยุดทำงานก่อนเขียนผลการทำนาย: เกินหน่วยความจำที่กำหนด "
    "(ใช้หน่วยความจำเกิน 256.0\xa0MB) เอาต์พุตแสดงอยู่ด้านล่าง",
    "id": "Program Anda berhenti sebelum menulis prediksinya: Batas memori terlampaui "
    "(memori melebihi 256,0\xa0MB). Keluarannya ditampilkan di bawah.",
    "ms": "Program anda berhenti sebelum menulis ramalannya: Had memori dilampaui "
    "(memori melebihi 256.0\xa0MB). Outputnya dipaparkan di bawah.",
}


def _fail_with_program(submission, params):
    Submission.objects.filter(pk=submission.pk).update(
        error_code="program_failed",
        error_params={"violations": [{"code": "program_failed", "params": params}]},
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_program_failure_names_its_detail_in_the_readers_language(arena, failed, language):
    _fail_with_program(failed, PROGRAM_FAILED)
    shown = api_get(arena.member, f"/api/submissions/{failed.pk}/", language)
    assert shown["error_message"] == PROGRAM_FAILED_SHOWN[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_program_failure_with_an_english_detail_reads_as_before(arena, failed, language):
    """Rows stored when the runner wrote its detail as English text."""
    _fail_with_program(failed, {"verdict": "memory_limit", "detail": "memory over 268435456 bytes"})
    shown = api_get(arena.member, f"/api/submissions/{failed.pk}/", language)
    assert shown["error_message"] == PROGRAM_FAILED_SHOWN[language]


# Every way the sandbox says a run stopped: its code and values, the English
# text the runner wrote for it before it gave codes, and what a reader sees
# in each language (in the order of LANGUAGES).
DETAILS = [
    (
        "wall_time",
        {"seconds": 2},
        "wall time over 2 s",
        (
            "wall-clock time over 2 s",
            "实际运行时间超过 2 秒",
            "thời gian chạy thực tế vượt quá 2 giây",
            "เวลาทำงานจริงเกิน 2 วินาที",
            "waktu berjalan melebihi 2 detik",
            "masa berjalan sebenar melebihi 2 saat",
        ),
    ),
    (
        "cpu_time",
        {"seconds": 1.5},
        "CPU time over 1.5 s",
        (
            "CPU time over 1.5 s",
            "CPU 时间超过 1.5 秒",
            "thời gian CPU vượt quá 1.5 giây",
            "เวลา CPU เกิน 1.5 วินาที",
            "waktu CPU melebihi 1.5 detik",
            "masa CPU melebihi 1.5 saat",
        ),
    ),
    (
        "memory",
        {"bytes": 268435456},
        "memory over 268435456 bytes",
        (
            "memory over 256.0\xa0MB",
            "内存超过 256.0\xa0MB",
            "bộ nhớ vượt quá 256,0\xa0MB",
            "ใช้หน่วยความจำเกิน 256.0\xa0MB",
            "memori melebihi 256,0\xa0MB",
            "memori melebihi 256.0\xa0MB",
        ),
    ),
    (
        "stdout",
        {"bytes": 1048576},
        "stdout over 1048576 bytes",
        (
            "standard output over 1.0\xa0MB",
            "标准输出超过 1.0\xa0MB",
            "đầu ra chuẩn vượt quá 1,0\xa0MB",
            "เอาต์พุตมาตรฐานเกิน 1.0\xa0MB",
            "keluaran standar melebihi 1,0\xa0MB",
            "output standard melebihi 1.0\xa0MB",
        ),
    ),
    (
        "stderr",
        {"bytes": 262144},
        "stderr over 262144 bytes",
        (
            "standard error output over 256.0\xa0KB",
            "标准错误输出超过 256.0\xa0KB",
            "đầu ra lỗi chuẩn vượt quá 256,0\xa0KB",
            "เอาต์พุตข้อผิดพลาดมาตรฐานเกิน 256.0\xa0KB",
            "keluaran galat standar melebihi 256,0\xa0KB",
            "output ralat standard melebihi 256.0\xa0KB",
        ),
    ),
    (
        "file_size",
        {"bytes": 1048576},
        "a file over 1048576 bytes",
        (
            "a file over 1.0\xa0MB",
            "有文件超过 1.0\xa0MB",
            "có một tệp vượt quá 1,0\xa0MB",
            "มีไฟล์ที่ใหญ่เกิน 1.0\xa0MB",
            "ada berkas yang melebihi 1,0\xa0MB",
            "ada fail yang melebihi 1.0\xa0MB",
        ),
    ),
    (
        "output_file",
        {"name": "predictions.csv", "bytes": 1048576},
        "predictions.csv over 1048576 bytes",
        (
            "the file predictions.csv over 1.0\xa0MB",
            "文件 predictions.csv 超过 1.0\xa0MB",
            "tệp predictions.csv vượt quá 1,0\xa0MB",
            "ไฟล์ predictions.csv ใหญ่เกิน 1.0\xa0MB",
            "berkas predictions.csv melebihi 1,0\xa0MB",
            "fail predictions.csv melebihi 1.0\xa0MB",
        ),
    ),
    (
        "signal",
        {"signal": "SIGSEGV"},
        "killed by SIGSEGV",
        (
            "stopped by the signal SIGSEGV",
            "被信号 SIGSEGV 终止",
            "bị dừng bởi tín hiệu SIGSEGV",
            "ถูกหยุดด้วยสัญญาณ SIGSEGV",
            "dihentikan oleh sinyal SIGSEGV",
            "dihentikan oleh isyarat SIGSEGV",
        ),
    ),
    (
        "exit_code",
        {"code": 3},
        "exit code 3",
        (
            "exit code 3",
            "退出码 3",
            "mã thoát 3",
            "จบการทำงานด้วยรหัส 3",
            "kode keluar 3",
            "kod keluar 3",
        ),
    ),
    (
        "sandbox_ended",
        {},
        "the program ended the sandbox",
        (
            "the program brought the sandbox down",
            "程序导致沙箱崩溃",
            "chương trình đã làm sập môi trường chạy cách ly (sandbox)",
            "โปรแกรมทำให้แซนด์บ็อกซ์หยุดทำงาน",
            "program membuat sandbox berhenti",
            "program telah menyebabkan kotak pasir (sandbox) terhenti",
        ),
    ),
]
EVERY_DETAIL_IN_EVERY_LANGUAGE = [
    pytest.param(code, values, old, language, shown[n], id=f"{code}-{language}")
    for code, values, old, shown in DETAILS
    for n, language in enumerate(LANGUAGES)
]


def test_the_table_holds_every_code_the_runner_gives():
    from submissions.sandbox import DetailCode

    assert [code for code, *_rest in DETAILS] == list(DetailCode)


@pytest.mark.parametrize(
    ("code", "values", "old", "language", "shown"), EVERY_DETAIL_IN_EVERY_LANGUAGE
)
def test_every_detail_the_sandbox_gives_reads_in_every_language(code, values, old, language, shown):
    from django.utils import translation

    from submissions.code_rules import stored_detail_text

    stored = {"detail_code": code, "detail_values": values}
    with translation.override(language):
        assert stored_detail_text(stored) == shown


@pytest.mark.parametrize(
    ("code", "values", "old", "language", "shown"), EVERY_DETAIL_IN_EVERY_LANGUAGE
)
def test_an_old_rows_english_detail_reads_as_before(code, values, old, language, shown):
    from django.utils import translation

    from submissions.code_rules import stored_detail_text

    with translation.override(language):
        assert stored_detail_text({"detail": old}) == shown


def test_a_detail_of_no_known_form_is_shown_as_written():
    from django.utils import translation

    from submissions.code_rules import stored_detail_text

    with translation.override("zh-hans"):
        assert stored_detail_text({"detail": "something new"}) == "something new"
        assert stored_detail_text({"detail_code": "a_later_code"}) == "a_later_code"
        assert stored_detail_text({"detail_code": "", "detail_values": {}}) == ""
        assert stored_detail_text({}) == ""
