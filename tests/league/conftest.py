"""Fixtures shared by the league's tests."""

from datetime import UTC, datetime

import pytest

from league.models import TrackKind
from tests.factories import ChallengeFactory, PhaseFactory, SeasonFactory, TrackFactory

CLOSES = datetime(2026, 12, 20, tzinfo=UTC)


@pytest.fixture
def season_of_every_track():
    """A season with one challenge (and one open phase) in each track: the
    home page then shows every track's name and the phases' deadlines."""
    season = SeasonFactory(name="AI Super League 2026")
    for order, kind in enumerate(TrackKind.values):
        track = TrackFactory(season=season, kind=kind, order=order)
        challenge = ChallengeFactory(track=track, title=f"Challenge of {kind}")
        PhaseFactory(
            challenge=challenge, name="Final", closes_at=datetime(2026, 12, 20, tzinfo=UTC)
        )
    return season
