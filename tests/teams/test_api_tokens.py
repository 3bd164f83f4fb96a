"""A token, its user and the team's registration read in one query for uploads."""

import pytest
from rest_framework.authtoken.models import Token

from teams.api_tokens import Beside, token_with_registration, token_with_registration_and
from teams.selectors import registration_of_user
from tests.factories import ChallengeFactory, UserFactory
from tests.submissions.conftest import make_team

pytestmark = pytest.mark.django_db


def test_a_members_token_brings_the_same_registration_as_the_selector(
    django_assert_num_queries,
):
    registration, (member,) = make_team(challenge=ChallengeFactory(), status="pending")
    make_team(challenge=registration.challenge)  # another team in the same challenge
    key = Token.objects.create(user=member).key
    with django_assert_num_queries(1):
        token, found = token_with_registration(key=key, challenge_id=registration.challenge_id)
        assert token.user == member and token.key == key
        assert (found.pk, found.team_id, found.status) == (
            registration.pk,
            registration.team_id,
            "pending",
        )
        assert not found.is_verified
    assert found == registration_of_user(user=member, challenge_id=registration.challenge_id)
    assert found.team == registration.team  # the fields not read load when asked for


def test_an_outsiders_token_brings_no_registration():
    registration, _ = make_team(challenge=ChallengeFactory())
    _, (registered_elsewhere,) = make_team(challenge=ChallengeFactory())
    for outsider in (UserFactory(), registered_elsewhere):
        key = Token.objects.create(user=outsider).key
        token, found = token_with_registration(key=key, challenge_id=registration.challenge_id)
        assert token.user == outsider and found is None


def test_an_unknown_key_is_refused():
    with pytest.raises(Token.DoesNotExist):
        token_with_registration(key="0" * 40, challenge_id=1)


def test_a_row_beside_the_registration_comes_in_the_same_query(django_assert_num_queries):
    registration, (member,) = make_team(challenge=ChallengeFactory())
    other, _ = make_team(challenge=registration.challenge)
    key = Token.objects.create(user=member).key

    def team_row(team_id):
        # The team's own row, joined by the registration's team.
        return Beside(
            table="teams_team",
            on="b.id = r.team_id AND b.id = %s",
            columns=("id", "name"),
            params=(team_id,),
        )

    with django_assert_num_queries(1):
        _, found, beside = token_with_registration_and(
            key=key, challenge_id=registration.challenge_id, beside=team_row(registration.team_id)
        )
    assert found == registration
    assert beside == {"id": registration.team_id, "name": registration.team.name}
    _, found, beside = token_with_registration_and(
        key=key, challenge_id=registration.challenge_id, beside=team_row(other.team_id)
    )
    assert found == registration and beside is None
    outsider = Token.objects.create(user=UserFactory()).key
    _, found, beside = token_with_registration_and(
        key=outsider, challenge_id=registration.challenge_id, beside=team_row(other.team_id)
    )
    assert found is None and beside is None
