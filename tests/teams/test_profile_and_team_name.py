"""The profile asks for the participant type (no silent default); a team
name over the limit says so."""

import pytest
from django.urls import reverse

from teams.models import Profile, Team
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {"display_name": "Mai", "nationality": "VN", "residence": "VN"}


def test_the_participant_type_starts_blank_and_is_required(client):
    client.force_login(UserFactory())
    page = client.get(reverse("teams:profile")).content.decode()
    select = page[page.index('name="participant_type"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>Choose…</option>' in select
    response = client.post(reverse("teams:profile"), PROFILE)
    assert response.status_code == 200
    assert "Choose your participant type." in response.content.decode()
    assert not Profile.objects.exists()
    client.post(reverse("teams:profile"), {**PROFILE, "participant_type": "researcher"})
    assert Profile.objects.get().participant_type == "researcher"


def test_an_existing_profile_keeps_its_type_selected(client):
    user = ParticipantFactory(participant_type="startup")
    client.force_login(user)
    page = client.get(reverse("teams:profile")).content.decode()
    assert '<option value="startup" selected>' in page


@pytest.mark.parametrize(
    "name,expected", [("x" * 81, "at most 80 characters"), ("   ", "Give the team a name.")]
)
def test_a_refused_team_name_says_why(client, name, expected):
    client.force_login(ParticipantFactory())
    response = client.post(reverse("teams:team-create"), {"name": name}, follow=True)
    assert expected in response.content.decode()
    assert not Team.objects.exists()
