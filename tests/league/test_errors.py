"""S6: the API answers every error as ``{"code", "message", "details"}`` (never an
HTML page, never exception text), while pages keep the site's own error pages.

tests.settings runs with DEBUG off, as production does."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

SECRET = "connection string postgres://admin:hunter2@db"


def _assert_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert body["message"]
    return body


def test_the_tests_run_with_debug_off():
    assert settings.DEBUG is False


@pytest.mark.parametrize("path", ["/api/no-such-thing/", "/api/teams/12/nothing/", "/api/"])
def test_an_unknown_api_route_answers_json_not_found(logged_in_client, path):
    _assert_api_error(logged_in_client.get(path), 404, "not_found")


def test_an_unknown_api_route_answers_json_to_anonymous_visitors_too(client):
    _assert_api_error(client.post("/api/teams/0/"), 404, "not_found")


def test_an_unknown_page_answers_the_sites_html_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "AI Super League" in response.content.decode()


def test_a_wrong_method_answers_json(logged_in_client):
    _assert_api_error(logged_in_client.delete("/api/teams/"), 405, "method_not_allowed")


def test_a_wrong_method_on_the_health_endpoint_answers_json(client):
    _assert_api_error(client.post("/api/health/"), 405, "method_not_allowed")


def test_an_unexpected_error_in_the_api_answers_json_without_its_text(
    logged_in_client, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("teams.selectors.team_list_for_user", broken)
    logged_in_client.raise_request_exception = False
    body = _assert_api_error(logged_in_client.get("/api/teams/"), 500, "server_error")
    assert "hunter2" not in str(body)
    assert body["details"] == {}


def test_an_unexpected_error_on_a_page_answers_the_sites_html_page(logged_in_client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError(SECRET)

    monkeypatch.setattr("league.selectors.season_current", broken)
    logged_in_client.raise_request_exception = False
    response = logged_in_client.get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "hunter2" not in page
    assert "AI Super League" in page
