"""The API: token auth, upload, list, detail, download, final selection,
leaderboard (with pinned query counts) and the 404 matrix for outsiders."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from league.models import LeaderboardVisibility
from submissions import services
from submissions.apis import PhaseSubmissionsApi
from submissions.models import Submission, TeamBest
from submissions.storage import private_storage
from tests.factories import (
    RegistrationFactory,
    SubmissionFactory,
    TeamBestFactory,
    UserFactory,
    predictions_csv,
)
from tests.submissions.conftest import csv_upload, make_team

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_upload_with_a_token_then_list_and_detail(arena):
    client = token_client(arena.member)
    response = client.post(
        f"/api/phases/{arena.phase.pk}/submissions/",
        {"file": csv_upload(), "description": "first try"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["description"] == "first try"
    listing = client.get(f"/api/phases/{arena.phase.pk}/submissions/").json()
    assert [s["id"] for s in listing["results"]] == [body["id"]]
    assert listing["quota"]["remaining_today"] == 2
    assert listing["quota"]["resets_at"]
    detail = client.get(f"/api/submissions/{body['id']}/").json()
    assert detail["sha256"] == body["sha256"]


def test_refused_upload_answers_422_with_every_reason(arena):
    client = token_client(arena.member)
    response = client.post(
        f"/api/phases/{arena.phase.pk}/submissions/",
        {"file": csv_upload(b"<html><body>oops</body></html>", name="p.txt")},
        format="multipart",
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert [v["code"] for v in body["details"]["violations"]] == ["wrong_extension"]
    assert not Submission.objects.exists()


def test_refusal_is_in_the_users_language(arena):
    client = token_client(arena.member)
    response = client.post(
        f"/api/phases/{arena.phase.pk}/submissions/",
        {"file": csv_upload(b"")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    assert response.json()["message"] == "文件为空。" or response.json()["code"] == "empty_file"


def test_anonymous_gets_401_or_403():
    response = APIClient().get("/api/phases/1/submissions/")
    assert response.status_code in (401, 403)


def test_download_is_an_attachment_with_nosniff(arena):
    submission = SubmissionFactory(
        registration=arena.registration, phase=arena.phase, content=b"id,prediction\nr0,a\n"
    )
    response = token_client(arena.member).get(f"/api/submissions/{submission.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"id,prediction\nr0,a\n"


def _object_routes(submission_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/api/submissions/{submission_id}/"),
        ("get", f"/api/submissions/{submission_id}/file/"),
        ("post", f"/api/submissions/{submission_id}/final/"),
        ("get", reverse("submissions:detail", args=[submission_id])),
        ("get", reverse("submissions:download", args=[submission_id])),
        ("post", reverse("submissions:final", args=[submission_id])),
    ]


@pytest.mark.parametrize("who", ["other_team", "registered_elsewhere", "no_team"])
def test_outsiders_get_404_on_every_object_route(arena, who, client):
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    if who == "other_team":
        _, [outsider] = make_team(challenge=arena.phase.challenge)
    elif who == "registered_elsewhere":
        _, [outsider] = make_team(challenge=RegistrationFactory().challenge)
    else:
        outsider = UserFactory()
    api = token_client(outsider)
    client.force_login(outsider)
    for method, url in _object_routes(submission.pk):
        caller = api if url.startswith("/api/") else client
        response = getattr(caller, method)(url, {"is_final": True})
        assert response.status_code == 404, (method, url, response.status_code)
    listing = api.get(f"/api/phases/{arena.phase.pk}/submissions/")
    if who == "other_team":
        assert listing.json()["results"] == []
    else:
        assert listing.status_code == 404


def test_anonymous_is_sent_to_log_in_on_pages(arena, client):
    submission = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    for method, url in _object_routes(submission.pk):
        if url.startswith("/api/"):
            continue
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_final_selection_through_the_api(arena):
    submission = SubmissionFactory(
        registration=arena.registration, phase=arena.phase, status="scored", public_score=0.5
    )
    client = token_client(arena.member)
    response = client.post(f"/api/submissions/{submission.pk}/final/", {"is_final": True})
    assert response.status_code == 200 and response.json()["is_final"] is True
    queued = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    response = client.post(f"/api/submissions/{queued.pk}/final/", {"is_final": True})
    assert response.status_code == 422
    assert response.json()["code"] == "not_scored"


def test_private_score_hidden_until_the_reveal(arena):
    submission = SubmissionFactory(
        registration=arena.registration,
        phase=arena.phase,
        status="scored",
        public_score=0.5,
        private_score=0.7,
    )
    client = token_client(arena.member)
    assert client.get(f"/api/submissions/{submission.pk}/").json()["private_score"] is None
    arena.phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    arena.phase.save()
    assert client.get(f"/api/submissions/{submission.pk}/").json()["private_score"] == 0.7


def _board(phase, teams: int, *, scores=None):
    bests = []
    base = timezone.now() - timedelta(days=1)
    for i in range(teams):
        registration, _ = make_team(challenge=phase.challenge)
        score = scores[i] if scores else (i % 37) / 37
        bests.append(
            TeamBestFactory(
                registration=registration,
                phase=phase,
                best_public_score=score,
                best_submitted_at=base + timedelta(minutes=i),
            )
        )
    return bests


def test_leaderboard_ranks_ties_with_standard_competition_ranking(arena):
    bests = _board(arena.phase, 4, scores=[0.9, 0.8, 0.9, 0.7])
    rows = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()["rows"]
    assert [(r["rank"], r["team"]) for r in rows] == [
        (1, bests[0].registration.team.name),  # 0.9, earlier
        (1, bests[2].registration.team.name),  # 0.9, later
        (3, bests[1].registration.team.name),
        (4, bests[3].registration.team.name),
    ]


def test_leaderboard_lower_is_better(arena):
    arena.phase.challenge.metric = "rmse"
    arena.phase.challenge.save()
    bests = _board(arena.phase, 3, scores=[0.9, 0.1, 0.5])
    rows = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()["rows"]
    assert [r["team"] for r in rows] == [bests[i].registration.team.name for i in (1, 2, 0)]


@pytest.mark.parametrize("teams", [10, 60])
def test_leaderboard_queries_are_constant_and_own_row_shown(
    arena, teams, django_assert_max_num_queries
):
    _board(arena.phase, teams, scores=[1.0 - i / 100 for i in range(teams)])
    TeamBestFactory(
        registration=arena.registration, phase=arena.phase, best_public_score=0.0
    )  # the viewer's team is last
    client = token_client(arena.member)
    with django_assert_max_num_queries(4):  # token, phase, ranked rows, countries
        body = client.get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert len(body["rows"]) == min(teams + 1, 50)
    if teams > 50:
        assert body["own_row"]["is_own"] and body["own_row"]["rank"] == teams + 1
    else:
        assert body["rows"][-1]["is_own"]


def test_leaderboard_page_queries_are_constant(arena, client, django_assert_max_num_queries):
    _board(arena.phase, 60)
    client.force_login(arena.member)
    with django_assert_max_num_queries(6):  # session, user, phase, rows, countries
        response = client.get(reverse("submissions:leaderboard", args=[arena.phase.pk]))
    assert response.status_code == 200


def test_leaderboard_visibility(arena):
    bests = _board(arena.phase, 2)
    TeamBestFactory(registration=arena.registration, phase=arena.phase, best_public_score=0.3)
    arena.phase.leaderboard_visibility = LeaderboardVisibility.TEAMS_ONLY
    arena.phase.save()
    mine = token_client(arena.member).get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert [r["team"] for r in mine["rows"]] == [arena.registration.team.name]
    assert APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()["rows"] == []
    arena.phase.leaderboard_visibility = LeaderboardVisibility.HIDDEN
    arena.phase.save()
    hidden = token_client(arena.member).get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert hidden["visible"] is False and hidden["rows"] == []
    arena.phase.private_revealed_at = timezone.now()
    arena.phase.save()
    revealed = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert len(revealed["rows"]) == len(bests) + 1


def test_scoring_updates_the_leaderboard(arena):
    submission = services.submission_create(
        user=arena.member, phase=arena.phase, upload=csv_upload(predictions_csv(correct=15))
    )
    services.submission_evaluate(submission_id=submission.pk)
    rows = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()["rows"]
    assert rows[0]["team"] == arena.registration.team.name
    assert rows[0]["score"] == TeamBest.objects.get().best_public_score
    assert rows[0]["entries"] == 1


def test_a_teams_submissions_come_in_pages_newest_first_with_the_quota(arena):
    submissions = SubmissionFactory.create_batch(
        3, registration=arena.registration, phase=arena.phase
    )
    client = token_client(arena.member)
    url = f"/api/phases/{arena.phase.pk}/submissions/"
    first = client.get(url, {"limit": 2}).json()
    assert first["count"] == 3 and first["previous"] is None
    newest_first = sorted((s.pk for s in submissions), reverse=True)
    assert [s["id"] for s in first["results"]] == newest_first[:2]
    assert first["quota"]["daily_limit"] == 3
    rest = client.get(first["next"]).json()
    assert [s["id"] for s in rest["results"]] == newest_first[2:]
    assert rest["next"] is None and rest["quota"] == first["quota"]


def test_schema_documents_the_upload_with_curl(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/phases/{phase_id}/submissions/" in text
    assert "curl" in text and "multipart/form-data" in text
    schema = client.get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/phases/{phase_id}/submissions/"]["get"]
    assert {"limit", "offset"} <= {p["name"] for p in listing["parameters"]}


def _scored(arena, public, private, minutes_ago):
    return SubmissionFactory(
        registration=arena.registration,
        phase=arena.phase,
        status="scored",
        public_score=public,
        private_score=private,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


# (metric, finals a team may select, the team's (public, private) scores
# oldest first, which of them it selected, the private score that counts).
# In every variant the luckiest private score belongs to a submission that
# does not count.
FINALS_VARIANTS = [
    ("accuracy", 2, [(0.9, 0.70), (0.8, 0.75), (0.5, 0.99)], [], 0.75),
    ("accuracy", 1, [(0.9, 0.70), (0.8, 0.99)], [], 0.70),
    ("accuracy", 2, [(0.9, 0.99), (0.6, 0.60)], [1], 0.60),
    ("accuracy", 2, [(0.7, 0.72), (0.9, 0.99), (0.6, 0.80)], [0, 2], 0.80),
    ("accuracy", 3, [(0.5, 0.99), (0.9, 0.60), (0.9, 0.65), (0.8, 0.61), (0.1, 0.2)], [], 0.65),
    ("accuracy", 1, [(0.8, 0.55), (0.8, 0.99)], [], 0.55),  # equal public: the earlier one
    ("mae", 2, [(0.2, 0.30), (0.1, 0.25), (0.5, 0.01)], [], 0.25),
    ("mae", 2, [(0.2, 0.01), (0.3, 0.40)], [1], 0.40),
    ("mae", 1, [(0.3, 0.02), (0.3, 0.35)], [1], 0.35),
]


@pytest.mark.parametrize(("metric", "max_finals", "scores", "finals", "private"), FINALS_VARIANTS)
def test_the_private_score_on_the_leaderboard_is_the_finals_best(
    arena, client, metric, max_finals, scores, finals, private
):
    from submissions.services.standings import teambest_refresh

    arena.phase.challenge.metric = metric
    arena.phase.challenge.save()
    arena.phase.max_final_selections = max_finals
    arena.phase.save()
    submissions = [
        _scored(arena, public, lucky, minutes_ago=60 - i)
        for i, (public, lucky) in enumerate(scores)
    ]
    teambest_refresh(registration_id=arena.registration.pk, phase=arena.phase)  # as the worker
    for index in finals:
        services.submission_set_final(submission=submissions[index], is_final=True)
    arena.phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    arena.phase.save()

    body = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert body["rows"][0]["private_score"] == pytest.approx(private)
    assert "selected final" in body["finals_rule"]
    page = client.get(reverse("submissions:leaderboard", args=[arena.phase.pk])).content.decode()
    luckiest = (max if metric == "accuracy" else min)(lucky for _public, lucky in scores)
    assert f"{private:.5f}" in page and f"{luckiest:.5f}" not in page
    assert 'id="finals-rule"' in page


def test_the_finals_rule_is_stated_only_once_private_scores_show(arena, client):
    _scored(arena, 0.5, 0.6, minutes_ago=5)
    services.submission_set_final(submission=Submission.objects.get(), is_final=True)
    body = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
    assert body["finals_rule"] is None and body["rows"][0]["private_score"] is None
    page = client.get(reverse("submissions:leaderboard", args=[arena.phase.pk])).content.decode()
    assert 'id="finals-rule"' not in page


def test_unselecting_the_finals_brings_back_the_best_public_ones(arena):
    arena.phase.max_final_selections = 1
    arena.phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    arena.phase.save()
    best_public = _scored(arena, 0.9, 0.7, minutes_ago=10)
    weaker = _scored(arena, 0.6, 0.8, minutes_ago=5)
    services.submission_set_final(submission=weaker, is_final=True)

    def private_on_the_board():
        body = APIClient().get(f"/api/phases/{arena.phase.pk}/leaderboard/").json()
        return body["rows"][0]["private_score"]

    assert private_on_the_board() == pytest.approx(0.8)
    services.submission_set_final(submission=weaker, is_final=False)
    assert private_on_the_board() == pytest.approx(best_public.private_score)


def _upload(client, phase):
    return client.post(
        f"/api/phases/{phase.pk}/submissions/", {"file": csv_upload()}, format="multipart"
    )


def test_an_upload_reads_the_token_user_and_registration_in_one_query(
    arena, django_assert_num_queries
):
    client = token_client(arena.member)
    assert _upload(client, arena.phase).status_code == 201  # the phase is now cached
    # The token with its user and registration; the quota spent and the row
    # inserted (one statement on PostgreSQL); here in a savepoint, released.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 5):
        assert _upload(client, arena.phase).status_code == 201
    assert Submission.objects.filter(submitted_by=arena.member).count() == 2


def test_an_upload_over_quota_is_refused_after_two_queries_and_nothing_stored(
    arena, django_assert_num_queries
):
    client = token_client(arena.member)
    for _ in range(3):
        assert _upload(client, arena.phase).status_code == 201
    stored = sorted(private_storage().listdir(f"submissions/team-{arena.registration.team_id}/"))
    # The token with its user, registration and quota counter; an exact count.
    with django_assert_num_queries(2):
        response = _upload(client, arena.phase)
    assert response.status_code == 422
    (violation,) = response.json()["details"]["violations"]
    assert violation["code"] == "daily_limit_reached"
    assert Submission.objects.count() == 3
    after = sorted(private_storage().listdir(f"submissions/team-{arena.registration.team_id}/"))
    assert after == stored


def test_an_upload_names_the_registrations_reason_read_with_the_token(arena):
    arena.registration.status = "rejected"
    arena.registration.rejection_reason = "two teams in one"
    arena.registration.save()
    response = _upload(token_client(arena.member), arena.phase)
    assert response.status_code == 422
    (violation,) = response.json()["details"]["violations"]
    assert violation["code"] == "registration_rejected"
    assert "two teams in one" in violation["message"]
    outsider = _upload(token_client(UserFactory()), arena.phase).json()
    assert [v["code"] for v in outsider["details"]["violations"]] == ["not_registered"]
    assert not Submission.objects.exists()


def test_an_upload_with_a_wrong_or_disabled_token_answers_401(arena):
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = _upload(wrong, arena.phase)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    client = token_client(arena.member)
    arena.member.is_active = False
    arena.member.save()
    assert _upload(client, arena.phase).status_code == 401
    assert not Submission.objects.exists()


def test_an_upload_from_the_sites_own_pages_still_uses_the_session(arena, client):
    client.force_login(arena.member)
    response = client.post(f"/api/phases/{arena.phase.pk}/submissions/", {"file": csv_upload()})
    assert response.status_code == 201
    assert Submission.objects.get().submitted_by == arena.member


def _both_ways(client, phase, upload, **extra):
    """The answer of the short way (a plain token upload) and of DRF's usual way
    (the same upload asking for JSON among other formats), and which way each took."""
    answers = []
    for accept in ("application/json", "application/json, text/plain"):
        with mock.patch.object(
            PhaseSubmissionsApi,
            "initialize_request",
            autospec=True,
            side_effect=APIView.initialize_request,
        ) as usual:
            response = client.post(
                f"/api/phases/{phase.pk}/submissions/",
                {"file": upload(), **extra},
                format="multipart",
                HTTP_ACCEPT=accept,
            )
        answers.append((response, usual.called))
    return answers


def test_a_plain_token_upload_takes_the_short_way_with_the_same_answer(arena):
    client = token_client(arena.member)
    (short, usual_called_short), (usual, usual_called) = _both_ways(
        client, arena.phase, csv_upload, description="first try"
    )
    assert (usual_called_short, usual_called) == (False, True)
    assert short.status_code == usual.status_code == 201
    for header in ("Content-Type", "Allow", "Vary"):
        assert short[header] == usual[header], header
    first, second = short.json(), usual.json()
    assert set(first) == set(second)
    assert first["id"] != second["id"] and first["sha256"] == second["sha256"]
    assert {k: v for k, v in first.items() if k not in ("id", "created_at", "download_url")} == {
        k: v for k, v in second.items() if k not in ("id", "created_at", "download_url")
    }


def test_a_refused_upload_answers_the_same_both_ways(arena):
    client = token_client(arena.member)
    (short, took_usual_short), (usual, took_usual) = _both_ways(
        client, arena.phase, lambda: csv_upload(b"<html>x</html>", name="p.txt")
    )
    assert (took_usual_short, took_usual) == (False, True)
    assert short.status_code == usual.status_code == 422
    assert short.json() == usual.json()
    assert short["Content-Type"] == usual["Content-Type"]
    assert not Submission.objects.exists()


def test_a_form_the_serializer_would_trim_goes_the_usual_way(arena):
    client = token_client(arena.member)
    (answer, took_usual), _ = _both_ways(client, arena.phase, csv_upload, description=" spaced ")
    assert took_usual and answer.status_code == 201
    assert answer.json()["description"] == "spaced"
