"""A participant in a real browser: profile, team, checklist, a teammate from
ASEAN joins, the badge appears, the team registers."""

from decimal import Decimal

import pytest

from league.models import TrackKind
from teams import services
from teams.models import Registration, Team
from tests.factories import (
    ChallengeFactory,
    ParticipantFactory,
    SeasonFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_profile_team_checklist_and_registration(page_in, live_server):
    track = TrackFactory(
        season=SeasonFactory(),
        kind=TrackKind.INDUSTRIAL_INNOVATION,
        name="Industrial innovation",
        min_members=2,
        max_members=6,
        cross_border_required=True,
        max_country_share=Decimal("0.75"),
    )
    challenge = ChallengeFactory(track=track, title="EV battery line")
    user = UserFactory()
    page = page_in(timezone_id="Asia/Bangkok", user=user)

    page.goto("/teams/")
    assert "/profile/" in page.url
    page.fill("#id_display_name", "Li Na")
    page.select_option("#id_nationality", "CN")
    page.select_option("#id_residence", "CN")
    page.select_option("#id_participant_type", "researcher")
    page.fill("#id_new_organisation_name", "Guangxi University")
    page.select_option("#id_new_organisation_type", "university")
    page.select_option("#id_new_organisation_country", "CN")
    page.click("main button[type=submit]")
    page.wait_for_url("**/teams/")

    page.fill("#id_name", "Guilin Vision")
    page.click("text=Create team")
    page.wait_for_url("**/teams/*/")
    section = page.locator(f"#challenge-{challenge.pk}")
    cross_border = section.locator("li[data-code=cross_border]")
    assert "fail" in cross_border.get_attribute("class")
    assert "Add a member from an ASEAN member state (" in cross_border.inner_text()
    assert "Timor-Leste" in cross_border.inner_text()
    assert page.locator(".badge.cross-border").count() == 0

    team = Team.objects.get(name="Guilin Vision")
    services.team_join(user=ParticipantFactory(nationality="TH"), code=team.join_code)
    page.reload()
    assert "pass" in cross_border.get_attribute("class")
    assert page.locator("h1 .badge.cross-border").is_visible()

    section.locator("text=Register for this challenge").click()
    page.wait_for_load_state()
    assert "The team is registered." in page.locator(".messages").inner_text()
    assert (
        "Pending verification"
        in page.locator(f"#challenge-{challenge.pk} .registration-status").inner_text()
    )
    assert Registration.objects.get(team=team).status == "pending"
