"""Vietnamese, Thai, Indonesian and Malay: a participant who picks the
language (or whose browser asks for it) reads the home page and the API's
refusals in it."""

import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import ParticipantFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# language: (its name in the switcher, what the home page shows when the
# browser asks for it, what the home page shows once chosen in the switcher,
# the API's refusal of the join code "nope-1234")
LANGUAGES = {
    "vi": (
        "Tiếng Việt",
        ("Đổi mới sáng tạo công nghiệp", "Thử thách nút thắt", "Tìm kiếm tài năng", "Kết thúc"),
        ("Tìm kiếm tài năng", "Đăng nhập"),
        "Không có đội nào có mã tham gia “NOPE1234”. Hãy kiểm tra lại với đội trưởng.",
    ),
    "th": (
        "ภาษาไทย",
        ("นวัตกรรมอุตสาหกรรม", "โจทย์คอขวด", "ค้นหาดาวรุ่ง", "<th>ปิด</th>", "เข้าสู่ระบบ"),
        ("ค้นหาดาวรุ่ง", "สมัครสมาชิก"),
        "ไม่มีทีมที่ใช้รหัสเข้าร่วม “NOPE1234” โปรดตรวจสอบกับหัวหน้าทีม",
    ),
    "id": (
        "Bahasa Indonesia",
        ("Inovasi industri", "Tantangan hambatan industri", "Penemuan talenta", "Ditutup", "Masuk"),
        ("Penemuan talenta", "Daftar"),
        "Tidak ada tim dengan kode bergabung “NOPE1234”. Periksa kembali dengan kapten Anda.",
    ),
    "ms": (
        "Bahasa Melayu",
        ("Inovasi industri", "Cabaran kekangan kritikal", "Penemuan bakat", "Log masuk"),
        ("Penemuan bakat",),
        "Tiada pasukan dengan kod sertai “NOPE1234”. Semak dengan kapten anda.",
    ),
}
ENGLISH = ("Industrial innovation", "Bottleneck challenge", "Talent discovery", "Log in")


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_in_the_language_the_browser_asks_for(client, season_of_every_track, language):
    shown = LANGUAGES[language][1]
    for accept in (language, f"{language},en;q=0.5"):
        page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        assert f'<html lang="{language}">' in page, accept
        for text in shown:
            assert text in page, accept
        for text in ENGLISH:
            assert text not in page, accept


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_offers_the_language_and_the_choice_sticks(
    client, season_of_every_track, language
):
    name, _, shown, _ = LANGUAGES[language]
    # Django names some languages with combining accents; compare what a reader sees.
    switcher = unicodedata.normalize("NFC", client.get("/").content.decode())
    assert f'<option value="{language}">{name}</option>' in switcher
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in shown:
        assert text in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_refuses_an_unknown_join_code_in_the_language(language):
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    response = api.post(
        reverse("teams:api-team-join"), {"code": "nope-1234"}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_join_code"
    assert response.json()["message"] == LANGUAGES[language][3]


def test_api_refuses_a_taken_team_name_in_thai():
    TeamFactory(name="Mekong Bridge AI")
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    response = api.post(
        reverse("teams:api-team-create"), {"name": "Mekong Bridge AI"}, HTTP_ACCEPT_LANGUAGE="th"
    )
    assert response.status_code == 409
    assert response.json()["message"] == "ชื่อ “Mekong Bridge AI” ถูกใช้แล้ว โปรดเลือกชื่ออื่น"


def test_api_refuses_an_unknown_country_in_indonesian():
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
