"""Malay readers get the pages and the API errors in Bahasa Melayu."""

import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import (
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def test_home_in_malay_from_the_browser_language(client, season_of_every_track):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ms").content.decode()
    assert '<html lang="ms">' in page
    for label in ("Inovasi industri", "Cabaran kekangan kritikal", "Penemuan bakat", "Log masuk"):
        assert label in page
    assert "Talent discovery" not in page


def test_the_switcher_offers_and_switches_to_malay(client, season_of_every_track):
    assert "Bahasa Melayu" in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "ms", "next": "/"})
    assert response.status_code == 302
    assert "Penemuan bakat" in client.get("/").content.decode()


def test_an_api_error_comes_back_in_malay():
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    # The request switches this thread's language: put it back afterwards.
    with translation.override("en"):
        response = api.post(
            reverse("teams:api-team-join"), {"code": "NOPE1234"}, HTTP_ACCEPT_LANGUAGE="ms"
        )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_join_code"
    assert response.json()["message"] == (
        "Tiada pasukan dengan kod sertai “NOPE1234”. Semak dengan kapten anda."
    )
