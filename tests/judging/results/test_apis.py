"""The read-only results API: latest and ?version=N, ETag and 304, errors."""

import pytest
from django.urls import reverse

from judging.results import services
from submissions.models import TeamBest

pytestmark = pytest.mark.django_db


def test_list_has_every_challenge_latest_version(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    services.standings_publish(challenge=challenge, by=organizer)
    response = client.get(reverse("results:api-list"))
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert result["challenge"] == "crop-yield"
    assert result["version"] == 2 and result["same_inputs_as_previous"] is True
    assert [r["team"] for r in result["rows"]][:2] == ["ทีมแม่น้ำโขง", '=HYPERLINK("http://x")']
    assert result["rows"][0]["medal"] == "gold"
    assert result["files"]["csv"].endswith("/results/crop-yield/v2/standings.csv")
    assert any("Ties:" in line for line in result["method_summary"])


def test_detail_latest_and_by_version(client, finals, organizer):
    challenge, _phase, registrations = finals
    first = services.standings_publish(challenge=challenge, by=organizer)
    TeamBest.objects.filter(registration=registrations[2]).update(best_private_score=0.99)
    services.standings_publish(challenge=challenge, by=organizer)
    url = reverse("results:api-detail", args=[challenge.slug])
    latest = client.get(url).json()
    assert latest["version"] == 2 and latest["rows"][0]["team"] == "Lotus Lab"
    older = client.get(url, {"version": 1}).json()
    assert older["version"] == 1 and older["inputs_sha256"] == first.inputs_sha256
    assert older["files_sha256"]["xlsx"] == first.xlsx_sha256


def test_etag_answers_304_until_a_new_version(client, finals, organizer):
    challenge, _phase, _registrations = finals
    services.standings_publish(challenge=challenge, by=organizer)
    for url in (reverse("results:api-list"), reverse("results:api-detail", args=[challenge.slug])):
        first = client.get(url)
        etag = first["ETag"]
        assert etag and first["Cache-Control"].startswith("public")
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    list_etag = client.get(reverse("results:api-list"))["ETag"]
    detail_etag = client.get(reverse("results:api-detail", args=[challenge.slug]))["ETag"]
    services.standings_publish(challenge=challenge, by=organizer)
    changed = client.get(reverse("results:api-list"), HTTP_IF_NONE_MATCH=list_etag)
    assert changed.status_code == 200 and changed["ETag"] != list_etag
    detail = client.get(
        reverse("results:api-detail", args=[challenge.slug]), HTTP_IF_NONE_MATCH=detail_etag
    )
    assert detail.status_code == 200 and detail.json()["version"] == 2


def test_bad_version_and_unknown_challenge_are_clear_errors(client, finals, organizer):
    challenge, _phase, _registrations = finals
    url = reverse("results:api-detail", args=[challenge.slug])
    assert client.get(url).json()["code"] == "not_found"  # nothing published yet
    services.standings_publish(challenge=challenge, by=organizer)
    for bad in ("0", "two", "-1"):
        response = client.get(url, {"version": bad})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid" and "version" in response.json()["details"]
    assert client.get(url, {"version": 7}).status_code == 404
    missing = client.get(reverse("results:api-detail", args=["no-such-challenge"]))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_the_schema_documents_the_results_api(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    detail = schema["paths"]["/api/results/{slug}/"]["get"]
    assert {"200", "304", "400", "404"} <= set(detail["responses"])
    assert "/api/results/" in schema["paths"]
