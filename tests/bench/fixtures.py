"""Objects the benchmarks need: a challenge, a phase with an answer key, and
verified teams with one member each."""

import io
import random
from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from league.models import Challenge, Phase, Season, Track, TrackKind, User
from submissions.models import AnswerKey
from teams.models import Membership, Registration, RegistrationStatus, Team


def answer_key_csv(rows: int, rng: random.Random) -> tuple[str, list[float]]:
    truth = [round(rng.uniform(0, 100), 3) for _ in range(rows)]
    lines = ["id,expected,split"]
    lines += [f"r{i},{v},{'public' if i % 3 else 'private'}" for i, v in enumerate(truth)]
    return "\n".join(lines) + "\n", truth


def prediction_csv(truth: list[float], rng: random.Random) -> bytes:
    out = io.StringIO()
    out.write("id,prediction\n")
    for i, value in enumerate(truth):
        out.write(f"r{i},{value + rng.gauss(0, 5):.3f}\n")
    return out.getvalue().encode()


@transaction.atomic
def competition(
    *, label: str, teams: int, rows: int, daily_limit: int, total_limit: int, rng: random.Random
) -> tuple[Phase, list[User], list[float]]:
    """A fresh challenge and phase (RMSE) with ``teams`` verified one-person teams."""
    stamp = f"{label}-{timezone.now():%Y%m%d%H%M%S%f}"
    today = timezone.now().date()
    season, _ = Season.objects.get_or_create(
        slug="bench-season",
        defaults=dict(
            name="Benchmark season",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=365),
        ),
    )
    track, _ = Track.objects.get_or_create(
        season=season,
        kind=TrackKind.BOTTLENECK_CHALLENGE,
        defaults=dict(name="Bottleneck challenge", max_members=5),
    )
    challenge = Challenge.objects.create(
        track=track,
        slug=stamp,
        title=f"Benchmark {stamp}",
        theme="manufacturing",
        evaluation_mode="prediction",
        metric="rmse",
        allowed_extensions=[".csv"],
    )
    phase = Phase.objects.create(
        challenge=challenge,
        name="Development",
        opens_at=timezone.now() - timedelta(hours=1),
        closes_at=timezone.now() + timedelta(days=1),
        daily_limit=daily_limit,
        total_limit=total_limit,
    )
    key_text, truth = answer_key_csv(rows, rng)
    AnswerKey.objects.create(
        phase=phase, file=ContentFile(key_text.encode(), name="key.csv"), rows=rows
    )
    users = User.objects.bulk_create(
        [
            User(username=f"{stamp}-{i}@bench.league", email=f"{stamp}-{i}@bench.league")
            for i in range(teams)
        ]
    )
    created = Team.objects.bulk_create(
        [
            Team(name=f"{stamp} team {i}", captain=u, join_code=f"{stamp[-10:]}{i}"[:16])
            for i, u in enumerate(users)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(team=t, user=u) for t, u in zip(created, users, strict=True)]
    )
    Registration.objects.bulk_create(
        [
            Registration(team=t, challenge=challenge, status=RegistrationStatus.VERIFIED)
            for t in created
        ]
    )
    return phase, users, truth


def write_files(folder: Path, count: int, truth: list[float], rng: random.Random) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"predictions-{i}.csv"
        path.write_bytes(prediction_csv(truth, rng))
        paths.append(path)
    return paths
