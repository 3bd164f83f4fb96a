"""A participant uploads a CSV through the submit page in a real Chromium,
sees the progress bar, and watches the status turn to scored without a reload."""

import pytest

from submissions.models import Submission
from tests.factories import predictions_csv
from tests.submissions.conftest import build_arena

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def arena(db):
    return build_arena()


def test_upload_with_progress_and_live_status(page_in, live_server, arena, start_worker):
    start_worker(queues="evaluation", evaluation_delay=1.5)
    page = page_in(timezone_id="Asia/Jakarta", user=arena.member)
    page.goto(f"/phases/{arena.phase.pk}/submissions/")
    page.evaluate("window.__noReload = true")
    assert page.locator('[data-quota="remaining_today"]').inner_text() == "3"

    page.set_input_files(
        "#id_file",
        files=[{"name": "predictions.csv", "mimeType": "text/csv", "buffer": predictions_csv()}],
    )
    page.fill("#id_description", "first model")
    page.click("#submit-form button[type=submit]")

    page.wait_for_function("document.getElementById('upload-progress').value === 100")
    page.get_by_text("Received; it is queued for evaluation.").wait_for()
    submission = Submission.objects.get()
    row = page.locator(f'tr[data-id="{submission.pk}"]')
    row.locator('[data-field="status_label"]').filter(has_text="Scored").wait_for(timeout=30000)
    assert row.locator('[data-field="public_score"]').inner_text() == "1.00000"
    assert page.locator('[data-quota="remaining_today"]').inner_text() == "2"
    assert page.evaluate("window.__noReload") is True, "the status changed without a reload"


def test_a_refused_file_shows_the_reason_without_storing(page_in, live_server, arena):
    page = page_in(user=arena.member)
    page.goto(f"/phases/{arena.phase.pk}/submissions/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "predictions.csv", "mimeType": "text/csv", "buffer": b"<html>hi</html>"}],
    )
    page.click("#submit-form button[type=submit]")
    page.locator("#form-errors li").filter(has_text="HTML").wait_for()
    assert not Submission.objects.exists()


# A file the answer key refuses: rows 1–2 missing, a label it does not know.
BAD_FILE = predictions_csv().replace(b"r0,a\nr1,b\n", b"").replace(b"r3,b\n", b"r3,zz\n")
LANGUAGES = {
    "en": {
        "scored": "Scored",
        "failed": "Failed",
        "select": "Select as final",
        "unselect": "Final ✓ (unselect)",
        "selected": "is selected as final: it counts for the final standings.",
        "notice_scored": "is scored: public score 1.00000.",
        "reason": "Your file lacks 2 ids of the test set",
    },
    "zh-hans": {
        "scored": "已评分",
        "failed": "失败",
        "select": "选为最终提交",
        "unselect": "最终提交 ✓（取消选择）",
        "selected": "选为最终提交，它将计入最终排名。",
        "notice_scored": "已评分：公开分数 1.00000。",
        "reason": "您的文件缺少测试集中的 2 个 id",
    },
}


def _upload(page, content: bytes, description: str) -> None:
    page.set_input_files(
        "#id_file",
        files=[{"name": "predictions.csv", "mimeType": "text/csv", "buffer": content}],
    )
    page.fill("#id_description", description)
    page.click("#submit-form button[type=submit]")


def _reading(row) -> dict:
    """What a participant finds in a row: its text, its buttons and its links."""
    return {
        "text": row.inner_text(),
        "buttons": row.locator("button").all_inner_texts(),
        "links": [link.get_attribute("href") for link in row.locator("a").all()],
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_live_row_reads_as_after_a_reload_and_a_final_is_confirmed(
    page_in, live_server, arena, start_worker, language
):
    words = LANGUAGES[language]
    start_worker(queues="evaluation", evaluation_delay=1.0)
    page = page_in(timezone_id="Asia/Jakarta", user=arena.member)
    url = f"/phases/{arena.phase.pk}/submissions/"
    page.goto(url)
    if language != "en":
        page.select_option("#language", language)
        page.wait_for_selector(f"html[lang='{language}']")
    page.evaluate("window.__noReload = true")
    reloaded = page.context.new_page()

    _upload(page, predictions_csv(), "first model")
    notice = page.locator("#upload-message")
    notice.filter(has_text=words["notice_scored"]).wait_for(timeout=30000)
    submission = Submission.objects.get()
    assert f"#{submission.pk}" in notice.inner_text()
    row = page.locator(f'tr[data-id="{submission.pk}"]')
    live = _reading(row)
    assert words["scored"] in live["text"] and "first model" in live["text"]
    assert "1.00000" in live["text"] and "Asia/Jakarta, UTC+07:00" in live["text"]
    assert ("年" in live["text"]) == (language == "zh-hans"), "Django's date format"
    assert live["buttons"] == [words["select"]]
    reloaded.goto(url)
    assert _reading(reloaded.locator(f'tr[data-id="{submission.pk}"]')) == live

    row.get_by_role("button", name=words["select"]).click()
    page.locator("#final-message").filter(has_text=words["selected"]).wait_for()
    row.get_by_role("button", name=words["unselect"]).wait_for()
    reloaded.reload()
    assert _reading(reloaded.locator(f'tr[data-id="{submission.pk}"]')) == _reading(row)

    _upload(page, BAD_FILE, "a broken file")
    notice.filter(has_text=words["reason"]).wait_for(timeout=30000)
    failed = Submission.objects.order_by("-pk").first()
    failed_row = page.locator(f'tr[data-id="{failed.pk}"]')
    assert words["failed"] in failed_row.inner_text()
    assert words["reason"] in failed_row.locator('[data-field="error_message"]').inner_text()
    reloaded.reload()
    assert _reading(reloaded.locator(f'tr[data-id="{failed.pk}"]')) == _reading(failed_row)
    assert page.evaluate("window.__noReload") is True, "all of it without a reload"
