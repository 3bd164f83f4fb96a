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
