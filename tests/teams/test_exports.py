"""The registrations export: filters, members' facts by the track's basis."""

import csv
import io

import pytest
from django.urls import reverse

from league.models import RegionBasis
from teams.models import RegistrationStatus
from tests.factories import ChallengeFactory, RegistrationFactory, TeamFactory, TrackFactory

pytestmark = pytest.mark.django_db


def _export(client, **params) -> list[list[str]]:
    response = client.post(
        reverse("exports:api-exports"),
        {"dataset": "registrations", "params": params, "format": "csv"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_registrations_of_a_challenge_with_members_countries_and_regions(organizer_client):
    challenge = ChallengeFactory()
    team = TeamFactory(name="ทีมปัญญาประดิษฐ์", members=["TH", "US"])
    RegistrationFactory(team=team, challenge=challenge)
    RegistrationFactory(challenge=challenge, status=RegistrationStatus.PENDING)
    RegistrationFactory()  # another challenge
    rows = _export(organizer_client, challenge=challenge.pk)
    assert rows[0][:9] == [
        "Registration", "Team", "Challenge", "Track", "Status", "Members", "Countries",
        "Region mix", "Cross-border",
    ]  # fmt: skip
    assert len(rows) == 3
    thai = next(r for r in rows[1:] if r[1] == "ทีมปัญญาประดิษฐ์")
    assert thai[4] == "Verified"
    assert len(thai[5].split("; ")) == 3
    assert thai[6:9] == ["CN TH US", "China 1, ASEAN 1, Other 1", "true"]
    pending = _export(organizer_client, challenge=challenge.pk, status="pending")
    assert [r[4] for r in pending[1:]] == ["Pending verification"]


def test_a_residence_track_counts_regions_by_residence(organizer_client):
    track = TrackFactory(region_basis=RegionBasis.RESIDENCE)
    team = TeamFactory()
    profile = team.captain.profile
    profile.residence = "MY"
    profile.save()
    RegistrationFactory(team=team, challenge=ChallengeFactory(track=track))
    rows = _export(organizer_client)
    assert rows[1][6:9] == ["MY", "ASEAN 1", "false"]


def test_an_unknown_status_is_refused(organizer_client):
    response = organizer_client.post(
        reverse("exports:api-exports"),
        {"dataset": "registrations", "params": {"status": "won"}, "format": "csv"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "status" in response.json()["details"]
