"""API authentication: a personal token or the browser's session; a request
without valid credentials answers 401 with ``WWW-Authenticate: Token``, and
wrong tokens from one address are throttled."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from league.throttles import parse_rate
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

URL = "/api/teams/"


def test_no_credentials_answers_401_with_www_authenticate_token():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"code", "message", "details"}


def test_a_bad_token_answers_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "authentication_failed"


def test_a_good_token_and_a_session_both_work_and_the_session_keeps_csrf():
    user = ParticipantFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert client.get(URL).status_code == 200
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(URL).status_code == 200
    forged = browser.post(reverse("teams:api-team-create"), {"name": "Forged"})
    assert forged.status_code == 403
    assert "CSRF" in forged.json()["message"]


def test_wrong_tokens_from_one_address_are_throttled_then_even_a_right_one():
    allowed, _ = parse_rate(settings.THROTTLE_RATES["token_failure"])
    guesser = APIClient(REMOTE_ADDR="203.0.113.7")
    for attempt in range(allowed):
        guesser.credentials(HTTP_AUTHORIZATION=f"Token guess{attempt}")
        assert guesser.get(URL).status_code == 401
    right = Token.objects.create(user=ParticipantFactory()).key
    guesser.credentials(HTTP_AUTHORIZATION=f"Token {right}")
    refused = guesser.get(URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    body = refused.json()
    assert body["code"] == "throttled"
    assert "Try again in" in body["message"]
    assert set(body) == {"code", "message", "details"}
    elsewhere = APIClient(REMOTE_ADDR="198.51.100.9")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {right}")
    assert elsewhere.get(URL).status_code == 200


def test_right_tokens_are_never_counted():
    allowed, _ = parse_rate(settings.THROTTLE_RATES["token_failure"])
    client = APIClient(REMOTE_ADDR="203.0.113.8")
    token = Token.objects.create(user=ParticipantFactory())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _ in range(allowed + 5):
        assert client.get(URL).status_code == 200
