"""Small fixtures for the submissions tests: an open phase with an answer key
and a verified team whose member is logged in."""

import contextlib
import os
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teams.models import Membership, Registration
from tests.factories import (
    AnswerKeyFactory,
    ChallengeFactory,
    PhaseFactory,
    RegistrationFactory,
    UserFactory,
    predictions_csv,
)


@dataclass
class Arena:
    phase: object
    registration: Registration
    member: object


def make_team(*, challenge, status="verified", members=1) -> tuple[Registration, list]:
    registration = RegistrationFactory(challenge=challenge, status=status)
    users = [registration.team.captain]
    Membership.objects.get_or_create(team=registration.team, user=registration.team.captain)
    for _ in range(members - 1):
        user = UserFactory()
        Membership.objects.create(team=registration.team, user=user)
        users.append(user)
    return registration, users


@pytest.fixture
def arena(db) -> Arena:
    return build_arena()


def build_arena() -> Arena:
    """An open phase (accuracy, 3 a day, 5 in total) with an answer key, and a
    verified one-member team."""
    phase = PhaseFactory(
        challenge=ChallengeFactory(metric="accuracy"), daily_limit=3, total_limit=5
    )
    AnswerKeyFactory(phase=phase)
    registration, users = make_team(challenge=phase.challenge)
    return Arena(phase=phase, registration=registration, member=users[0])


def csv_upload(content: bytes | None = None, name: str = "predictions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, predictions_csv() if content is None else content, content_type="text/csv"
    )


CLOSED_PORT = "redis://127.0.0.1:1/0"


@contextlib.contextmanager
def broker_at(url: str):
    """Point this process's Celery app (broker and result backend) at another
    Redis, as in an outage; worker processes keep theirs. Celery reads
    CELERY_BROKER_URL and CELERY_RESULT_BACKEND from the environment first."""
    from league.celery import app

    names = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    saved_env = {name: os.environ.get(name) for name in names}
    saved_conf = app.conf.broker_url, app.conf.broker_write_url, app.conf.result_backend

    def reset():
        app._pool = app.amqp._producer_pool = None
        app._local.__dict__.pop("backend", None)

    for name in names:
        os.environ[name] = url
    app.conf.broker_url = app.conf.broker_write_url = app.conf.result_backend = url
    reset()
    try:
        yield
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        app.conf.broker_url, app.conf.broker_write_url, app.conf.result_backend = saved_conf
        reset()
