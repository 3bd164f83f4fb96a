"""Thai: a participant who picks ไทย (or whose browser asks for Thai) reads the
home page and the API's refusals in Thai."""

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    ParticipantFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

TRACK_NAMES_TH = ("นวัตกรรมอุตสาหกรรม", "โจทย์คอขวด", "ค้นหาดาวรุ่ง")


def test_home_page_in_thai_when_the_browser_asks(client, season_of_every_track):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="th,en;q=0.5").content.decode()
    assert '<html lang="th">' in page
    for name in TRACK_NAMES_TH:
        assert name in page
    assert "<th>ปิด</th>" in page and "เข้าสู่ระบบ" in page
    assert "Industrial innovation" not in page and "Log in" not in page


def test_switcher_offers_thai_and_the_choice_sticks(client, season_of_every_track):
    # The switcher shows Django's own native name of the language.
    assert '<option value="th">ภาษาไทย</option>' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "th", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "th"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "ค้นหาดาวรุ่ง" in page and "สมัครสมาชิก" in page


def test_api_refusal_comes_back_in_thai():
    TeamFactory(name="Mekong Bridge AI")
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    response = api.post(
        reverse("teams:api-team-create"), {"name": "Mekong Bridge AI"}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response.status_code == 409
    assert response.json()["message"] == "ชื่อ “Mekong Bridge AI” ถูกใช้แล้ว โปรดเลือกชื่ออื่น"
