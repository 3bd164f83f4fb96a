"""Guessable and mail-sending team actions are rate limited, through the API
and the pages alike (one counter): 429, ``Retry-After`` and a message that
says when to try again; normal use never meets a limit."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from teams.models import Invitation
from tests.factories import InvitationFactory, ParticipantFactory, TeamFactory

pytestmark = pytest.mark.django_db


def allowed(scope: str) -> int:
    return int(settings.THROTTLE_RATES[scope].split("/")[0])


def api_as(user, address="192.0.2.10") -> APIClient:
    api = APIClient(REMOTE_ADDR=address)
    api.force_authenticate(user)
    return api


def page_as(user, address="192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.force_login(user)
    return client


def assert_throttled_api(response, period_seconds: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= period_seconds
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "throttled"
    assert "Too many attempts. Try again in" in body["message"]


def assert_throttled_page(response, period_seconds: int) -> None:
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= period_seconds
    assert "Too many attempts. Try again in" in response.content.decode()


# ---------------------------------------------------------------- join by code


def test_guessing_join_codes_is_throttled_per_user_across_api_and_page():
    guesser = ParticipantFactory()
    api = api_as(guesser)
    for attempt in range(allowed("join_code_user") - 1):
        wrong = api.post(reverse("teams:api-team-join"), {"code": f"WRONG{attempt:04d}"})
        assert wrong.status_code == 400
    page = page_as(guesser)
    assert page.post(reverse("teams:team-join"), {"code": "WRONGPAGE"}).status_code == 302
    team = TeamFactory()
    assert_throttled_api(
        api.post(reverse("teams:api-team-join"), {"code": team.join_code}), period_seconds=3600
    )
    assert_throttled_page(
        page.post(reverse("teams:team-join"), {"code": team.join_code}), period_seconds=3600
    )
    assert not team.memberships.filter(user=guesser).exists()
    other = api_as(ParticipantFactory(), address="192.0.2.99")
    assert other.post(reverse("teams:api-team-join"), {"code": team.join_code}).status_code == 200


def test_guessing_join_codes_from_one_address_with_many_accounts_is_throttled():
    per_user, per_address = allowed("join_code_user"), allowed("join_code_ip")
    tries = 0
    while tries < per_address:
        api = api_as(ParticipantFactory(), address="192.0.2.20")
        for _ in range(min(per_user, per_address - tries)):
            assert api.post(reverse("teams:api-team-join"), {"code": "NOPE"}).status_code == 400
            tries += 1
    fresh = api_as(ParticipantFactory(), address="192.0.2.20")
    assert_throttled_api(
        fresh.post(reverse("teams:api-team-join"), {"code": "NOPE"}), period_seconds=3600
    )


def test_joining_and_leaving_a_few_times_is_not_throttled():
    team = TeamFactory()
    member = ParticipantFactory()
    api = api_as(member)
    for _ in range(3):
        assert api.post(reverse("teams:api-team-join"), {"code": team.join_code}).status_code == 200
        assert api.post(reverse("teams:api-team-leave", args=[team.pk])).status_code == 204


def test_new_join_codes_are_throttled_per_user():
    team = TeamFactory()
    api = api_as(team.captain)
    for _ in range(allowed("join_code_new")):
        assert api.post(reverse("teams:api-team-join-code", args=[team.pk])).status_code == 200
    assert_throttled_api(
        api.post(reverse("teams:api-team-join-code", args=[team.pk])), period_seconds=3600
    )
    assert_throttled_page(
        page_as(team.captain).post(reverse("teams:team-join-code", args=[team.pk])),
        period_seconds=3600,
    )


# ---------------------------------------------------------------- invitations


def _invite(api, team, email):
    return api.post(reverse("teams:api-invitation-create", args=[team.pk]), {"email": email})


def test_one_address_gets_at_most_a_few_invitations_a_day_from_any_team():
    api = api_as((team := TeamFactory()).captain)
    for _ in range(allowed("invitation_address")):
        assert _invite(api, team, "Someone@example.org").status_code == 201
    assert_throttled_api(_invite(api, team, "someone@example.org"), period_seconds=86400)
    other = TeamFactory()
    refused = page_as(other.captain).post(
        reverse("teams:team-invite", args=[other.pk]), {"email": "someone@EXAMPLE.org"}
    )
    assert_throttled_page(refused, period_seconds=86400)
    assert not Invitation.objects.filter(team=other).exists()
    assert _invite(api, team, "someone.else@example.org").status_code == 201


def test_a_team_sends_a_bounded_number_of_invitations_through_api_and_page():
    team = TeamFactory()
    api = api_as(team.captain)
    for n in range(allowed("invitation_team") - 1):
        assert _invite(api, team, f"member{n}@example.org").status_code == 201
    page = page_as(team.captain)
    sent = page.post(reverse("teams:team-invite", args=[team.pk]), {"email": "last@example.org"})
    assert sent.status_code == 302
    assert_throttled_api(_invite(api, team, "one.more@example.org"), period_seconds=3600)
    assert_throttled_page(
        page.post(reverse("teams:team-invite", args=[team.pk]), {"email": "x@example.org"}),
        period_seconds=3600,
    )
    assert team.invitations.count() == allowed("invitation_team")


def test_outsiders_cannot_spend_a_teams_or_an_addresss_invitations():
    team = TeamFactory()
    outsider = api_as(ParticipantFactory())
    for _ in range(allowed("invitation_team") + 1):
        assert _invite(outsider, team, "victim@example.org").status_code == 404
    assert _invite(api_as(team.captain), team, "victim@example.org").status_code == 201


def test_invitation_links_are_throttled_per_user():
    invitee = ParticipantFactory()
    invitation = InvitationFactory(email=invitee.email)
    page = page_as(invitee)
    for n in range(allowed("invitation_answer") - 1):
        guess = reverse("teams:invitation", args=[f"guess-{n}"])
        assert page.get(guess).status_code == 404
    url = reverse("teams:invitation", args=[invitation.token])
    assert page.get(url).status_code == 200
    assert_throttled_page(page.post(url, {"answer": "accept"}), period_seconds=3600)
    assert_throttled_api(
        api_as(invitee).post(reverse("teams:api-invitation-accept", args=[invitation.pk])),
        period_seconds=3600,
    )
    assert not invitation.team.memberships.filter(user=invitee).exists()
