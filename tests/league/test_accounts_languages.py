"""allauth's sign-in pages read in each offered language: no sentence,
label or button left as it reads in English (allauth ships no Vietnamese or
Malay catalogue; locale_overrides/ holds ours)."""

import html
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Words a page may show the same in English and in the visitor's language.
SAME_IN_BOTH = {"Email", "Email:", "API", "AI Super League", "UTC", "·", ".", ":"}
PAGES = {
    "sign up": ("account_signup", None),
    "log in": ("account_login", None),
    "password reset": ("account_reset_password", None),
    "refused sign-up": (
        "account_signup",
        {"email": "lan@example.vn", "password1": "abc", "password2": "abc"},
    ),
    "wrong password": ("account_login", {"login": "lan@example.vn", "password": "x"}),
}


def _segments(client, name: str, data, language: str) -> set[str]:
    url = reverse(name)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    response = client.post(url, data, **headers) if data else client.get(url, **headers)
    assert response.status_code == 200, url
    page = response.content.decode()
    main = page[page.index("<main>") : page.index("</main>")]
    main = re.sub(r'<input[^>]*type="hidden"[^>]*>', " ", main)
    main = re.sub(r'(?:placeholder|aria-label|title)="([^"]*)"', r">\1<", main)
    texts = (html.unescape(" ".join(t.split())) for t in re.findall(r">([^<]+)<", main))
    return {t for t in texts if re.search(r"[A-Za-z]{2,}", t)}


@pytest.mark.parametrize("language", ["vi", "th", "id", "ms"])
@pytest.mark.parametrize("page", PAGES)
def test_allauth_pages_leave_no_english_behind(client, language, page):
    name, data = PAGES[page]
    english = _segments(client, name, data, "en")
    shown = _segments(client, name, data, language)
    assert english - SAME_IN_BOTH, "the page shows English text to compare"
    left_in_english = sorted((shown & english) - SAME_IN_BOTH)
    assert not left_in_english, f"{language} {page}: {left_in_english}"
