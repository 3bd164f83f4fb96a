"""Vietnamese: a participant who picks Tiếng Việt (or whose browser asks for it)
reads the home page and the API's refusals in Vietnamese."""

import unicodedata

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import (
    ParticipantFactory,
)

pytestmark = pytest.mark.django_db


def test_home_in_vietnamese_from_the_browser(client, season_of_every_track):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi">' in page
    for label in ("Đổi mới sáng tạo công nghiệp", "Thử thách nút thắt", "Tìm kiếm tài năng"):
        assert label in page
    assert "Kết thúc" in page
    assert "Industrial innovation" not in page


def test_language_switcher_offers_and_switches_to_vietnamese(client, season_of_every_track):
    # Django names the language with combining accents; compare what a reader sees.
    switcher = unicodedata.normalize("NFC", client.get("/").content.decode())
    assert '<option value="vi">Tiếng Việt</option>' in switcher
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Tìm kiếm tài năng" in page and "Đăng nhập" in page


def test_api_refusal_is_in_vietnamese():
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    response = api.post(
        reverse("teams:api-team-join"), {"code": "nope-1234"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Không có đội nào có mã tham gia “NOPE1234”. Hãy kiểm tra lại với đội trưởng."
    )
