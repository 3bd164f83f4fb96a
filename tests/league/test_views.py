"""The home page: the season's tracks, challenges and phases, deadlines in the
viewer's zone (named) in English and Simplified Chinese."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from league.models import TrackKind
from tests.factories import ChallengeFactory, PhaseFactory, SeasonFactory, TrackFactory, UserFactory

pytestmark = pytest.mark.django_db

ZONE = '<span class="zone">'
CLOSES = datetime(2026, 12, 20, 15, 30, tzinfo=UTC)


@pytest.fixture
def season():
    season = SeasonFactory(name="AI Super League 2026")
    for order, kind in enumerate(TrackKind.values):
        track = TrackFactory(season=season, kind=kind, order=order)
        challenge = ChallengeFactory(track=track, title=f"Challenge of {kind}")
        PhaseFactory(challenge=challenge, name="Final", closes_at=CLOSES)
    return season


def test_home_lists_the_three_tracks_with_challenges_and_phases(client, season):
    page = client.get(reverse("home")).content.decode()
    assert "AI Super League 2026" in page
    for label in ("Industrial innovation", "Bottleneck challenge", "Talent discovery"):
        assert label in page
    for kind in TrackKind.values:
        assert f"Challenge of {kind}" in page
    assert 'data-countdown="1"' in page


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        (
            "Asia/Shanghai",
            'Dec. 20, 2026, 11:30 p.m. <span class="zone">(Asia/Shanghai, UTC+08:00)',
        ),
        ("Asia/Yangon", 'Dec. 20, 2026, 10 p.m. <span class="zone">(Asia/Yangon, UTC+06:30)'),
        (
            "Asia/Jayapura",
            'Dec. 21, 2026, 12:30 a.m. <span class="zone">(Asia/Jayapura, UTC+09:00)',
        ),
    ],
)
def test_deadline_in_the_zone_the_browser_detected(client, season, zone, shown):
    client.cookies["league_tz"] = zone
    page = client.get(reverse("home")).content.decode()
    assert shown in page
    assert f"Times are shown in {zone}." in page


def test_zone_chosen_in_preferences_wins_over_the_browser(client, season):
    user = UserFactory()
    client.force_login(user)
    client.cookies["league_tz"] = "Asia/Bangkok"
    response = client.post(reverse("preferences"), {"time_zone": "Asia/Manila"})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "(Asia/Manila, UTC+08:00)" in page


def test_unknown_zone_in_preferences_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(reverse("preferences"), {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Mars/Olympus is not one of the available choices" in response.content.decode()


def test_home_in_simplified_chinese(client, season):
    client.cookies["django_language"] = "zh-hans"
    client.cookies["league_tz"] = "Asia/Shanghai"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in page
    for label in ("工业创新", "瓶颈挑战", "人才发现", "截止"):
        assert label in page
    assert "2026年12月20日" in page
    assert "Asia/Shanghai, UTC+08:00" in page


def test_language_switcher_switches(client, season):
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert "人才发现" in client.get("/").content.decode()


def test_home_without_a_season(client):
    assert "No season has been announced yet." in client.get(reverse("home")).content.decode()


def test_personal_api_token_is_created_shown_once_and_revoked(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("api-token-create"))
    page = client.get(reverse("preferences")).content.decode()
    key = user.auth_token.key
    assert key in page
    again = client.get(reverse("preferences")).content.decode()
    assert key not in again and key[:6] in again
    assert client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.post(reverse("api-token-revoke"))
    assert "You have no API token." in client.get(reverse("preferences")).content.decode()
