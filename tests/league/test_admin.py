"""Organizers configure the league in the admin, with validation."""

import pytest

from league.models import Phase
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def phase_form(challenge, phases):
    data = {
        "track": challenge.track_id,
        "slug": challenge.slug,
        "title_en": challenge.title,
        "sponsor": "",
        "theme": challenge.theme,
        "description_en": "",
        "evaluation_mode": "prediction",
        "metric": "accuracy",
        "automated_weight": "1",
        "judges_weight": "0",
        "max_file_size_mb": "200",
        "max_proposal_pages": "30",
        "allowed_extensions": '[".csv"]',
        "phases-TOTAL_FORMS": str(len(phases)),
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    for i, (name, opens, closes) in enumerate(phases):
        data.update(
            {
                f"phases-{i}-name_en": name,
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


def _closed_phase(**kwargs):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import PhaseFactory

    now = timezone.now()
    defaults = {"opens_at": now - timedelta(days=10), "closes_at": now - timedelta(days=1)}
    return PhaseFactory(**{**defaults, **kwargs})


def _run_action(client, action, phases):
    return client.post(
        "/admin/league/phase/",
        {"action": action, "_selected_action": [p.pk for p in phases]},
        follow=True,
    )


def test_organizer_reveals_private_scores_from_the_admin_and_can_hide_them_again(
    organizer_client,
):
    phase = _closed_phase(name="Final round")
    response = _run_action(organizer_client, "reveal_private_scores", [phase])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Private scores are now shown to participants for 1 phase" in page
    assert "Final round" in page
    phase.refresh_from_db()
    assert phase.private_scores_visible

    again = _run_action(organizer_client, "reveal_private_scores", [phase]).content.decode()
    assert "Already revealed, left as they were" in again

    hidden = _run_action(organizer_client, "hide_private_scores", [phase]).content.decode()
    assert "Private scores are hidden again for 1 phase" in hidden
    phase.refresh_from_db()
    assert phase.private_revealed_at is None and not phase.private_scores_visible


def test_private_scores_of_an_open_phase_are_not_revealed(organizer_client):
    from tests.factories import PhaseFactory

    open_phase = PhaseFactory(name="Development")
    closed = _closed_phase(name="Final round")
    page = _run_action(
        organizer_client, "reveal_private_scores", [open_phase, closed]
    ).content.decode()
    assert "can be revealed once it has closed" in page
    open_phase.refresh_from_db()
    closed.refresh_from_db()
    assert open_phase.private_revealed_at is None
    assert closed.private_scores_visible


def test_staff_without_the_organizers_permissions_cannot_reveal(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True))
    phase = _closed_phase()
    response = _run_action(client, "reveal_private_scores", [phase])
    assert response.status_code == 403
    phase.refresh_from_db()
    assert phase.private_revealed_at is None


def test_phase_times_in_the_admin_are_in_the_organizers_zone_and_say_so(organizer_client):
    from datetime import UTC, datetime

    organizer = organizer_client.organizer
    organizer.time_zone = "Asia/Bangkok"
    organizer.save()
    challenge = ChallengeFactory()
    response = organizer_client.post(
        f"/admin/league/challenge/{challenge.pk}/change/",
        phase_form(
            challenge,
            [("Development", ("2026-12-01", "07:00:00"), ("2026-12-20", "07:00:00"))],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    phase = Phase.objects.get(challenge=challenge)
    assert phase.opens_at == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)

    listing = organizer_client.get("/admin/league/phase/").content.decode()
    assert "Opens at (your time zone)" in listing
    assert "(Asia/Bangkok, UTC+07:00)" in listing
    form = organizer_client.get(f"/admin/league/phase/{phase.pk}/change/").content.decode()
    assert "Enter it in your time zone: Asia/Bangkok, UTC+07:00." in form
    inline = organizer_client.get(f"/admin/league/challenge/{challenge.pk}/change/")
    assert "Enter it in your time zone: Asia/Bangkok, UTC+07:00." in inline.content.decode()
