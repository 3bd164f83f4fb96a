"""The demo's judging: the solver assigns the demo judges."""

import io

import pytest
from django.core.management import call_command

from judging import selectors
from judging.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunState,
    Conflict,
    FinalistWriteup,
    Review,
    StandingsSnapshot,
)
from league.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_judges_are_assigned_by_the_solver_and_a_reseed_keeps_reviews():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    runs = AssignmentRun.objects.all()
    assert runs and all(run.state == AssignmentRunState.DONE for run in runs)
    demo_judge = Assignment.objects.filter(judge__user__username="judge@demo.league")
    assert demo_judge.exists() and not demo_judge.exclude(created_by=None).exists()
    # Every demo account shares one domain: the demo overrides those conflicts, on record.
    assert not Conflict.objects.filter(source="domain", overridden_at__isnull=True).exists()
    reviews = set(Review.objects.values_list("pk", flat=True))
    assert reviews
    _the_demo_judge_has_packages_and_finalists_to_judge()
    # One published result, whose rows name teams and no judge.
    published = StandingsSnapshot.objects.get()
    assert published.version == 1 and published.rows
    assert "Second Judge" not in str(published.rows)

    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    assert reviews <= set(Review.objects.values_list("pk", flat=True))
    assert AssignmentRun.objects.filter(state=AssignmentRunState.DONE).count() == 2 * len(runs)
    assert StandingsSnapshot.objects.count() == 1


def _the_demo_judge_has_packages_and_finalists_to_judge():
    """The demo judge's queue holds both kinds: review packages and finalists
    of the finished prediction challenge, picked by the finals rule once its
    private scores were revealed, one of them with its write-up."""
    judge = selectors.judge_for_user(User.objects.get(username="judge@demo.league"))
    rows = selectors.judge_queue(judge=judge).rows
    packages = [r.entry for r in rows if r.entry.package_id]
    finalists = [r.entry for r in rows if r.entry.submission_id]
    assert packages and finalists
    entry = finalists[0]
    last = entry.challenge.phases.order_by("-closes_at").first()
    assert entry.phase == last and last.private_scores_visible
    assert entry.submission.is_final and entry.submission.private_score is not None
    assert FinalistWriteup.objects.filter(entry__in=finalists).exists()
    # The rubric is there, so the demo judge can submit, and the second judge did.
    assert selectors.rubric(challenge=entry.challenge)
    assert Review.objects.filter(assignment__entry=entry, status="submitted").exists()
