"""Many leaderboard rows at once (bulk inserts), for exports' tests and benchmarks."""

import datetime as dt
import hashlib

import factory
from django.utils import timezone

from league.exports.models import ExportFormat, ExportJob, ExportStatus
from league.models import Phase, User
from submissions.models import TeamBest
from teams.models import Membership, Profile, Registration, Team

__all__ = ["ExportJobFactory", "bulk_leaderboard"]

COUNTRIES = ("CN", "TH", "VN", "US", "SG", "MY")


def bulk_leaderboard(phase: Phase, rows: int, *, tag: str = "bulk", batch: int = 5000) -> None:
    """``rows`` teams (one member each, nationalities in turn), verified for
    the phase's challenge, each with a TeamBest; scores repeat every 97 rows,
    so there are ties."""
    now = timezone.now()
    prefix = hashlib.md5(tag.encode()).hexdigest()[:6].upper()  # noqa: S324 - a label, not security
    for start in range(0, rows, batch):
        numbers = range(start, min(rows, start + batch))
        users = User.objects.bulk_create(
            [User(username=f"{tag}-{i}", email=f"{tag}-{i}@example.org") for i in numbers]
        )
        Profile.objects.bulk_create(
            [
                Profile(
                    user=user,
                    display_name=f"Member {i}",
                    nationality=COUNTRIES[i % len(COUNTRIES)],
                    residence=COUNTRIES[i % len(COUNTRIES)],
                    participant_type="university",
                )
                for i, user in zip(numbers, users, strict=True)
            ]
        )
        teams = Team.objects.bulk_create(
            [
                Team(name=f"{tag} team {i}", captain=user, join_code=f"{prefix}{i:010d}")
                for i, user in zip(numbers, users, strict=True)
            ]
        )
        Membership.objects.bulk_create([Membership(team=team, user=team.captain) for team in teams])
        registrations = Registration.objects.bulk_create(
            [
                Registration(team=team, challenge_id=phase.challenge_id, status="verified")
                for team in teams
            ]
        )
        TeamBest.objects.bulk_create(
            [
                TeamBest(
                    registration=registration,
                    phase=phase,
                    best_public_score=(i % 97) / 100,
                    best_private_score=(i % 89) / 100,
                    best_submitted_at=now - dt.timedelta(seconds=i),
                    scored_count=1 + i % 5,
                    last_submitted_at=now - dt.timedelta(seconds=i),
                )
                for i, registration in zip(numbers, registrations, strict=True)
            ]
        )


class ExportJobFactory(factory.django.DjangoModelFactory):
    """A queued background export of a phase's leaderboard."""

    class Meta:
        model = ExportJob

    requested_by = factory.SubFactory("tests.factories.league.UserFactory")
    dataset = "phase-leaderboard"
    params = factory.LazyFunction(lambda: {"phase": "1"})
    format = ExportFormat.CSV
    status = ExportStatus.QUEUED
    rows_total = 2000
    filename = "leaderboard-phase-1-public.csv"
