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


def test_profile_team_checklist_and_registration(page_in, live_server, settings):
    settings.TEAM_PAGE_REFRESH_SECONDS = 1
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
    page.evaluate("window.__noReload = true")
    services.team_join(user=ParticipantFactory(nationality="TH"), code=team.join_code)
    # The page follows the team: the new member, the badge and the passing
    # rule appear without a reload.
    page.wait_for_selector(f"#challenge-{challenge.pk} li[data-code=cross_border].pass")
    assert page.locator("#members tbody tr").count() == 2
    assert page.locator("h1 .badge.cross-border").is_visible()
    assert page.evaluate("window.__noReload") is True

    section.locator("text=Register for this challenge").click()
    page.wait_for_load_state()
    assert "The team is registered." in page.locator(".messages").inner_text()
    assert (
        "Pending verification"
        in page.locator(f"#challenge-{challenge.pk} .registration-status").inner_text()
    )
    assert Registration.objects.get(team=team).status == "pending"


def test_a_first_visit_shows_times_in_the_browsers_zone_without_loading_twice(page_in, live_server):
    """The server renders in UTC (no zone cookie yet); the page rewrites its
    times into the browser's zone instead of loading again, and the next page
    comes from the server in that zone."""
    user = ParticipantFactory(nationality="TH")
    team = services.team_create(user=user, name="Andaman Signals")
    services.invitation_create(team_id=team.pk, email="someone@example.org", actor=user)
    page = page_in(timezone_id="Asia/Bangkok", user=user)
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(f"/teams/{team.pk}/")
    page.wait_for_timeout(500)
    assert len(loads) == 1, "the first visit loaded the page once"
    expires = page.locator("td time").first
    assert "(Asia/Bangkok, UTC+07:00)" in expires.inner_text()
    page.goto(f"/teams/{team.pk}/")
    assert "Asia/Bangkok" in page.locator("body").get_attribute("data-viewer-tz")
