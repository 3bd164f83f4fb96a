"""What the admin refuses when an organizer configures the league."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ChallengeFactory, PhaseFactory, TrackFactory

pytestmark = pytest.mark.django_db


def errors_of(instance) -> dict:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_phase_must_close_after_it_opens():
    phase = PhaseFactory.build(challenge=ChallengeFactory())
    phase.closes_at = phase.opens_at
    assert "A phase closes after it opens." in errors_of(phase)["closes_at"]


def test_phases_of_one_challenge_may_not_overlap():
    first = PhaseFactory(name="Development")
    second = PhaseFactory.build(
        challenge=first.challenge,
        name="Final",
        opens_at=first.closes_at - timedelta(hours=1),
        closes_at=first.closes_at + timedelta(days=3),
    )
    assert "overlaps the phase “Development”" in errors_of(second)["opens_at"][0]


def test_back_to_back_phases_are_fine():
    first = PhaseFactory(name="Development")
    second = PhaseFactory.build(
        challenge=first.challenge,
        name="Final",
        opens_at=first.closes_at,
        closes_at=first.closes_at + timedelta(days=3),
    )
    second.full_clean()


def test_phases_of_different_challenges_may_overlap():
    first = PhaseFactory()
    other = PhaseFactory.build(
        challenge=ChallengeFactory(), opens_at=first.opens_at, closes_at=first.closes_at
    )
    other.full_clean()


@pytest.mark.parametrize(
    ("automated", "judges", "field", "message"),
    [
        ("0.7", "0.2", "judges_weight", "must sum to 1"),
        ("1.2", "-0.2", "automated_weight", "between 0 and 1"),
    ],
)
def test_weights_lie_in_the_unit_interval_and_sum_to_one(automated, judges, field, message):
    challenge = ChallengeFactory.build(
        track=TrackFactory(), automated_weight=Decimal(automated), judges_weight=Decimal(judges)
    )
    assert any(message in m for m in errors_of(challenge)[field])


def test_weights_summing_to_one_are_accepted():
    ChallengeFactory.build(
        track=TrackFactory(), automated_weight=Decimal("0.6"), judges_weight=Decimal("0.4")
    ).full_clean()


def test_unknown_metric_is_refused_for_automated_challenges():
    challenge = ChallengeFactory.build(track=TrackFactory(), metric="bleu")
    assert "Choose one of the metrics" in errors_of(challenge)["metric"][0]


@pytest.mark.parametrize("field", ["daily_limit", "total_limit", "max_final_selections"])
def test_limits_are_positive(field):
    phase = PhaseFactory.build(challenge=ChallengeFactory(), **{field: 0})
    assert field in errors_of(phase)


def test_daily_limit_cannot_exceed_total():
    phase = PhaseFactory.build(challenge=ChallengeFactory(), daily_limit=20, total_limit=10)
    assert "cannot exceed the total limit" in errors_of(phase)["daily_limit"][0]


def test_track_maximum_below_minimum_is_refused():
    track = TrackFactory.build(
        season=TrackFactory().season, kind="talent_discovery", min_members=4, max_members=2
    )
    assert "at least the minimum" in errors_of(track)["max_members"][0]


def test_database_refuses_a_phase_closing_before_it_opens():
    phase = PhaseFactory.build(challenge=ChallengeFactory())
    phase.closes_at = phase.opens_at - timedelta(seconds=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        phase.save()


def test_deadline_is_inclusive_to_the_second():
    now = timezone.now().replace(microsecond=0)
    phase = PhaseFactory(opens_at=now - timedelta(days=1), closes_at=now)
    assert phase.is_open(at=now + timedelta(microseconds=900_000))
    assert not phase.is_open(at=now + timedelta(seconds=1))
