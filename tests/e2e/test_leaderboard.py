"""On a 390 px phone the leaderboard (filters, badges, the own row, the chart)
and the league in numbers fit the screen: no sideways scrolling."""

from datetime import timedelta

import pytest
from django.utils import timezone

from submissions.models import SubmissionStatus
from tests.factories import (
    ParticipantFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamBestFactory,
    TeamFactory,
)
from tests.submissions.conftest import build_arena

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def board(db):
    arena = build_arena()
    start = timezone.now() - timedelta(days=2)
    for i, nationalities in enumerate([["CN", "VN", "TH"], ["MY"], ["CN", "HK", "US", "LA"]]):
        team = TeamFactory(
            name=f"A rather long team name from the Mekong delta number {i}",
            captain=ParticipantFactory(nationality=nationalities[0]),
            members=nationalities[1:],
        )
        registration = RegistrationFactory(team=team, challenge=arena.phase.challenge)
        TeamBestFactory(
            registration=registration, phase=arena.phase, best_public_score=0.9 - i / 10
        )
        SubmissionFactory(
            registration=registration,
            phase=arena.phase,
            status=SubmissionStatus.SCORED,
            public_score=0.9 - i / 10,
            created_at=start + timedelta(hours=i),
        )
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.1)
    return arena


def test_the_leaderboard_and_the_numbers_fit_a_phone(page_in, live_server, board):
    page = page_in(user=board.member)
    page.set_viewport_size(PHONE)
    page.goto(f"/phases/{board.phase.pk}/leaderboard/?region=cross_border")
    # Teams 0 and 2 are cross-border (team 2 also has a US member), then a gap and the own row.
    assert page.locator("#leaderboard tbody tr").count() == 2 + 2
    assert page.locator("tr.own").is_visible()
    page.get_by_text("ranks stay the overall ranks").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"/phases/{board.phase.pk}/leaderboard/")
    assert page.locator("#score-chart svg").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto("/numbers/")
    page.get_by_role("heading", name="The league in numbers").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
