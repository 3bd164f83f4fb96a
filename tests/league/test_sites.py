"""E-mails name the site, not the host a request came in on."""

import pytest
from django.core import mail
from django.urls import reverse

from league.sites import current_site, site_domain
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_site_domain_is_the_host_and_port_of_the_address():
    assert site_domain("http://127.0.0.1:8000") == "127.0.0.1:8000"
    assert site_domain("https://league.example.org/") == "league.example.org"


def test_the_site_follows_the_settings(settings):
    settings.SITE_URL = "https://league.example.org"
    settings.SITE_NAME = "China–ASEAN AI League"
    site = current_site()
    assert (site.domain, site.name) == ("league.example.org", "China–ASEAN AI League")


def test_the_sign_up_mail_names_the_site_not_the_host(client, settings):
    settings.SITE_NAME = "China–ASEAN AI League"
    client.post(
        reverse("account_signup"),
        {"email": "somchai@example.co.th", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_HOST="127.0.0.1",
    )
    body = mail.outbox[0].body
    assert "China–ASEAN AI League" in body
    assert "from 127.0.0.1" not in body
