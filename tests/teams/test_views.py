"""The team pages: forms post to the services and show their messages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teams import services
from teams.models import Invitation, InvitationStatus, Profile, Registration, Team
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_team_pages_send_a_participant_without_profile_to_complete_it(client):
    client.force_login(UserFactory())
    response = client.get(reverse("teams:my-teams"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("teams:profile") + "?next=/teams/")


def test_the_profile_form_saves_and_goes_back(client):
    user = UserFactory()
    client.force_login(user)
    organisation = OrganisationFactory(name="Mahidol University", country="TH")
    response = client.post(
        reverse("teams:profile") + "?next=/teams/",
        {
            "display_name": "Ploy",
            "nationality": "TH",
            "residence": "SG",
            "participant_type": "university",
            "organisation": organisation.pk,
        },
    )
    assert response.status_code == 302
    assert response.url == "/teams/"
    profile = Profile.objects.get(user=user)
    assert (profile.residence.code, profile.organisation) == ("SG", organisation)
    page = client.get(reverse("teams:profile"))
    assert "ASEAN" in page.content.decode()


def test_the_profile_form_refuses_an_unknown_country(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("teams:profile"),
        {
            "display_name": "X",
            "nationality": "XX",
            "residence": "TH",
            "participant_type": "university",
        },
    )
    assert response.status_code == 200
    assert "nationality" in response.context["form"].errors
    assert not Profile.objects.exists()


def test_creating_a_team_shows_it_with_a_failing_cross_border_checklist(client, industrial):
    user = ParticipantFactory(nationality="CN")
    client.force_login(user)
    response = client.post(reverse("teams:team-create"), {"name": "Guilin Vision"}, follow=True)
    team = Team.objects.get(name="Guilin Vision")
    assert response.redirect_chain[-1][0] == reverse("teams:team-detail", args=[team.pk])
    html = response.content.decode()
    assert "Add a member from an ASEAN member state (" in html
    assert "Regions are counted by nationality." in html
    assert 'class="fail" data-code="cross_border"' in html
    assert "Cross-border</span>" not in html


def test_a_taken_team_name_shows_the_reason(client):
    TeamFactory(name="Red River")
    client.force_login(ParticipantFactory())
    response = client.post(reverse("teams:team-create"), {"name": "red river"}, follow=True)
    assert any("taken" in m for m in messages_of(response))
    assert Team.objects.count() == 1


def test_members_see_e_mails_the_public_sees_countries_only(client):
    team = TeamFactory(members=["TH"])
    thai = team.memberships.exclude(user=team.captain).get().user
    client.force_login(thai)
    private = client.get(reverse("teams:team-detail", args=[team.pk])).content.decode()
    assert team.captain.email in private
    assert "badge cross-border" in private
    client.force_login(ParticipantFactory())
    assert client.get(reverse("teams:team-detail", args=[team.pk])).status_code == 404
    public = client.get(reverse("teams:team-public", args=[team.pk])).content.decode()
    assert team.name in public
    assert "Thailand" in public and "China" in public
    assert team.captain.email not in public
    assert thai.email not in public


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("teams:team-rename", {"name": "Mine"}),
        ("teams:team-invite", {"email": "x@example.org"}),
        ("teams:team-join-code", {}),
        ("teams:team-leave", {}),
        ("teams:team-remove-member", {"user_id": 1}),
        ("teams:team-transfer", {"user_id": 1}),
    ],
)
def test_outsiders_get_404_on_team_actions(client, name, data):
    team = TeamFactory()
    client.force_login(ParticipantFactory())
    assert client.post(reverse(name, args=[team.pk]), data).status_code == 404
    assert client.post(reverse(name, args=[99999]), data).status_code == 404
    assert Team.objects.get(pk=team.pk).name == team.name
    assert not Invitation.objects.exists()


def test_captain_actions_through_the_pages(client, talent):
    team = TeamFactory(members=["MY"])
    malaysian = team.memberships.exclude(user=team.captain).get().user
    client.force_login(team.captain)
    detail = reverse("teams:team-detail", args=[team.pk])
    assert client.post(reverse("teams:team-rename", args=[team.pk]), {"name": "Straits"}).url == (
        detail
    )
    assert Team.objects.get(pk=team.pk).name == "Straits"
    client.post(reverse("teams:team-invite", args=[team.pk]), {"email": "new@example.org"})
    invitation = Invitation.objects.get()
    client.post(reverse("teams:invitation-revoke", args=[team.pk, invitation.pk]))
    assert Invitation.objects.get().status == InvitationStatus.REVOKED
    client.post(reverse("teams:team-register", args=[team.pk, talent.pk]))
    assert Registration.objects.get().status == "verified"
    client.post(reverse("teams:team-transfer", args=[team.pk]), {"user_id": malaysian.pk})
    assert Team.objects.get(pk=team.pk).captain == malaysian
    response = client.post(reverse("teams:team-leave", args=[team.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:my-teams")


def test_a_captain_leaving_without_successor_sees_why(client):
    team = TeamFactory()
    client.force_login(team.captain)
    response = client.post(reverse("teams:team-leave", args=[team.pk]), follow=True)
    assert any("captain" in m for m in messages_of(response))


def test_join_with_a_code_and_with_a_full_team(client, bottleneck):
    team = TeamFactory()
    joiner = ParticipantFactory()
    client.force_login(joiner)
    response = client.post(reverse("teams:team-join"), {"code": team.join_code})
    assert response.url == reverse("teams:team-detail", args=[team.pk])
    full = TeamFactory(members=["CN", "CN"])
    RegistrationFactory(team=full, challenge=bottleneck)
    response = client.post(reverse("teams:team-join"), {"code": full.join_code}, follow=True)
    assert any("full" in m for m in messages_of(response))


def test_the_join_form_takes_a_long_join_code(client):
    team = TeamFactory()
    team = services.team_regenerate_join_code(team_id=team.pk, actor=team.captain)
    client.force_login(ParticipantFactory())
    spaced = " ".join(team.join_code[i : i + 4] for i in range(0, len(team.join_code), 4))
    response = client.post(reverse("teams:team-join"), {"code": spaced})
    assert response.url == reverse("teams:team-detail", args=[team.pk])


def test_invitation_page_accept_and_reuse(client):
    invitee = ParticipantFactory()
    invitation = InvitationFactory(email=invitee.email)
    url = reverse("teams:invitation", args=[invitation.token])
    client.force_login(invitee)
    assert "Accept" in client.get(url).content.decode()
    response = client.post(url, {"answer": "accept"})
    assert response.url == reverse("teams:team-detail", args=[invitation.team_id])
    page = client.get(url).content.decode()
    assert "already accepted" in page


def test_invitation_page_for_the_wrong_account_and_expired(client):
    invitation = InvitationFactory(email="other@example.org")
    client.force_login(ParticipantFactory())
    page = client.get(reverse("teams:invitation", args=[invitation.token])).content.decode()
    assert "This invitation was sent to other@example.org" in page
    invitee = ParticipantFactory()
    expired = InvitationFactory(email=invitee.email, expires_at=timezone.now() - timedelta(days=1))
    client.force_login(invitee)
    url = reverse("teams:invitation", args=[expired.token])
    assert "expired" in client.get(url).content.decode()
    client.post(url, {"answer": "accept"})
    assert Invitation.objects.get(pk=expired.pk).status == InvitationStatus.PENDING
    assert client.get(reverse("teams:invitation", args=["nope"])).status_code == 404


def test_frozen_team_says_so(client, industrial):
    team = TeamFactory(members=["TH"])
    RegistrationFactory(team=team, challenge=industrial)
    industrial.team_lock_at = timezone.now() - timedelta(hours=1)
    industrial.save()
    client.force_login(team.captain)
    html = client.get(reverse("teams:team-detail", args=[team.pk])).content.decode()
    assert 'id="frozen"' in html


def test_my_teams_lists_teams_and_invitations(client):
    user = ParticipantFactory()
    team = TeamFactory(members=["TH"])
    team.memberships.create(user=user)
    InvitationFactory(email=user.email)
    client.force_login(user)
    html = client.get(reverse("teams:my-teams")).content.decode()
    assert team.name in html
    assert "Invitations for you" in html
    assert "badge cross-border" in html


def test_team_page_queries_do_not_grow_with_members(client, industrial, bottleneck, talent):
    small = TeamFactory(members=["TH"])
    big = TeamFactory(members=["TH", "MY", "VN", "SG"])
    counts = []
    for team in (small, big):
        client.force_login(team.captain)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("teams:team-detail", args=[team.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20, counts


def test_registering_a_team_that_breaks_a_rule_says_why_it_stays_pending(client, industrial):
    team = TeamFactory(members=["CN"])
    client.force_login(team.captain)
    response = client.post(
        reverse("teams:team-register", args=[team.pk, industrial.pk]), follow=True
    )
    assert Registration.objects.get().status == "pending"
    [warning] = [m for m in messages_of(response) if "stays pending" in m]
    assert warning.startswith("The registration stays pending until every rule passes: ")
    assert "Add a member from an ASEAN member state" in warning
    assert "percent of a team may come from one country" in warning


def test_a_member_whose_profile_change_breaks_the_team_is_told_and_the_team_sees_it(
    client, industrial
):
    team = TeamFactory(members=["TH"])
    RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    client.force_login(thai)
    response = client.post(
        reverse("teams:profile"),
        {
            "display_name": thai.profile.display_name,
            "nationality": "CN",
            "residence": "CN",
            "participant_type": "university",
            "organisation": thai.profile.organisation_id,
        },
        follow=True,
    )
    [warning] = [m for m in messages_of(response) if "review" in m]
    assert warning.startswith(f"“{team.name}” in “{industrial.title}” now breaks a rule")
    assert "Add a member from an ASEAN member state" in warning
    page = client.get(reverse("teams:team-detail", args=[team.pk])).content.decode()
    assert "Needs review" in page
    assert "The team may not submit until an organizer verifies the registration again." in page


def test_badges_and_regions_follow_the_tracks_basis_and_say_which(client, industrial, bottleneck):
    captain = ParticipantFactory(nationality="CN", residence="MY")
    team = TeamFactory(captain=captain, members=["CN"])
    client.force_login(captain)
    page = client.get(reverse("teams:team-detail", args=[team.pk])).content.decode()
    by_residence = page[page.index(f'id="challenge-{bottleneck.pk}"') :]
    by_nationality = page[page.index(f'id="challenge-{industrial.pk}"') :]
    by_nationality = by_nationality[: by_nationality.index("</section>")]
    by_residence = by_residence[: by_residence.index("</section>")]
    assert "badge cross-border" in by_residence
    assert f"{captain.profile.display_name}: ASEAN (Malaysia)" in by_residence
    assert "badge cross-border" not in by_nationality
    assert f"{captain.profile.display_name}: China (China)" in by_nationality
    public = client.get(reverse("teams:team-public", args=[team.pk])).content.decode()
    assert "Regions are counted by nationality." in public
    assert "badge cross-border" not in public
