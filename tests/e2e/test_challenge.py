"""A newcomer finds a challenge from the home page, accepts its terms,
downloads the sample submission, hands it in and sees it scored; the pages
fit a 390-pixel-wide phone."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from league.models import User
from submissions.models import Submission
from tests.factories import ChallengeFactory, PhaseFactory, RegistrationFactory, challenge_file

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _too_wide(page) -> list[str]:
    """The elements that stick out past the right edge, to name in a failure."""
    return page.evaluate(
        """[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + e.textContent.slice(0, 40))"""
    )


def test_a_newcomer_goes_from_the_home_page_to_a_scored_sample(page_in, live_server, start_worker):
    call_command("seed_demo", stdout=io.StringIO())
    start_worker(queues="evaluation")
    participant = User.objects.get(email="participant@demo.league")
    page = page_in(timezone_id="Asia/Bangkok", user=participant)

    page.goto("/")
    page.get_by_role("link", name="Predicting cross-border parcel delays").click()
    page.wait_for_url("**/challenges/parcel-delay/")
    assert page.locator("#submit-button").is_visible()

    page.click('a[href="#data"]')
    page.check('#terms-form input[name="accept"]')
    page.click("#terms-form button[type=submit]")
    page.locator("#terms-accepted").wait_for()
    with page.expect_download() as download:
        page.click('#files tr[data-kind="sample_submission"] a')
    sample = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == "sample_submission.csv"
    assert sample.startswith(b"id,prediction\nq0000,")

    before = set(Submission.objects.values_list("pk", flat=True))
    page.click("#submit-button")
    page.set_input_files(
        "#id_file",
        files=[{"name": "sample_submission.csv", "mimeType": "text/csv", "buffer": sample}],
    )
    page.click("#submit-form button[type=submit]")
    page.get_by_text("Received; it is queued for evaluation.").wait_for()
    (new,) = Submission.objects.exclude(pk__in=before)
    row = page.locator(f'tr[data-id="{new.pk}"]')
    row.locator('[data-field="status_label"]').filter(has_text="Scored").wait_for(timeout=30000)
    new.refresh_from_db()
    assert new.status == "scored" and new.public_score is not None

    page.set_viewport_size(PHONE)
    page.goto("/challenges/parcel-delay/")
    assert _fits(page), f"the challenge page scrolls sideways at 390 px: {_too_wide(page)}"


@pytest.mark.parametrize("path", ["/", "/challenges/{slug}/", "/my/challenges/"])
def test_pages_fit_a_390_pixel_wide_screen(page_in, live_server, path):
    phase = PhaseFactory(
        challenge=ChallengeFactory(
            title="Forecasting dengue cases by district in the Mekong delta provinces",
            terms="Use the data for this competition only.",
        )
    )
    challenge_file(challenge=phase.challenge, name="a-rather-long-training-file-name-2026.csv")
    registration = RegistrationFactory(challenge=phase.challenge)
    page = page_in(user=registration.team.captain)
    page.set_viewport_size(PHONE)
    page.goto(path.format(slug=phase.challenge.slug))
    assert _fits(page), f"{path} scrolls sideways at 390 px: {_too_wide(page)}"
