"""The public leaderboard: filters that keep the overall rank, pages, the
viewer's own row, region mix badges, the score chart, bad filters, and
constant query counts at 10 and 1,000 teams."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from league.models import ParticipantType, User
from submissions import services
from submissions.models import SubmissionStatus, TeamBest
from teams.models import Membership, Profile, Registration, RegistrationStatus, Team
from tests.factories import (
    ParticipantFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamBestFactory,
    TeamFactory,
    predictions_csv,
)
from tests.submissions.conftest import csv_upload

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def board_url(arena, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/api/phases/{arena.phase.pk}/leaderboard/" + (f"?{query}" if query else "")


def team_with(arena, name: str, nationalities: list[str], score: float, minutes: int = 0):
    team = TeamFactory(
        name=name,
        captain=ParticipantFactory(nationality=nationalities[0]),
        members=nationalities[1:],
    )
    registration = RegistrationFactory(team=team, challenge=arena.phase.challenge)
    return TeamBestFactory(
        registration=registration,
        phase=arena.phase,
        best_public_score=score,
        best_submitted_at=timezone.now() - timedelta(days=1) + timedelta(minutes=minutes),
    )


@pytest.fixture
def mixed(arena):
    """Four teams of different region mixes (accuracy: higher ranks first)."""
    team_with(arena, "Great Wall", ["CN", "HK"], 0.9)
    team_with(arena, "Bridge Builders", ["TH", "CN"], 0.8)
    team_with(arena, "Mekong Minds", ["VN", "LA"], 0.7)
    team_with(arena, "Pacific Crew", ["CN", "US"], 0.6)
    return arena


def test_filters_keep_the_overall_rank(mixed):
    def ranks(**params):
        rows = APIClient().get(board_url(mixed, **params)).json()["rows"]
        return [(r["rank"], r["team"]) for r in rows]

    assert ranks() == [
        (1, "Great Wall"),
        (2, "Bridge Builders"),
        (3, "Mekong Minds"),
        (4, "Pacific Crew"),
    ]
    assert ranks(region="china") == [(1, "Great Wall")]  # Pacific Crew has a US member
    assert ranks(region="asean") == [(3, "Mekong Minds")]
    assert ranks(region="cross_border") == [(2, "Bridge Builders")]
    assert ranks(country="US") == [(4, "Pacific Crew")]
    assert ranks(country="cn", q="CREW") == [(4, "Pacific Crew")]
    assert ranks(q="bridge") == [(2, "Bridge Builders")]
    assert ranks(q="%") == []  # a wildcard is searched for literally


def test_rows_show_the_region_mix_and_the_cross_border_badge(mixed):
    body = APIClient().get(board_url(mixed)).json()
    by_team = {r["team"]: r for r in body["rows"]}
    assert by_team["Bridge Builders"]["region_groups"] == [["CN"], ["TH"]]
    assert by_team["Bridge Builders"]["cross_border"] is True
    assert by_team["Pacific Crew"]["region_groups"] == [["CN"], ["US"]]
    assert by_team["Great Wall"]["cross_border"] is False
    assert body["region_basis"] == "nationality" and body["matched"] == 4


def test_page_shows_badges_and_says_filters_do_not_rerank(mixed, client):
    response = client.get(
        reverse("submissions:leaderboard", args=[mixed.phase.pk]) + "?region=cross_border"
    )
    page = response.content.decode()
    assert "Bridge Builders" in page and "Great Wall" not in page
    assert "ranks stay the overall ranks" in page
    assert '<span class="badge">CN</span> + <span class="badge">TH</span>' in page
    assert 'class="badge cross-border"' in page


@pytest.mark.parametrize(
    "params, words",
    [
        ({"region": "mars"}, "Unknown region filter"),
        ({"country": "china"}, "two-letter code"),
        ({"page": "0"}, "whole number"),
        ({"q": "x" * 81}, "at most 80"),
    ],
)
def test_a_bad_filter_is_refused_with_a_clear_message(mixed, client, params, words):
    response = APIClient().get(board_url(mixed, **params))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and words in response.json()["message"]
    page = client.get(reverse("submissions:leaderboard", args=[mixed.phase.pk]), params)
    assert page.status_code == 400 and words in page.content.decode()
    assert "Great Wall" in page.content.decode()  # the board without the bad filter


def test_pages_and_the_own_row_outside_them(arena):
    for i in range(60):
        team_with(arena, f"Squad {i:02d}", ["SG"], 1.0 - i / 100, minutes=i)
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.0)
    client = APIClient()
    client.force_authenticate(arena.member)
    first = client.get(board_url(arena)).json()
    assert len(first["rows"]) == 50 and first["pages"] == 2 and first["matched"] == 61
    assert first["own_row"]["rank"] == 61 and first["own_row"]["is_own"]
    second = client.get(board_url(arena, page=2)).json()
    assert [r["rank"] for r in second["rows"]] == list(range(51, 62))
    assert second["rows"][-1]["is_own"] and second["own_row"] is None
    # Filtered out, the viewer's own row is still shown, with its overall rank.
    filtered = client.get(board_url(arena, q="Squad 0")).json()
    assert [r["rank"] for r in filtered["rows"]] == list(range(1, 11))
    assert filtered["own_row"]["rank"] == 61


def _bulk_board(arena, teams: int) -> None:
    """``teams`` teams of three members (CN, TH, other), bulk-inserted."""
    stamp = f"{arena.phase.pk}-{teams}"
    users = User.objects.bulk_create(
        [
            User(username=f"u{stamp}-{i}", email=f"u{stamp}-{i}@example.org")
            for i in range(teams * 3)
        ]
    )
    nationality = ("CN", "TH", "DE")
    Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                display_name=u.username,
                nationality=nationality[i % 3],
                residence=nationality[i % 3],
                participant_type=ParticipantType.UNIVERSITY,
            )
            for i, u in enumerate(users)
        ]
    )
    made = Team.objects.bulk_create(
        [
            Team(name=f"Bulk {stamp} {i}", captain=users[i * 3], join_code=f"B{stamp}-{i}")
            for i in range(teams)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(team=t, user=users[i * 3 + k]) for i, t in enumerate(made) for k in range(3)]
    )
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                team=t, challenge=arena.phase.challenge, status=RegistrationStatus.VERIFIED
            )
            for t in made
        ]
    )
    now = timezone.now()
    TeamBest.objects.bulk_create(
        [
            TeamBest(
                registration=r,
                phase=arena.phase,
                best_public_score=(i % 97) / 97,
                best_submitted_at=now - timedelta(seconds=i),
                last_submitted_at=now,
                scored_count=1,
            )
            for i, r in enumerate(registrations)
        ]
    )


@pytest.mark.parametrize("teams", [10, 1000])
def test_query_counts_stay_constant_with_filters_and_search(
    arena, teams, client, django_assert_num_queries
):
    _bulk_board(arena, teams)
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.0)
    token, _ = Token.objects.get_or_create(user=arena.member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    # The phase is read once, then remembered by the process (every board reads it).
    with django_assert_num_queries(4):  # token, phase, ranked page + own row, names
        body = api.get(board_url(arena, region="cross_border", q="Bulk", country="TH")).json()
    assert len(body["rows"]) == min(teams, 50) and body["own_row"]["is_own"]
    client.force_login(arena.member)
    url = reverse("submissions:leaderboard", args=[arena.phase.pk])
    with django_assert_num_queries(5):  # session, user, ranked, names, chart
        response = client.get(url, {"region": "cross_border", "q": "bulk", "page": 2})
    assert response.status_code == 200


def test_the_chart_draws_the_best_score_over_time_of_the_top_ten(arena, client):
    bests = [team_with(arena, f"Team {i}", ["MY"], 0.5 + i / 100) for i in range(12)]
    start = timezone.now() - timedelta(days=3)
    for i, best in enumerate(bests):
        for day, score in enumerate([0.3, 0.2, 0.5 + i / 100]):  # the dip is no new best
            SubmissionFactory(
                registration=best.registration,
                phase=arena.phase,
                status=SubmissionStatus.SCORED,
                public_score=score,
                created_at=start + timedelta(days=day, minutes=i),
            )
    page = client.get(reverse("submissions:leaderboard", args=[arena.phase.pk])).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)  # noqa: S314  (the site's own output)
    assert "top 10" in root.find(f"{SVG}title").text
    lines = root.findall(f"{SVG}path")
    assert len(lines) == 10  # the two lowest teams are left out
    assert lines[0].find(f"{SVG}title").text == "Team 11: 0.61"
    assert lines[0].get("d").count("V") == 1  # 0.3 then 0.61: one step up


def test_a_cached_page_still_marks_each_viewers_own_row(arena, django_assert_num_queries):
    for i in range(60):
        team_with(arena, f"Squad {i:02d}", ["SG"], 1.0 - i / 100, minutes=i)
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.0)
    assert APIClient().get(board_url(arena)).json()["own_row"] is None  # fills the cache
    token, _ = Token.objects.get_or_create(user=arena.member)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    with django_assert_num_queries(3):  # token, own rank, own names (the phase is remembered)
        body = api.get(board_url(arena)).json()
    assert body["own_row"]["rank"] == 61 and body["own_row"]["team"] == arena.registration.team.name
    assert not any(r["is_own"] for r in body["rows"])
    with django_assert_num_queries(1):  # the token: the own row is cached too
        assert api.get(board_url(arena)).json()["own_row"] == body["own_row"]
    leader = TeamBest.objects.order_by("-best_public_score").first().registration.team.captain
    client = APIClient()
    client.force_authenticate(leader)
    mine = client.get(board_url(arena)).json()
    assert mine["rows"][0]["is_own"] and mine["own_row"] is None


def test_a_new_score_shows_at_once_despite_the_cache(arena):
    team_with(arena, "Early Bird", ["TH"], 0.5)
    assert [r["team"] for r in APIClient().get(board_url(arena)).json()["rows"]] == ["Early Bird"]
    submission = services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload(predictions_csv(correct=20))
    )
    services.submission_evaluate(submission_id=submission.pk)
    rows = APIClient().get(board_url(arena)).json()["rows"]
    assert [r["team"] for r in rows] == [arena.registration.team.name, "Early Bird"]


def _row_of(html: str, team: str) -> str:
    return re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{team}.*?</tr>", html, re.S).group(0)


def test_the_rows_every_viewer_shares_still_follow_each_viewer(arena, client):
    """The page's shared rows (and chart) are rendered once per language and
    zone: the next viewer still reads them in their own language and zone,
    and only the viewer's own team is marked as theirs."""
    team_with(arena, "Great Wall", ["CN"], 0.9)
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.5)
    own_team = arena.registration.team.name
    url = reverse("submissions:leaderboard", args=[arena.phase.pk])

    client.cookies["league_tz"] = "Asia/Shanghai"
    first = client.get(url).content.decode()
    assert 'data-label="Rank"' in _row_of(first, "Great Wall")
    assert "Asia/Shanghai" in _row_of(first, "Great Wall")
    assert 'class="own"' not in first

    in_chinese = Client()
    in_chinese.cookies["league_tz"] = "Asia/Shanghai"
    theirs = in_chinese.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-label="排名"' in _row_of(theirs, "Great Wall")
    assert "最佳公开得分" in theirs  # the chart's axis, cached per language too
    in_bangkok = Client()
    in_bangkok.cookies["league_tz"] = "Asia/Bangkok"
    theirs = in_bangkok.get(url).content.decode()
    assert "Asia/Bangkok" in _row_of(theirs, "Great Wall")

    member = Client()
    member.force_login(arena.member)
    mine = member.get(url).content.decode()
    assert 'class="own"' in _row_of(mine, own_team) and "Your team" in _row_of(mine, own_team)

    again = client.get(url).content.decode()
    assert again.count("<tr") == first.count("<tr")
    assert 'class="own"' not in again and "Asia/Shanghai" in _row_of(again, "Great Wall")


def test_the_api_s_shared_rows_keep_each_reader_s_zone_and_own_row(arena):
    team_with(arena, "Great Wall", ["CN"], 0.9)
    TeamBestFactory(
        registration=arena.registration,
        phase=arena.phase,
        best_public_score=0.5,
        last_submitted_at=timezone.now(),
    )
    shanghai, bangkok = APIClient(), APIClient()
    shanghai.cookies["league_tz"] = "Asia/Shanghai"
    bangkok.cookies["league_tz"] = "Asia/Bangkok"
    first = shanghai.get(board_url(arena)).json()["rows"]
    second = bangkok.get(board_url(arena)).json()["rows"]
    assert first[1]["last_submitted_at"].endswith("+08:00")
    assert second[1]["last_submitted_at"].endswith("+07:00")
    member = APIClient()
    member.force_authenticate(arena.member)
    mine = member.get(board_url(arena)).json()["rows"]
    assert [r["is_own"] for r in mine] == [False, True]
    assert not any(r["is_own"] for r in shanghai.get(board_url(arena)).json()["rows"])
