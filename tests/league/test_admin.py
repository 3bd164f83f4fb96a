"""Organizers configure the league in the admin, with validation."""

import pytest

from league.models import Phase
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def phase_form(challenge, phases):
    data = {
        "track": challenge.track_id,
        "slug": challenge.slug,
        "title": challenge.title,
        "sponsor": "",
        "theme": challenge.theme,
        "description": "",
        "evaluation_mode": "prediction",
        "metric": "accuracy",
        "automated_weight": "1",
        "judges_weight": "0",
        "max_file_size_mb": "200",
        "allowed_extensions": '[".csv"]',
        "phases-TOTAL_FORMS": str(len(phases)),
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
    }
    for i, (name, opens, closes) in enumerate(phases):
        data.update(
            {
                f"phases-{i}-name": name,
                f"phases-{i}-opens_at_0": opens[0],
                f"phases-{i}-opens_at_1": opens[1],
                f"phases-{i}-closes_at_0": closes[0],
                f"phases-{i}-closes_at_1": closes[1],
                f"phases-{i}-daily_limit": "5",
                f"phases-{i}-total_limit": "100",
                f"phases-{i}-limit_time_zone": "UTC",
                f"phases-{i}-max_final_selections": "2",
                f"phases-{i}-leaderboard_visibility": "public",
            }
        )
    return data


def test_organizer_cannot_save_two_overlapping_phases_at_once(organizer_client):
    challenge = ChallengeFactory()
    url = f"/admin/league/challenge/{challenge.pk}/change/"
    response = organizer_client.post(
        url,
        phase_form(
            challenge,
            [
                ("Development", ("2026-12-01", "00:00:00"), ("2026-12-20", "00:00:00")),
                ("Final", ("2026-12-10", "00:00:00"), ("2026-12-30", "00:00:00")),
            ],
        ),
    )
    assert response.status_code == 200
    assert "overlaps the phase “Final”" in response.content.decode()
    assert not Phase.objects.exists()


def test_organizer_saves_consecutive_phases(organizer_client):
    challenge = ChallengeFactory()
    url = f"/admin/league/challenge/{challenge.pk}/change/"
    response = organizer_client.post(
        url,
        phase_form(
            challenge,
            [
                ("Development", ("2026-12-01", "00:00:00"), ("2026-12-20", "00:00:00")),
                ("Final", ("2026-12-20", "00:00:00"), ("2026-12-30", "00:00:00")),
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Phase.objects.filter(challenge=challenge).count() == 2


def test_organizer_edits_the_region_table(organizer_client):
    response = organizer_client.get("/admin/league/countryregion/?region__exact=asean")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Timor-Leste" in page
