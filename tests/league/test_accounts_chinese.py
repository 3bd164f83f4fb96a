"""allauth's pages and mails read as Chinese to a Chinese visitor: no English
label, button, error or greeting left (locale_overrides/ rewords allauth's
"Email地址", "Hello!" and what its catalogue lacks)."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from teams.models import RegistrationStatus
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}
# What may stay in Latin letters: names, addresses and links, not words.
NAMES = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|AI Super League|[\w.-]+:\d+")


def _visible_text(page: str) -> str:
    """The text of <main> a visitor sees, placeholders included."""
    main = page[page.index("<main>") : page.index("</main>")]
    main = re.sub(r'<input[^>]*type="hidden"[^>]*>', " ", main)
    main = re.sub(r'(?:placeholder|aria-label|title)="([^"]*)"', r">\1<", main)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def _english_words(text: str, *names: str) -> list[str]:
    text = NAMES.sub(" ", text)
    for name in names:
        text = text.replace(name, " ")
    return re.findall(r"[A-Za-z]{2,}", text)


def _page(client, url: str, data: dict | None = None) -> str:
    response = client.post(url, data, **CHINESE) if data else client.get(url, **CHINESE)
    assert response.status_code == 200, url
    return _visible_text(response.content.decode())


def test_sign_up_and_log_in_pages_are_all_chinese(client):
    signup = _page(client, reverse("account_signup"))
    login = _page(client, reverse("account_login"))
    reset = _page(client, reverse("account_reset_password"))
    refused = _page(
        client,
        reverse("account_signup"),
        {"email": "wei@example.cn", "password1": "abc", "password2": "abc"},
    )
    wrong = _page(client, reverse("account_login"), {"login": "x@example.cn", "password": "x"})

    assert "已有账号？请直接" in signup and "电子邮件地址" in signup
    assert "还没有账号？请先" in login and "忘记密码？" in login
    assert "密码太短，至少需要 8 个字符。" in refused
    assert "不正确" in wrong
    for page in (signup, login, reset, refused, wrong):
        assert not _english_words(page), page


def test_verification_mail_and_e_mail_page_are_all_chinese(client):
    client.post(
        reverse("account_signup"),
        {"email": "wei@example.cn", "password1": PASSWORD, "password2": PASSWORD},
        **CHINESE,
    )
    (message,) = mail.outbox
    assert message.subject == "[AI Super League] 请确认您的电子邮件地址"
    assert message.body.startswith("您好！这里是AI Super League。")
    assert not _english_words(message.body, "wei"), message.body

    confirm = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    assert not _english_words(_page(client, confirm), "wei")
    client.post(confirm, **CHINESE)
    addresses = _page(client, reverse("account_email"))
    assert "已验证" in addresses and "主地址" in addresses
    assert not _english_words(addresses, "wei"), addresses


def test_password_reset_mail_is_all_chinese(client):
    user = UserFactory(email="mei@example.cn")
    client.post(reverse("account_reset_password"), {"email": user.email}, **CHINESE)
    (message,) = mail.outbox
    assert message.subject == "[AI Super League] 密码重置邮件"
    assert not _english_words(message.body), message.body


def test_a_verified_registration_still_reads_as_reviewed():
    """allauth's "Verified" e-mail address and the organizers' verified
    registration are two words in Chinese."""
    with translation.override("zh-hans"):
        assert str(RegistrationStatus.VERIFIED.label) == "已审核"
