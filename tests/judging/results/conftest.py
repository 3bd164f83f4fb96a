"""Challenges with closed, revealed finals and ranked teams, for the standings."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from league.models import User
from submissions.models import TeamBest
from teams.models import Membership, Registration, RegistrationStatus, Team
from tests.factories import (
    ChallengeFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamBestFactory,
    TeamFactory,
    UserFactory,
)


def closed_phase(challenge, *, revealed: bool = True):
    now = timezone.now()
    return PhaseFactory(
        challenge=challenge,
        name="Finals",
        opens_at=now - timedelta(days=10),
        closes_at=now - timedelta(days=1),
        private_revealed_at=now - timedelta(hours=1) if revealed else None,
    )


def build_finals(teams, *, revealed: bool = True, **challenge_fields):
    """A challenge whose finals closed; ``teams`` = [(name, private score,
    other members' nationalities)], each captained by a Chinese national."""
    challenge = ChallengeFactory(**challenge_fields)
    phase = closed_phase(challenge, revealed=revealed)
    registrations = []
    for n, (name, score, members) in enumerate(teams):
        registration = RegistrationFactory(
            team=TeamFactory(name=name, members=members), challenge=challenge
        )
        TeamBestFactory(
            registration=registration,
            phase=phase,
            best_public_score=score,
            best_private_score=score,
            best_submitted_at=timezone.now() - timedelta(days=5, minutes=n),
        )
        registrations.append(registration)
    return challenge, phase, registrations


def bulk_teams(challenge, phase, count: int) -> None:
    """``count`` verified teams with a private score each, in a few queries."""
    users = User.objects.bulk_create(
        User(
            username=f"bulk-{challenge.pk}-{n}@example.org",
            email=f"bulk-{challenge.pk}-{n}@example.org",
        )
        for n in range(count)
    )
    teams = Team.objects.bulk_create(
        Team(name=f"Bulk team {challenge.pk}-{n}", captain=user, join_code=f"B{challenge.pk}X{n}")
        for n, user in enumerate(users)
    )
    Membership.objects.bulk_create(Membership(team=t, user=t.captain) for t in teams)
    registrations = Registration.objects.bulk_create(
        Registration(team=t, challenge=challenge, status=RegistrationStatus.VERIFIED) for t in teams
    )
    now = timezone.now()
    TeamBest.objects.bulk_create(
        TeamBest(
            registration=r,
            phase=phase,
            best_public_score=n / count,
            best_private_score=n / count,
            best_submitted_at=now - timedelta(minutes=n),
            scored_count=1,
        )
        for n, r in enumerate(registrations)
    )


@pytest.fixture
def finals(db):
    """Three teams: a Thai name, a formula as a name, and a plain one."""
    return build_finals(
        [
            ("ทีมแม่น้ำโขง", 0.91, ["TH"]),
            ('=HYPERLINK("http://x")', 0.85, []),
            ("Lotus Lab", 0.72, ["VN", "MY"]),
        ],
        slug="crop-yield",
        title="Crop yield forecast",
    )


@pytest.fixture
def organizer(db):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Organizers"))
    return user
