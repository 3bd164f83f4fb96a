"""Real concurrent transactions on PostgreSQL: finals, scores and organizers'
actions on one team take their locks in one order, so none deadlocks."""

from unittest import mock

import pytest

from league.metrics import higher_is_better
from submissions import rules, services
from submissions.models import Submission, TeamBest
from tests.factories import SubmissionFactory
from tests.submissions.conftest import build_arena
from tests.teams.test_concurrency import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_selecting_finals_while_scoring_cancelling_and_rerunning_never_deadlocks():
    arena = build_arena()
    arena.phase.max_final_selections = 2
    arena.phase.save()
    submissions = [
        SubmissionFactory(
            registration=arena.registration,
            phase=arena.phase,
            status="scored",
            public_score=0.5 + i / 20,
            private_score=0.9 - i / 20,
        )
        for i in range(6)
    ]
    queued = SubmissionFactory(registration=arena.registration, phase=arena.phase)
    calls = [
        lambda s=s: services.submission_set_final(submission=s, is_final=True)
        for s in submissions[:4]
    ]
    calls += [
        lambda: services.submission_cancel(submission=submissions[4]),
        lambda: services.submission_rerun(submission=submissions[5]),
        lambda: services.submission_cancel(submission=submissions[0]),
        lambda: services.submission_evaluate(submission_id=queued.pk),
    ]
    with mock.patch("submissions.services.organizer.publish_evaluation"):
        outcomes = run_at_once(calls)
    assert None not in outcomes, outcomes  # no deadlock or other error
    # Refusals name the rule: the limit, or a submission cancelled just before.
    assert set(outcomes) <= {"ok", "too_many_final", "not_scored", "rule_violation"}
    assert Submission.objects.filter(is_final=True).count() <= 2
    scored = [
        rules.ScoredEntry(**row)
        for row in Submission.objects.filter(status="scored").values(
            "id", "public_score", "private_score", "created_at", "is_final"
        )
    ]
    expected = rules.final_private_score(
        scored, higher_is_better=higher_is_better("accuracy"), max_finals=2
    )
    assert TeamBest.objects.get().best_private_score == expected
