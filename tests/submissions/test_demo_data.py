"""The demo's data files: every prediction challenge's sample submission is a
valid file that scores against the phase's answer key."""

import random

import pytest
from django.core.files.base import ContentFile

from league.management.commands.seed_demo import DemoContext
from league.models import FileKind
from submissions import demo, demo_data
from submissions.evaluation.scoring import score_predictions
from tests.factories import ChallengeFactory, PhaseFactory

pytestmark = pytest.mark.django_db


def _context(challenges) -> DemoContext:
    return DemoContext(
        scale="small", rng=random.Random(1), say=lambda _: None, shared={"challenges": challenges}
    )


@pytest.mark.parametrize("metric", ["rmse", "macro_f1", "roc_auc", "mae", "accuracy"])
def test_the_sample_submission_scores_against_the_answer_key(metric):
    phase = PhaseFactory(challenge=ChallengeFactory(metric=metric))
    ctx = _context([phase.challenge])
    key = demo._answer_key(ctx, phase)
    demo_data.seed(ctx, key_rows=demo.KEY_ROWS, labels=demo.LABELS)
    files = {f.kind: f for f in phase.challenge.files.all()}
    assert set(files) == {FileKind.TRAINING, FileKind.TEST_INPUTS, FileKind.SAMPLE_SUBMISSION}
    with files[FileKind.SAMPLE_SUBMISSION].file.open("rb") as stream:
        sample = stream.read()
    scores = score_predictions(
        answer_key_file=ContentFile(key), prediction_file=ContentFile(sample), metric_name=metric
    )
    assert scores.rows == demo.KEY_ROWS
    assert scores.public is not None and scores.private is not None
    with files[FileKind.TEST_INPUTS].file.open("rb") as stream:
        test_ids = [line.split(b",")[0] for line in stream.read().splitlines()[1:]]
    assert test_ids == [line.split(b",")[0] for line in sample.splitlines()[1:]]


@pytest.mark.parametrize(
    "mode,names", [("review", {"README.md", "proposal-template.pdf"}), ("code", {"statement.md"})]
)
def test_review_and_code_challenges_get_their_documents_once(mode, names):
    challenge = ChallengeFactory(
        evaluation_mode=mode, metric="" if mode == "review" else "accuracy"
    )
    ctx = _context([challenge])
    demo_data.seed(ctx, key_rows=demo.KEY_ROWS, labels=demo.LABELS)
    demo_data.seed(ctx, key_rows=demo.KEY_ROWS, labels=demo.LABELS)
    assert {f.download_name for f in challenge.files.all()} == names
    assert all(f.size > 0 and len(f.sha256) == 64 for f in challenge.files.all())
