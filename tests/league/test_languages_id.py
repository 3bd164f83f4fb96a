"""Indonesian: a participant who picks Bahasa Indonesia (or whose browser asks
for it) reads the home page and the API's refusals in Indonesian."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    ParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_in_indonesian_from_the_browser(client, season_of_every_track):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert '<html lang="id">' in page
    for label in ("Inovasi industri", "Tantangan hambatan industri", "Penemuan talenta"):
        assert label in page
    assert "Ditutup" in page and "Masuk" in page
    assert "Industrial innovation" not in page
    assert "Log in" not in page


def test_language_switcher_offers_and_switches_to_indonesian(client, season_of_every_track):
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
