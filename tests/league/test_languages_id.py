"""Indonesian: a participant who picks Bahasa Indonesia (or whose browser asks
for it) reads the home page and the API's refusals in Indonesian."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from league.models import TrackKind
from tests.factories import (
    ChallengeFactory,
    ParticipantFactory,
    PhaseFactory,
    SeasonFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CLOSES = datetime(2026, 12, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in Indonesian leaves the language active in this thread; the
    tests that run next expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def season():
    season = SeasonFactory(name="AI Super League 2026")
    for order, kind in enumerate(TrackKind.values):
        track = TrackFactory(season=season, kind=kind, order=order)
        challenge = ChallengeFactory(track=track, title=f"Challenge of {kind}")
        PhaseFactory(challenge=challenge, name="Final", closes_at=CLOSES)
    return season


def test_home_in_indonesian_from_the_browser(client, season):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in page
    for label in ("Inovasi industri", "Tantangan hambatan industri", "Penemuan talenta"):
        assert label in page
    assert "Ditutup" in page and "Masuk" in page
    assert "Industrial innovation" not in page
    assert "Log in" not in page


def test_language_switcher_offers_and_switches_to_indonesian(client, season):
    switcher = client.get("/").content.decode()
    assert '<option value="id">Bahasa Indonesia</option>' in switcher
    response = client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Penemuan talenta" in page and "Daftar" in page


def test_api_refusal_is_in_indonesian():
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    response = api.post(
        reverse("teams:api-team-join"), {"code": "nope-1234"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Tidak ada tim dengan kode bergabung “NOPE1234”. Periksa kembali dengan kapten Anda."
    )


def test_api_error_of_an_unknown_country_is_in_indonesian():
    api = APIClient()
    api.force_authenticate(UserFactory())
    response = api.put(
        reverse("teams:api-profile-update"),
        {
            "display_name": "Siti",
            "nationality": "ZZ",
            "residence": "ID",
            "participant_type": "researcher",
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_country"
    assert response.json()["message"] == (
        "“ZZ” bukan kode negara yang dikenal (gunakan kode ISO seperti CN atau TH)."
    )
