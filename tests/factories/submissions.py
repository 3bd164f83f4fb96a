"""Factories of the submissions app (teams come from the teams app's factories)."""

import hashlib

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from submissions.models import (
    AnswerKey,
    CodeTask,
    CodeTestCase,
    PackageVersion,
    ReviewPackage,
    Submission,
    SubmissionStatus,
    TeamBest,
)
from submissions.pdfs import minimal_pdf
from submissions.storage import private_storage, submission_path
from tests.factories.league import PhaseFactory
from tests.factories.teams import RegistrationFactory

__all__ = [
    "AnswerKeyFactory",
    "CodeTaskFactory",
    "CodeTestCaseFactory",
    "PackageVersionFactory",
    "ReviewPackageFactory",
    "SubmissionFactory",
    "TeamBestFactory",
    "answer_key_csv",
    "predictions_csv",
]


def answer_key_csv(rows: int = 20, *, labels=("a", "b")) -> bytes:
    """``id,expected,split``: alternate labels, the first half public."""
    lines = ["id,expected,split"]
    for i in range(rows):
        split = "public" if i < rows // 2 or rows == 1 else "private"
        lines.append(f"r{i},{labels[i % len(labels)]},{split}")
    return ("\n".join(lines) + "\n").encode()


def predictions_csv(rows: int = 20, *, correct: int | None = None, labels=("a", "b")) -> bytes:
    """``id,prediction`` for ``answer_key_csv``: the first ``correct`` rows right."""
    correct = rows if correct is None else correct
    lines = ["id,prediction"]
    for i in range(rows):
        right = labels[i % len(labels)]
        wrong = labels[(i + 1) % len(labels)]
        lines.append(f"r{i},{right if i < correct else wrong}")
    return ("\n".join(lines) + "\n").encode()


class AnswerKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnswerKey

    class Params:
        rows_count = 20

    phase = factory.SubFactory(PhaseFactory)
    file = factory.LazyAttribute(
        lambda o: ContentFile(answer_key_csv(o.rows_count), name="key.csv")
    )
    rows = factory.LazyAttribute(lambda o: o.rows_count)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission with its file really in private storage."""

    class Meta:
        model = Submission

    class Params:
        content = predictions_csv()

    registration = factory.SubFactory(RegistrationFactory)
    phase = factory.SubFactory(
        PhaseFactory, challenge=factory.SelfAttribute("..registration.challenge")
    )
    submitted_by = factory.LazyAttribute(lambda o: o.registration.team.captain)
    original_name = "predictions.csv"
    file = factory.LazyAttribute(
        lambda o: private_storage().save(
            submission_path(
                team_id=o.registration.team_id,
                phase_id=o.phase.pk,
                original_name=o.original_name,
            ),
            ContentFile(o.content),
        )
    )
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    size = factory.LazyAttribute(lambda o: len(o.content))
    status = SubmissionStatus.QUEUED
    created_at = factory.LazyFunction(timezone.now)


class TeamBestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamBest

    registration = factory.SubFactory(RegistrationFactory)
    phase = factory.SubFactory(
        PhaseFactory, challenge=factory.SelfAttribute("..registration.challenge")
    )
    best_public_score = 0.5
    best_submitted_at = factory.LazyFunction(timezone.now)
    scored_count = 1
    last_submitted_at = factory.LazyFunction(timezone.now)


class ReviewPackageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewPackage

    registration = factory.SubFactory(RegistrationFactory)
    phase = factory.SubFactory(
        PhaseFactory,
        challenge=factory.SelfAttribute("..registration.challenge"),
    )


class PackageVersionFactory(factory.django.DjangoModelFactory):
    """A saved version with a real one-page PDF in private storage."""

    class Meta:
        model = PackageVersion

    class Params:
        content = minimal_pdf(1)

    package = factory.SubFactory(ReviewPackageFactory)
    number = factory.Sequence(lambda n: n + 1)
    saved_by = factory.LazyAttribute(lambda o: o.package.registration.team.captain)
    proposal_name = "proposal.pdf"
    proposal = factory.LazyAttribute(
        lambda o: private_storage().save(
            f"packages/team-{o.package.registration.team_id}/proposal.pdf",
            ContentFile(o.content),
        )
    )
    proposal_size = factory.LazyAttribute(lambda o: len(o.content))
    proposal_sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.content).hexdigest())
    proposal_pages = 1


class CodeTaskFactory(factory.django.DjangoModelFactory):
    """A tests-kind task of a code challenge's phase, with short limits."""

    class Meta:
        model = CodeTask

    phase = factory.SubFactory(
        PhaseFactory,
        challenge__evaluation_mode="code",
        challenge__metric="accuracy",
        challenge__allowed_extensions=[],
    )
    kind = "tests"
    wall_seconds = 2
    memory_mb = 512
    output_mb = 1


class CodeTestCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodeTestCase

    task = factory.SubFactory(CodeTaskFactory)
    name = factory.Sequence(lambda n: f"test-{n}")
    input_text = "1 2\n"
    expected_output = "3\n"
