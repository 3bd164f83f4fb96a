"""A judge signs in, opens an assigned blind entry, scores it against the
rubric, submits, and only then sees the other judge's score."""

import pytest

from judging import services
from judging.models import ReviewStatus
from tests.factories import PASSWORD
from tests.judging.conftest import build_blind_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_judge_scores_a_blind_entry_and_then_sees_the_others(page_in, live_server):
    arena = build_blind_entry()
    entry, criteria, judge = arena["entry"], arena["criteria"], arena["judge"]
    services.review_save(
        judge=arena["other_judge"],
        entry_id=entry.pk,
        scores={c.pk: 5 for c in criteria},
        submit=True,
    )

    page = page_in(timezone_id="Asia/Bangkok")
    page.goto("/judging/")
    page.fill("#id_login", judge.user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.get_by_role("link", name="II-7F3K").click()

    body = page.content()
    assert "Mekong Sparks" not in body and "Somchai" not in body
    assert page.locator("#other-scores").count() == 0
    page.get_by_text("appear here once you have submitted yours").wait_for()

    page.get_by_label("3 — C1 solid").check()
    page.get_by_label("5 — C2 outstanding").check()
    page.fill("#id_comment_to_team", "Clear plan; show the pilot's numbers.")
    page.get_by_role("button", name="Submit").click()

    page.get_by_text("Review submitted.").wait_for()
    others = page.locator("#other-scores")
    others.wait_for()
    assert "5.00" in others.inner_text()
    assert page.locator("#own-total").inner_text() == "3.80"  # 0.6×3 + 0.4×5
    review = entry.assignments.get(judge=judge).review
    assert review.status == ReviewStatus.SUBMITTED
