"""In a real browser: the zone is detected, deadlines are shown in it with a
ticking countdown, and the language switcher works."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import PhaseFactory, SeasonFactory, TrackFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_phase():
    season = SeasonFactory(name="AI Super League 2026")
    track = TrackFactory(season=season, kind="talent_discovery")
    return PhaseFactory(
        challenge__track=track,
        challenge__title="Forecasting dengue cases",
        closes_at=timezone.now() + timedelta(days=2, hours=3),
    )


def test_deadline_in_the_detected_zone_with_a_countdown(page_in, open_phase):
    page = page_in(timezone_id="Asia/Jakarta")
    page.goto("/")
    page.wait_for_selector("text=Forecasting dengue cases")
    # The first visit shows the browser's zone at once, without a second load.
    page.wait_for_function("document.body.dataset.viewerTz === 'Asia/Jakarta'")
    assert "Asia/Jakarta, UTC+07:00" in page.inner_text("table.phases")
    assert "Times are shown in Asia/Jakarta." in page.inner_text("#zone-note")
    countdown = page.locator(".countdown").first
    first = countdown.inner_text()
    assert first.startswith("in 2d ")
    page.wait_for_timeout(1100)
    assert page.locator(".countdown").count() >= 1


def test_switching_to_chinese(page_in, open_phase):
    page = page_in(timezone_id="Asia/Shanghai")
    page.goto("/")
    page.select_option("#language", "zh-hans")
    page.wait_for_selector("html[lang='zh-hans']")
    assert "人才发现" in page.inner_text("main")
    assert page.locator(".countdown").first.inner_text().startswith("剩余")


@pytest.mark.parametrize(
    ("code", "soon"), [("th", "อีก "), ("vi", "còn "), ("id", "2 hari "), ("ms", "2 hari ")]
)
def test_switching_to_an_asean_language_keeps_the_countdown_in_it(page_in, open_phase, code, soon):
    page = page_in(timezone_id="Asia/Bangkok")
    page.goto("/")
    page.select_option("#language", code)
    page.wait_for_selector(f"html[lang='{code}']")
    assert page.locator(".countdown").first.inner_text().startswith(soon)
    assert "Sign in" not in page.inner_text("header")
