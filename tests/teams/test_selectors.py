"""The read the submissions app relies on: a member's registration."""

import pytest

from teams import selectors
from teams.models import RegistrationStatus
from tests.factories import ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [RegistrationStatus.VERIFIED, RegistrationStatus.PENDING])
def test_a_member_finds_the_teams_registration_whatever_its_status(status):
    registration = RegistrationFactory(status=status)
    found = selectors.registration_of_user(
        user=registration.team.captain, challenge_id=registration.challenge_id
    )
    assert found == registration


def test_an_outsider_finds_none():
    registration = RegistrationFactory()
    outsider = ParticipantFactory()
    assert (
        selectors.registration_of_user(user=outsider, challenge_id=registration.challenge_id)
        is None
    )
