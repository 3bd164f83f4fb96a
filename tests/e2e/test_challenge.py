"""A newcomer finds a challenge from the home page, accepts its terms,
downloads the sample submission, hands it in and sees it scored, in English,
Chinese and Thai."""

from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from league.models import FileKind
from submissions.models import Submission, SubmissionStatus
from tests.factories import (
    AnswerKeyFactory,
    ChallengeFactory,
    PhaseFactory,
    RegistrationFactory,
    challenge_file,
    predictions_csv,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TITLES = {
    "en": "Forecasting dengue cases by district in the Mekong delta",
    "zh-hans": "湄公河三角洲各县登革热病例预测",
    "th": "พยากรณ์ผู้ป่วยไข้เลือดออกรายอำเภอในสามเหลี่ยมปากแม่น้ำโขง",
}
# Half of the public rows right: the sample scores 0.5, not a perfect 1.
SAMPLE = predictions_csv(20, correct=5)


@pytest.fixture
def registered_newcomer(db):
    """A captain of a verified team registered in an open challenge with terms,
    a sample submission and an answer key; nothing done on the challenge yet."""
    phase = PhaseFactory(
        name="Development",
        challenge=ChallengeFactory(
            slug="dengue-mekong",
            title=TITLES["en"],
            title_zh_hans=TITLES["zh-hans"],
            title_th=TITLES["th"],
            terms="Use the data for this competition only.",
        ),
    )
    AnswerKeyFactory(phase=phase)
    challenge_file(
        challenge=phase.challenge,
        kind=FileKind.SAMPLE_SUBMISSION,
        name="sample_submission.csv",
        title="Sample submission",
        content=SAMPLE,
    )
    return RegistrationFactory(challenge=phase.challenge).team.captain


@pytest.mark.parametrize(
    ("language", "locale", "zone"),
    [
        ("en", "en-US", "Asia/Singapore"),
        ("zh-hans", "zh-CN", "Asia/Shanghai"),
        ("th", "th-TH", "Asia/Bangkok"),
    ],
)
def test_a_newcomer_goes_from_the_home_page_to_a_scored_sample(
    page_in, live_server, evaluation_worker, registered_newcomer, language, locale, zone
):
    page = page_in(timezone_id=zone, locale=locale, user=registered_newcomer)
    page.goto("/")
    if language != "en":
        page.select_option("#language", language)
        page.wait_for_selector(f"html[lang='{language}']")
    with translation.override(language):
        words = {
            "accept": _("Accept the terms"),
            "sample": str(FileKind.SAMPLE_SUBMISSION.label),
            "submit": _("Submit to “%(phase)s”") % {"phase": "Development"},
            "received": _("Received; it is queued for evaluation."),
            "scored": str(SubmissionStatus.SCORED.label),
        }
    if language != "en":
        assert words["scored"] != "Scored", f"no {language} word for the status in the catalogue"

    page.get_by_role("link", name=TITLES[language]).click()
    page.wait_for_url("**/challenges/dengue-mekong/")
    assert page.locator("h1").inner_text() == TITLES[language]
    submit_button = page.locator("#submit-button")
    assert submit_button.inner_text() == words["submit"]

    page.click('a[href="#data"]')
    page.check('#terms-form input[name="accept"]')
    page.get_by_role("button", name=words["accept"]).click()
    page.locator("#terms-accepted").wait_for()
    sample_row = page.locator('#files tr[data-kind="sample_submission"]')
    assert words["sample"] in sample_row.inner_text()
    with page.expect_download() as download:
        sample_row.locator("a").click()
    assert download.value.suggested_filename == "sample_submission.csv"
    sample = Path(download.value.path()).read_bytes()
    assert sample == SAMPLE

    page.locator("#submit-button").click()
    page.set_input_files(
        "#id_file",
        files=[{"name": "sample_submission.csv", "mimeType": "text/csv", "buffer": sample}],
    )
    page.click("#submit-form button[type=submit]")
    # The upload answers in under a second; the margin is for a machine under load.
    page.get_by_text(words["received"]).wait_for(timeout=30000)
    submission = Submission.objects.get()
    row = page.locator(f'tr[data-id="{submission.pk}"]')
    row.locator('[data-field="status_label"]').filter(has_text=words["scored"]).wait_for(
        timeout=30000
    )
    assert row.locator('[data-field="public_score"]').inner_text() == "0.50000"
    assert page.locator("html").get_attribute("lang") == language
