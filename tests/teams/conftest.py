"""Fixtures of the teams tests: a current season with the three kinds of track."""

from decimal import Decimal

import pytest

from league.models import OrganisationType, ParticipantType, RegionBasis, TrackKind
from tests.factories import ChallengeFactory, SeasonFactory, TrackFactory


@pytest.fixture
def season(db):
    return SeasonFactory()


@pytest.fixture
def industrial(season):
    """A challenge whose track needs cross-border teams of 2–6."""
    track = TrackFactory(
        season=season,
        kind=TrackKind.INDUSTRIAL_INNOVATION,
        min_members=2,
        max_members=6,
        cross_border_required=True,
        max_other_region_members=1,
        max_country_share=Decimal("0.75"),
        allowed_organisation_types=[
            OrganisationType.COMPANY,
            OrganisationType.STARTUP,
            OrganisationType.RESEARCH_INSTITUTE,
            OrganisationType.UNIVERSITY,
        ],
        order=1,
    )
    return ChallengeFactory(
        track=track,
        title="EV battery line",
        evaluation_mode="review",
        metric="",
        automated_weight=Decimal("0"),
        judges_weight=Decimal("1"),
    )


@pytest.fixture
def bottleneck(season):
    """A challenge whose track takes teams of 1–3 from China and ASEAN by residence."""
    track = TrackFactory(
        season=season,
        kind=TrackKind.BOTTLENECK_CHALLENGE,
        min_members=1,
        max_members=3,
        max_other_region_members=0,
        region_basis=RegionBasis.RESIDENCE,
        order=2,
    )
    return ChallengeFactory(track=track, title="Parcel delays")


@pytest.fixture
def talent(season):
    """A challenge of the talent track: individual entries, verified automatically."""
    track = TrackFactory(
        season=season,
        kind=TrackKind.TALENT_DISCOVERY,
        min_members=1,
        max_members=3,
        allows_individual_entries=True,
        auto_verify_registrations=True,
        teams_per_person_in_track=1,
        allowed_participant_types=[
            ParticipantType.UNIVERSITY,
            ParticipantType.INDIVIDUAL_DEVELOPER,
        ],
        order=3,
    )
    return ChallengeFactory(track=track, title="Dengue forecast")
