"""The demo seeder fills the leaderboards and is idempotent."""

import io

import pytest
from django.core.management import call_command

from submissions.models import AnswerKey, Submission, TeamBest

pytestmark = pytest.mark.django_db


def test_small_demo_fills_leaderboards_and_runs_twice_without_changes():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    counts = (AnswerKey.objects.count(), Submission.objects.count(), TeamBest.objects.count())
    assert all(counts), counts
    assert not Submission.objects.exclude(status="scored").exists()
    assert not TeamBest.objects.filter(best_submission__isnull=True).exists()
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    assert (
        AnswerKey.objects.count(),
        Submission.objects.count(),
        TeamBest.objects.count(),
    ) == counts


@pytest.mark.parametrize("metric", ["accuracy", "mae"])
def test_the_bulk_rebuild_of_team_bests_follows_the_finals_rule(metric):
    """The benchmark's one-statement rebuild gives what the worker's refresh gives."""
    from datetime import timedelta

    from django.utils import timezone

    from submissions.demo import _teambest_bulk
    from submissions.services.standings import teambest_refresh
    from tests.factories import PhaseFactory, RegistrationFactory, SubmissionFactory

    phase = PhaseFactory(challenge__metric=metric, max_final_selections=2)
    start = timezone.now() - timedelta(hours=1)
    teams = {
        # (public, private, final) per submission, oldest first.
        "no finals": [(0.9, 0.7, False), (0.8, 0.75, False), (0.5, 0.99, False)],
        "one final": [(0.9, 0.99, False), (0.6, 0.6, True), (0.7, 0.01, False)],
        "equal public": [(0.8, 0.3, False), (0.8, 0.4, False), (0.8, 0.99, False)],
    }
    for rows in teams.values():
        registration = RegistrationFactory(challenge=phase.challenge)
        for minute, (public, private, final) in enumerate(rows):
            SubmissionFactory(
                registration=registration,
                phase=phase,
                status="scored",
                public_score=public,
                private_score=private,
                is_final=final,
                created_at=start + timedelta(minutes=minute),
            )
        teambest_refresh(registration_id=registration.pk, phase=phase)
    fields = ("registration_id", "best_public_score", "best_private_score", "best_submission_id")
    refreshed = sorted(TeamBest.objects.values_list(*fields))
    _teambest_bulk(phase)
    assert sorted(TeamBest.objects.values_list(*fields)) == refreshed


def test_the_demo_participant_sees_a_ready_package_in_the_review_challenge(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from submissions import selectors
    from submissions.models import PackageVersion, ReviewPackage

    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    package = ReviewPackage.objects.get(
        registration__team__name="Mekong Bridge AI",
        phase__challenge__slug="ev-battery-line",
    )
    version = PackageVersion.objects.get(package=package)
    assert selectors.package_checklist(version=version).ready
    client.force_login(get_user_model().objects.get(email="participant@demo.league"))
    page = client.get(reverse("submissions:submit", args=[package.phase_id])).content.decode()
    assert "Ready for judging." in page
    proposal = client.get(reverse("submissions:package-proposal", args=[version.pk]))
    assert b"".join(proposal.streaming_content).startswith(b"%PDF-")


@pytest.mark.sandbox
def test_the_demo_code_challenge_has_tests_and_a_scored_sample_solution():
    from pathlib import Path

    from django.conf import settings

    from submissions.demo import LINE_SUMS_SOLUTION

    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    sample = Submission.objects.get(phase__challenge__slug="line-sums")
    assert sample.status == "scored", sample.error_message
    assert (sample.public_score, sample.private_score) == (100.0, 100.0)
    assert {t["verdict"] for t in sample.details["tests"]} == {"accepted"}
    docs = (Path(settings.BASE_DIR) / "docs" / "demo" / "line_sums.py").read_text()
    assert LINE_SUMS_SOLUTION.decode().split("\n", 2)[2] in docs
