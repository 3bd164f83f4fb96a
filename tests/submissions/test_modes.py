"""One evaluation mode per challenge: its intake, configuration, page text
and evaluator come from the registry; a mode without an evaluator is refused."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from league.errors import RuleViolation
from league.models import EvaluationMode, Phase
from submissions import selectors, services
from submissions.models import AnswerKey, Submission
from submissions.modes import REGISTRY, ModeUnavailable, get_mode
from submissions.pdfs import minimal_pdf
from tests.factories import ChallengeFactory, PhaseFactory, answer_key_csv
from tests.submissions.conftest import csv_upload, make_team

pytestmark = pytest.mark.django_db


def test_every_mode_of_the_registry_keeps_the_contract():
    challenge = ChallengeFactory.build(allowed_extensions=[], max_file_size_mb=5)
    for name, mode in REGISTRY.items():
        assert name in EvaluationMode.values and mode.name == name
        assert str(mode.label)
        assert all(e.startswith(".") for e in mode.allowed_extensions(challenge))
        assert isinstance(mode.queued_for_evaluation, bool)
        assert mode.page_text(challenge).hint
    assert get_mode("prediction").queued_for_evaluation
    assert not get_mode("review").queued_for_evaluation


def test_a_mode_without_an_evaluator_is_unavailable(monkeypatch):
    monkeypatch.delitem(REGISTRY, "code")
    with pytest.raises(ModeUnavailable) as caught:
        get_mode("code")
    assert caught.value.code == "mode_unavailable"
    assert "cannot evaluate yet" in caught.value.message


def _team_in(phase):
    registration, users = make_team(challenge=phase.challenge)
    return registration, users[0]


def test_a_zip_for_a_mode_without_evaluator_is_refused_as_unavailable_not_blamed_on_the_file(
    client, monkeypatch
):
    monkeypatch.delitem(REGISTRY, "code")
    phase = PhaseFactory(challenge=ChallengeFactory(evaluation_mode="code", allowed_extensions=[]))
    registration, member = _team_in(phase)
    client.force_login(member)
    response = client.post(
        reverse("submissions:api-phase-submissions", args=[phase.pk]),
        {"file": SimpleUploadedFile("solution.zip", b"PK\x03\x04 not really")},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "mode_unavailable"
    assert "cannot evaluate yet" in response.json()["message"]
    assert not Submission.objects.exists()
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


def test_the_submit_page_of_a_mode_without_evaluator_says_so(client, monkeypatch):
    monkeypatch.delitem(REGISTRY, "code")
    phase = PhaseFactory(challenge=ChallengeFactory(evaluation_mode="code"))
    _registration, member = _team_in(phase)
    client.force_login(member)
    body = client.get(reverse("submissions:submit", args=[phase.pk])).content.decode()
    assert "cannot evaluate yet" in body
    assert "id,prediction" not in body


def test_a_prediction_phase_without_an_answer_key_refuses_files_without_spending_quota():
    phase = PhaseFactory()
    registration, member = _team_in(phase)
    with pytest.raises(RuleViolation) as caught:
        services.submission_create(user=member, phase=phase, upload=csv_upload())
    assert [v.code for v in caught.value.violations] == ["answer_key_missing"]
    assert "answer key" in caught.value.message and "no quota" in caught.value.message
    assert not Submission.objects.exists()
    assert selectors.quota_for(registration=registration, phase=phase).used_total == 0


def test_a_review_phase_refuses_single_files():
    phase = PhaseFactory(challenge=ChallengeFactory(evaluation_mode="review", metric=""))
    _registration, member = _team_in(phase)
    upload = SimpleUploadedFile("proposal.pdf", minimal_pdf())
    with pytest.raises(RuleViolation) as caught:
        services.submission_create(user=member, phase=phase, upload=upload)
    assert caught.value.code == "package_required"
    assert not Submission.objects.exists()


def test_the_prediction_page_shows_its_format_and_an_example(client, arena):
    client.force_login(arena.member)
    body = client.get(reverse("submissions:submit", args=[arena.phase.pk])).content.decode()
    assert "CSV with the header “id,prediction”" in body
    assert "q0001,0.83" in body


def _phase_admin_data(phase, **changes) -> dict:
    opens = changes.pop("opens_at", phase.opens_at)
    data = {
        "challenge": phase.challenge_id,
        "name_en": phase.name,
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": phase.closes_at.strftime("%Y-%m-%d"),
        "closes_at_1": phase.closes_at.strftime("%H:%M:%S"),
        "daily_limit": "5",
        "total_limit": "50",
        "limit_time_zone": "UTC",
        "max_final_selections": "2",
        "leaderboard_visibility": "public",
        "answer_key-TOTAL_FORMS": "1",
        "answer_key-INITIAL_FORMS": "0",
        "answer_key-MIN_NUM_FORMS": "0",
        "answer_key-MAX_NUM_FORMS": "1",
    }
    data.update(changes)
    return data


def test_the_admin_refuses_to_open_a_prediction_phase_without_an_answer_key(organizer_client):
    phase = PhaseFactory(opens_at=timezone.now() + timedelta(days=2))
    url = reverse("admin:league_phase_change", args=[phase.pk])
    opened = timezone.now() - timedelta(hours=1)

    refused = organizer_client.post(url, _phase_admin_data(phase, opens_at=opened))
    assert refused.status_code == 200
    assert "without what its evaluation mode needs" in refused.content.decode()
    phase.refresh_from_db()
    assert phase.opens_at > timezone.now()

    accepted = organizer_client.post(
        url,
        _phase_admin_data(
            phase,
            opens_at=opened,
            **{"answer_key-0-file": SimpleUploadedFile("key.csv", answer_key_csv(10))},
        ),
    )
    assert accepted.status_code == 302, accepted.content.decode()[:3000]
    assert Phase.objects.get(pk=phase.pk).opens_at <= timezone.now()
    assert AnswerKey.objects.get(phase=phase).uploaded_by == organizer_client.organizer


def test_the_challenge_admin_refuses_an_open_prediction_phase_without_a_key(organizer_client):
    from tests.league.test_admin import phase_form

    challenge = ChallengeFactory()
    yesterday = timezone.now() - timedelta(days=1)
    response = organizer_client.post(
        reverse("admin:league_challenge_change", args=[challenge.pk]),
        phase_form(
            challenge,
            [
                (
                    "Open now",
                    (yesterday.strftime("%Y-%m-%d"), "00:00:00"),
                    ("2099-01-01", "00:00:00"),
                )
            ],
        ),
    )
    assert response.status_code == 200
    assert "without what its evaluation mode needs" in response.content.decode()
    assert not Phase.objects.filter(challenge=challenge).exists()
