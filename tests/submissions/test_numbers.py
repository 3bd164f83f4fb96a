"""The league in numbers: the public page, its CSV and JSON, the cache, and a
fixed number of queries whatever the size of the league."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from league.models import TrackKind
from submissions import numbers
from tests.factories import (
    ChallengeFactory,
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.delete(numbers.CACHE_KEY)
    yield
    cache.delete(numbers.CACHE_KEY)


@pytest.fixture
def league(db):
    """Three teams: China only, cross-border (CN + VN), ASEAN with a German member;
    two registrations in the talent track (healthcare), one in the bottleneck track."""
    talent = ChallengeFactory(
        track=TrackFactory(kind=TrackKind.TALENT_DISCOVERY), theme="healthcare"
    )
    bottleneck = ChallengeFactory(theme="manufacturing")
    china = TeamFactory(members=["HK"])
    bridge = TeamFactory(members=["VN"])
    mixed = TeamFactory(captain=ParticipantFactory(nationality="TH"), members=["DE"])
    registration = RegistrationFactory(team=china, challenge=talent)
    RegistrationFactory(team=bridge, challenge=talent)
    RegistrationFactory(team=mixed, challenge=bottleneck)
    phase = PhaseFactory(challenge=talent)
    SubmissionFactory.create_batch(2, registration=registration, phase=phase)


def test_the_figures_count_teams_participants_mix_tracks_and_themes(league):
    body = APIClient().get("/api/numbers/").json()
    assert body["teams"] == 3 and body["participants"] == 6
    assert body["cross_border_teams"] == 1 and body["cross_border_share"] == pytest.approx(
        1 / 3, abs=1e-3
    )
    mix = {r["code"]: r["count"] for r in body["teams_by_region_mix"]}
    assert mix == {"china_only": 1, "asean_only": 0, "cross_border": 1, "other": 1}
    assert {r["code"]: r["count"] for r in body["teams_by_region"]} == {
        "china": 2,
        "asean": 2,
        "other": 1,
    }
    by_country = {r["country"]: r["participants"] for r in body["participants_by_country"]}
    assert by_country == {"CN": 2, "HK": 1, "VN": 1, "TH": 1, "DE": 1}
    tracks = {r["track"]: (r["registrations"], r["submissions"]) for r in body["entries_by_track"]}
    assert tracks == {"talent_discovery": (2, 2), "bottleneck_challenge": (1, 0)}
    themes = {r["label"]: r["registrations"] for r in body["entries_by_theme"]}
    assert themes == {"Healthcare": 2, "Manufacturing": 1}
    assert sum(r["registrations"] for r in body["registrations_per_week"]) == 3
    assert {r["code"]: r["count"] for r in body["participant_types"]}["university"] == 6


def test_the_page_shows_tables_and_accessible_charts_in_chinese(league, client):
    response = client.get(reverse("submissions:numbers"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 200 and "跨境" in page
    assert 'href="/numbers/"' in page  # in the navigation
    svgs = page.split("<svg")[1:]
    assert len(svgs) == 5
    for chunk in svgs:
        root = ET.fromstring("<svg" + chunk[: chunk.index("</svg>") + 6])  # noqa: S314
        assert root.find("{http://www.w3.org/2000/svg}title").text
        assert root.get("role") == "img"


def test_the_csv_download_holds_the_same_figures(league, client):
    response = client.get(reverse("submissions:numbers-csv"))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["figure", "code", "label", "value"]
    values = {(r[0], r[1]): r[3] for r in rows[1:]}
    assert values[("teams", "")] == "3"
    assert values[("teams_by_region_mix", "cross_border")] == "1"
    assert values[("registrations_by_track", "talent_discovery")] == "2"
    assert values[("participants_by_country", "VN")] == "1"


def test_figures_are_cached_for_a_minute(league, django_assert_num_queries):
    first = APIClient().get("/api/numbers/").json()
    TeamFactory(members=["SG"])
    with django_assert_num_queries(0):
        again = APIClient().get("/api/numbers/").json()
    assert again["teams"] == first["teams"] == 3
    cache.delete(numbers.CACHE_KEY)
    assert APIClient().get("/api/numbers/").json()["teams"] == 4


@pytest.mark.parametrize("extra", [0, 30])
def test_queries_are_constant(league, extra, client, django_assert_num_queries):
    for _ in range(extra):
        RegistrationFactory(team=TeamFactory(members=["MY", "CN"]))
    with django_assert_num_queries(7):
        assert client.get(reverse("submissions:numbers")).status_code == 200
