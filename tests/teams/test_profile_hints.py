"""A joiner refused by a track's rule is told which field of their own
profile decides it, with a link to the profile page."""

import pytest
from django.urls import reverse

from league.errors import Violation
from teams import rules
from teams.models import Membership
from tests.factories import InvitationFactory, ParticipantFactory, RegistrationFactory, TeamFactory

pytestmark = pytest.mark.django_db

PROFILE_LINK = f'<a href="{reverse("teams:profile")}">'


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_joining_by_code_names_the_profile_field_and_links_the_profile(client, bottleneck):
    team = TeamFactory(members=["CN"])
    RegistrationFactory(team=team, challenge=bottleneck)
    joiner = ParticipantFactory(nationality="CN", residence="US")
    client.force_login(joiner)
    response = client.post(reverse("teams:team-join"), {"code": team.join_code}, follow=True)
    shown = messages_of(response)
    assert any("only members from China and ASEAN" in m for m in shown)
    hint = [m for m in shown if PROFILE_LINK in m]
    assert len(hint) == 1
    assert "“country of residence”" in hint[0]
    assert not Membership.objects.filter(team=team, user=joiner).exists()


def test_the_invitation_page_names_the_field_in_chinese(client, bottleneck):
    team = TeamFactory(members=["CN"])
    RegistrationFactory(team=team, challenge=bottleneck)
    invitee = ParticipantFactory(nationality="TH", residence="US")
    invitation = InvitationFactory(team=team, email=invitee.email)
    client.force_login(invitee)
    page = client.post(
        reverse("teams:invitation", args=[invitation.token]),
        {"answer": "accept"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert PROFILE_LINK in page
    assert "“居住国”" in page
    assert not Membership.objects.filter(team=team, user=invitee).exists()


def test_a_refusal_that_is_not_about_the_joiners_profile_has_no_hint(client, bottleneck):
    full = TeamFactory(members=["CN", "CN"])
    RegistrationFactory(team=full, challenge=bottleneck)
    client.force_login(ParticipantFactory(nationality="CN", residence="CN"))
    response = client.post(reverse("teams:team-join"), {"code": full.join_code}, follow=True)
    shown = messages_of(response)
    assert any("full" in m for m in shown)
    assert not any(PROFILE_LINK in m for m in shown)


def test_profile_fields_count_only_rules_about_that_member():
    violations = [
        Violation("participant_type_not_allowed", "", {"user_id": 1, "profile_field": "x"}),
        Violation("too_many_other_region", "", {"user_ids": [2], "profile_field": "residence"}),
        Violation("country_share_exceeded", "", {"profile_field": "nationality"}),
        Violation("team_full", ""),
    ]
    assert rules.profile_fields_of(violations, 2) == ["residence", "nationality"]
    assert rules.profile_fields_of(violations, 1) == ["x", "nationality"]
