"""Each ASEAN language the site offers: a participant who picks it (or whose
browser asks for it) reads the home page and the API's refusals in it, and
the choice sticks. One row per language; a string that regresses fails its row."""

import unicodedata
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import ParticipantFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# What a page left in English would show.
ENGLISH = ("Industrial innovation", "Talent discovery", "Log in")


@dataclass(frozen=True)
class Reader:
    language: str
    switcher_option: str  # the language's own name in the switcher
    home: tuple[str, ...]  # the three tracks' names, and words of the page
    after_switch: tuple[str, ...]
    refusal: tuple[str, dict, int, str]  # API route, body, status, message


JOIN_NOPE = ("teams:api-team-join", {"code": "nope-1234"}, 400)
READERS = [
    Reader(
        "id",
        '<option value="id">Bahasa Indonesia</option>',
        ("Inovasi industri", "Tantangan hambatan industri", "Penemuan talenta", "Ditutup", "Masuk"),
        ("Penemuan talenta", "Daftar"),
        (
            *JOIN_NOPE,
            "Tidak ada tim dengan kode bergabung “NOPE1234”. Periksa kembali dengan kapten Anda.",
        ),
    ),
    Reader(
        "ms",
        '<option value="ms">Bahasa Melayu</option>',
        ("Inovasi industri", "Cabaran kekangan kritikal", "Penemuan bakat", "Log masuk"),
        ("Penemuan bakat",),
        (*JOIN_NOPE, "Tiada pasukan dengan kod sertai “NOPE1234”. Semak dengan kapten anda."),
    ),
    Reader(
        "th",
        '<option value="th">ภาษาไทย</option>',
        ("นวัตกรรมอุตสาหกรรม", "โจทย์คอขวด", "ค้นหาดาวรุ่ง", "<th>ปิด</th>", "เข้าสู่ระบบ"),
        ("ค้นหาดาวรุ่ง", "สมัครสมาชิก"),
        (
            "teams:api-team-create",
            {"name": "Mekong Bridge AI"},
            409,
            "ชื่อ “Mekong Bridge AI” ถูกใช้แล้ว โปรดเลือกชื่ออื่น",
        ),
    ),
    Reader(
        "vi",
        '<option value="vi">Tiếng Việt</option>',
        ("Đổi mới sáng tạo công nghiệp", "Thử thách nút thắt", "Tìm kiếm tài năng", "Kết thúc"),
        ("Tìm kiếm tài năng", "Đăng nhập"),
        (
            *JOIN_NOPE,
            "Không có đội nào có mã tham gia “NOPE1234”. Hãy kiểm tra lại với đội trưởng.",
        ),
    ),
]
BY_LANGUAGE = pytest.mark.parametrize("reader", READERS, ids=lambda r: r.language)


def read(response) -> str:
    # Django names some languages with combining accents; compare what a reader sees.
    return unicodedata.normalize("NFC", response.content.decode())


@BY_LANGUAGE
def test_the_home_page_is_in_the_browsers_language(client, season_of_every_track, reader):
    page = read(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=f"{reader.language},en;q=0.5"))
    assert f'<html lang="{reader.language}">' in page
    for text in reader.home:
        assert text in page
    for text in ENGLISH:
        assert text not in page


@BY_LANGUAGE
def test_the_switcher_offers_the_language_and_the_choice_sticks(
    client, season_of_every_track, reader
):
    assert reader.switcher_option in read(client.get("/"))
    response = client.post(reverse("set_language"), {"language": reader.language, "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == reader.language
    page = read(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    for text in reader.after_switch:
        assert text in page


@BY_LANGUAGE
def test_an_api_refusal_is_in_the_language(reader):
    TeamFactory(name="Mekong Bridge AI")
    route, body, status, message = reader.refusal
    api = APIClient()
    api.force_authenticate(ParticipantFactory())
    # The request switches this thread's language: put it back afterwards.
    with translation.override("en"):
        response = api.post(reverse(route), body, HTTP_ACCEPT_LANGUAGE=reader.language)
    assert response.status_code == status
    assert response.json()["message"] == message


def test_an_unknown_country_is_named_in_indonesian():
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
