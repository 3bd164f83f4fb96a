"""The reads the submissions app relies on."""

import pytest

from league.errors import Forbidden, NotFound
from teams import selectors
from teams.models import RegistrationStatus
from tests.factories import ParticipantFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_a_member_submits_for_a_verified_registration_only():
    registration = RegistrationFactory(status=RegistrationStatus.PENDING)
    captain = registration.team.captain
    with pytest.raises(Forbidden) as caught:
        selectors.registration_for_submission(user=captain, registration_id=registration.pk)
    assert caught.value.code == "registration_not_verified"
    registration.status = RegistrationStatus.VERIFIED
    registration.save()
    found = selectors.registration_for_submission(
        user=captain, registration_id=registration.pk, lock=True
    )
    assert found == registration
    with pytest.raises(NotFound):
        selectors.registration_for_submission(
            user=ParticipantFactory(), registration_id=registration.pk
        )


def test_registration_verified_for_user_finds_the_members_entry():
    registration = RegistrationFactory()
    challenge_id = registration.challenge_id
    captain = registration.team.captain
    assert selectors.registration_verified_for_user(user=captain, challenge_id=challenge_id) == (
        registration
    )
    outsider = ParticipantFactory()
    assert (
        selectors.registration_verified_for_user(user=outsider, challenge_id=challenge_id) is None
    )
    registration.status = RegistrationStatus.REJECTED
    registration.rejection_reason = "No"
    registration.save()
    assert selectors.registration_verified_for_user(user=captain, challenge_id=challenge_id) is None
