"""The demo's judging: the solver assigns the demo judges."""

import io

import pytest
from django.core.management import call_command

from judging.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunState,
    Conflict,
    Review,
    StandingsSnapshot,
)

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
    # One published result, whose rows name teams and no judge.
    published = StandingsSnapshot.objects.get()
    assert published.version == 1 and published.rows
    assert "Second Judge" not in str(published.rows)

    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())

    assert reviews <= set(Review.objects.values_list("pk", flat=True))
    assert AssignmentRun.objects.filter(state=AssignmentRunState.DONE).count() == 2 * len(runs)
    assert StandingsSnapshot.objects.count() == 1
