"""Demo data files for every demo challenge: small real CSVs for prediction
challenges (a training set, the test inputs and a sample submission that
scores against the phase's answer key), a README and a proposal template for
review challenges, a statement for code challenges. Idempotent."""

import random

from django.core.files.base import ContentFile

from league import services as league_services
from league.metrics import METRICS, MetricKind
from league.models import Challenge, ChallengeFile, EvaluationMode, FileKind
from submissions.pdfs import minimal_pdf

TRAIN_ROWS = 200
FEATURES = ("distance_km", "weight_kg", "customs_checks", "weekday")


def seed(ctx, *, key_rows: int, labels: dict) -> None:
    created = 0
    for challenge in ctx.shared.get("challenges") or Challenge.objects.all():
        if challenge.files.exists():
            continue
        for order, (kind, title, description, name, content) in enumerate(
            _files(challenge, key_rows=key_rows, labels=labels)
        ):
            upload = ContentFile(content, name=name)
            item = ChallengeFile(
                challenge=challenge, kind=kind, title=title, description=description, order=order
            )
            item.file = upload
            league_services.challenge_file_store(challenge_file=item, upload=upload)
            created += 1
    ctx.say(f"submissions: {created} new data files")


def _files(challenge: Challenge, *, key_rows: int, labels: dict):
    if challenge.evaluation_mode == EvaluationMode.PREDICTION:
        yield from _prediction_files(challenge, key_rows=key_rows, labels=labels)
    elif challenge.evaluation_mode == EvaluationMode.REVIEW:
        yield (
            FileKind.OTHER,
            "What to hand in",
            "The brief of the scenario and how the judges read a proposal.",
            "README.md",
            _readme(challenge).encode(),
        )
        yield (
            FileKind.SAMPLE_SUBMISSION,
            "Proposal template",
            "Three pages: problem, solution, deployment plan.",
            "proposal-template.pdf",
            minimal_pdf(3, title=f"{challenge.title}: proposal template"),
        )
    else:
        yield (
            FileKind.OTHER,
            "Statement",
            "The task, the input and output format and an example.",
            "statement.md",
            _statement(challenge).encode(),
        )


def _value(rng: random.Random, metric: str, labels: dict) -> str:
    kind = METRICS[metric].kind
    if kind == MetricKind.NUMBER:
        return f"{rng.uniform(0, 100):.2f}"
    if kind == MetricKind.PROBABILITY:
        return str(rng.randint(0, 1))
    return rng.choice(labels.get(metric, ["match", "no_match"]))


def _sample_value(metric: str, labels: dict) -> str:
    kind = METRICS[metric].kind
    if kind == MetricKind.NUMBER:
        return "50.00"
    if kind == MetricKind.PROBABILITY:
        return "0.5"
    return labels.get(metric, ["match", "no_match"])[0]


def _features(rng: random.Random) -> str:
    return (
        f"{rng.uniform(5, 2500):.1f},{rng.uniform(0.1, 30):.2f},"
        f"{rng.randint(0, 3)},{rng.randint(0, 6)}"
    )


def _prediction_files(challenge: Challenge, *, key_rows: int, labels: dict):
    rng = random.Random(challenge.slug)  # noqa: S311 - the same demo files on every machine
    metric = challenge.metric
    header = ",".join(("id", *FEATURES))
    train = [f"{header},target"] + [
        f"t{i:04d},{_features(rng)},{_value(rng, metric, labels)}" for i in range(TRAIN_ROWS)
    ]
    test = [header] + [f"q{i:04d},{_features(rng)}" for i in range(key_rows)]
    sample = ["id,prediction"] + [
        f"q{i:04d},{_sample_value(metric, labels)}" for i in range(key_rows)
    ]
    yield (
        FileKind.TRAINING,
        "Training set",
        "One row per case with its features and the target to learn.",
        "train.csv",
        ("\n".join(train) + "\n").encode(),
    )
    yield (
        FileKind.TEST_INPUTS,
        "Test inputs",
        "The cases to predict, without the target.",
        "test.csv",
        ("\n".join(test) + "\n").encode(),
    )
    yield (
        FileKind.SAMPLE_SUBMISSION,
        "Sample submission",
        "A valid file with one constant prediction per test case; submit it to try the flow.",
        "sample_submission.csv",
        ("\n".join(sample) + "\n").encode(),
    )


def _readme(challenge: Challenge) -> str:
    return (
        f"# {challenge.title}\n\n"
        f"Posed by {challenge.sponsor}.\n\n"
        "Hand in a proposal as a PDF (use the template), optionally a link to a demo "
        "video and your code as a .zip archive. Judges score the proposal against the "
        "track's rubric; the last version saved before the deadline counts.\n"
    )


def _statement(challenge: Challenge) -> str:
    return (
        f"# {challenge.title}\n\n"
        "Read lines of integers separated by spaces from standard input and print the "
        "sum of each line on its own line of standard output.\n\n"
        "Example input:\n\n    1 2 3\n    10 20\n\nExample output:\n\n    6\n    30\n"
    )
