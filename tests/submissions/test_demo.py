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
