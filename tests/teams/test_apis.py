"""The teams API: every endpoint, errors as {"code", "message", "details"},
404 for outsiders on every object route, query counts pinned on lists."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from league.models import User
from teams.models import Invitation, InvitationStatus, Registration, Team
from tests.factories import (
    InvitationFactory,
    ParticipantFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def test_anonymous_requests_are_refused(api):
    response = api.get(reverse("teams:api-team-list"))
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "details"}


def test_profile_get_and_update(api):
    user = UserFactory()
    as_user(api, user)
    assert api.get(reverse("teams:api-profile")).status_code == 404
    response = api.put(
        reverse("teams:api-profile-update"),
        {
            "display_name": "Nguyen An",
            "nationality": "vn",
            "residence": "CN",
            "participant_type": "researcher",
            "new_organisation": {"name": "VinAI", "type": "company", "country": "VN"},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = api.get(reverse("teams:api-profile")).json()
    assert body["nationality"] == "VN"
    assert body["region"] == "asean"
    assert body["organisation"]["name"] == "VinAI"
    organisations = api.get(reverse("teams:api-organisations"), {"search": "vin"}).json()
    assert [o["name"] for o in organisations["results"]] == ["VinAI"]


def test_organisations_come_in_pages_with_links_to_the_next(api):
    from tests.factories import OrganisationFactory

    for name in ("Alpha Labs", "Beta AI", "Gamma Robotics"):
        OrganisationFactory(name=name)
    as_user(api, UserFactory())
    first = api.get(reverse("teams:api-organisations"), {"limit": 2}).json()
    assert first["count"] == 3 and first["previous"] is None
    assert [o["name"] for o in first["results"]] == ["Alpha Labs", "Beta AI"]
    rest = api.get(first["next"]).json()
    assert [o["name"] for o in rest["results"]] == ["Gamma Robotics"]
    assert rest["next"] is None and rest["previous"]


@pytest.mark.parametrize(
    "query", [{"offset": "null"}, {"limit": "0"}, {"limit": "-5"}, {"limit": "201"}]
)
def test_a_malformed_page_is_refused_not_replaced_by_the_first(api, query):
    as_user(api, UserFactory())
    response = api.get(reverse("teams:api-organisations"), query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "number" in response.json()["message"] or "page" in response.json()["message"]


def test_profile_update_with_an_unknown_country_is_a_clear_400(api):
    as_user(api, UserFactory())
    response = api.put(
        reverse("teams:api-profile-update"),
        {
            "display_name": "X",
            "nationality": "ZZ",
            "residence": "TH",
            "participant_type": "researcher",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_country"
    assert "ZZ" in response.json()["message"]


def test_team_actions_without_a_profile_say_so(api):
    as_user(api, UserFactory())
    response = api.post(reverse("teams:api-team-create"), {"name": "Early birds"})
    assert response.status_code == 403
    assert response.json()["code"] == "profile_required"


def test_create_rename_join_code_and_detail(api):
    captain = ParticipantFactory(nationality="TH")
    as_user(api, captain)
    response = api.post(reverse("teams:api-team-create"), {"name": "Andaman AI"})
    assert response.status_code == 201
    team_id = response.json()["id"]
    assert response.json()["members"][0]["email"] == captain.email
    taken = api.post(reverse("teams:api-team-create"), {"name": "andaman ai"})
    assert taken.status_code == 409
    assert taken.json()["code"] == "team_name_taken"
    empty = api.post(reverse("teams:api-team-create"), {"name": ""})
    assert empty.status_code == 400
    assert empty.json()["code"] == "team_name_required"
    renamed = api.post(reverse("teams:api-team-rename", args=[team_id]), {"name": "Andaman"})
    assert renamed.json()["name"] == "Andaman"
    old_code = Team.objects.get(pk=team_id).join_code
    code = api.post(reverse("teams:api-team-join-code", args=[team_id])).json()["join_code"]
    assert code != old_code
    detail = api.get(reverse("teams:api-team-detail", args=[team_id])).json()
    assert detail["join_code"] == code
    assert detail["cross_border"] is False


def test_join_leave_remove_and_transfer(api):
    team = TeamFactory()
    joiner = ParticipantFactory(nationality="MY")
    as_user(api, joiner)
    response = api.post(reverse("teams:api-team-join"), {"code": team.join_code})
    assert response.status_code == 200
    assert response.json()["cross_border"] is True
    assert api.post(reverse("teams:api-team-leave", args=[team.pk])).status_code == 204
    api.post(reverse("teams:api-team-join"), {"code": team.join_code})
    as_user(api, team.captain)
    transfer = api.post(reverse("teams:api-team-transfer", args=[team.pk]), {"user_id": joiner.pk})
    assert transfer.json()["captain_id"] == joiner.pk
    captain_leaves = api.post(reverse("teams:api-team-leave", args=[team.pk]))
    assert captain_leaves.status_code == 204
    as_user(api, joiner)
    again = api.post(reverse("teams:api-team-leave", args=[team.pk]))
    assert again.status_code == 409
    assert again.json()["code"] == "captain_cannot_leave"
    bad = api.post(reverse("teams:api-team-join"), {"code": "NOPE1234"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "unknown_join_code"


def test_remove_member(api):
    team = TeamFactory(members=["TH"])
    thai = team.memberships.exclude(user=team.captain).get().user
    as_user(api, team.captain)
    url = reverse("teams:api-team-remove-member", args=[team.pk, thai.pk])
    assert api.post(url).status_code == 204
    assert api.post(url).status_code == 404


def test_invitations_through_the_api(api, django_capture_on_commit_callbacks):
    team = TeamFactory()
    invitee = ParticipantFactory(nationality="KH")
    as_user(api, team.captain)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post(
            reverse("teams:api-invitation-create", args=[team.pk]), {"email": invitee.email}
        )
    assert response.status_code == 201
    assert len(callbacks) == 1
    listed = api.get(reverse("teams:api-team-invitations", args=[team.pk])).json()
    assert [i["email"] for i in listed] == [invitee.email]
    as_user(api, invitee)
    mine = api.get(reverse("teams:api-invitations")).json()
    assert [i["team"] for i in mine] == [team.name]
    accept = api.post(reverse("teams:api-invitation-accept", args=[mine[0]["id"]]))
    assert accept.json() == {"team_id": team.pk}
    reused = api.post(reverse("teams:api-invitation-accept", args=[mine[0]["id"]]))
    assert reused.status_code == 409
    assert reused.json()["code"] == "invitation_used"


def test_only_the_captain_sees_the_join_code_and_pending_invitees(api):
    """As on the team page: members see each other, not the way in."""
    invitation = InvitationFactory(team=TeamFactory(members=["TH"]))
    team = invitation.team
    member = team.memberships.exclude(user=team.captain).get().user
    as_user(api, member)
    detail = api.get(reverse("teams:api-team-detail", args=[team.pk]))
    assert detail.json()["join_code"] is None
    assert team.join_code not in detail.content.decode()
    listed = api.get(reverse("teams:api-team-list"))
    assert team.join_code not in listed.content.decode()
    invitations = api.get(reverse("teams:api-team-invitations", args=[team.pk]))
    assert invitations.status_code == 403
    assert invitations.json()["code"] == "captain_only"
    assert invitation.email not in invitations.content.decode()
    as_user(api, team.captain)
    assert api.get(reverse("teams:api-team-detail", args=[team.pk])).json()["join_code"] == (
        team.join_code
    )
    listed = api.get(reverse("teams:api-team-invitations", args=[team.pk])).json()
    assert [i["email"] for i in listed] == [invitation.email]


def test_decline_and_revoke(api):
    invitee = ParticipantFactory()
    invitation = InvitationFactory(email=invitee.email)
    as_user(api, invitee)
    declined = api.post(reverse("teams:api-invitation-decline", args=[invitation.pk]))
    assert declined.json()["status"] == InvitationStatus.DECLINED
    other = InvitationFactory()
    as_user(api, other.team.captain)
    revoked = api.post(reverse("teams:api-invitation-revoke", args=[other.pk]))
    assert revoked.json()["status"] == InvitationStatus.REVOKED


def test_checklist_registration_and_lists(api, industrial, talent):
    team = TeamFactory(members=["CN"])
    as_user(api, team.captain)
    checklist = api.get(reverse("teams:api-team-checklist", args=[team.pk])).json()
    by_challenge = {c["challenge"]: c for c in checklist}
    ev = by_challenge[industrial.title]
    assert ev["passed"] is False
    assert ev["basis"] == "Regions are counted by nationality."
    cross = next(c for c in ev["checks"] if c["code"] == "cross_border")
    assert cross["violations"][0]["message"].startswith("Add a member from an ASEAN member state")
    response = api.post(
        reverse("teams:api-registration-create", args=[team.pk]), {"challenge_id": industrial.pk}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    registrations = api.get(reverse("teams:api-registrations")).json()
    assert [r["challenge"] for r in registrations] == [industrial.title]
    detail = api.get(reverse("teams:api-registration-detail", args=[registrations[0]["id"]]))
    assert detail.json()["team"] == team.name


def test_registration_refused_with_every_reason(api, bottleneck):
    first = TeamFactory()
    RegistrationFactory(team=first, challenge=bottleneck)
    second = TeamFactory()
    second.memberships.create(user=first.captain)
    as_user(api, second.captain)
    response = api.post(
        reverse("teams:api-registration-create", args=[second.pk]), {"challenge_id": bottleneck.pk}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "person_teams_per_challenge"
    assert body["details"]["violations"][0]["code"] == "person_teams_per_challenge"


def test_private_details_only_for_members_public_page_for_all(api):
    team = TeamFactory(members=["TH"])
    outsider = ParticipantFactory()
    as_user(api, outsider)
    public = api.get(reverse("teams:api-team-public", args=[team.pk])).json()
    assert public["name"] == team.name
    assert public["cross_border"] is True
    assert "members" not in public
    assert team.captain.email not in str(public)
    staff = UserFactory(is_staff=True)
    as_user(api, staff)
    refused = api.get(reverse("teams:api-team-detail", args=[team.pk]))
    assert refused.status_code == 404
    assert team.captain.email not in refused.content.decode()
    staff.groups.add(Group.objects.get(name="Organizers"))
    organizer = User.objects.get(pk=staff.pk)  # permissions are cached per instance
    as_user(api, organizer)
    detail = api.get(reverse("teams:api-team-detail", args=[team.pk])).json()
    assert team.captain.email in str(detail)
    assert detail["join_code"] is None


def _object_routes(team, invitation, registration, member):
    return [
        ("get", reverse("teams:api-team-detail", args=[team.pk]), {}),
        ("get", reverse("teams:api-team-checklist", args=[team.pk]), {}),
        ("get", reverse("teams:api-team-invitations", args=[team.pk]), {}),
        ("post", reverse("teams:api-team-rename", args=[team.pk]), {"name": "Mine"}),
        ("post", reverse("teams:api-team-join-code", args=[team.pk]), {}),
        ("post", reverse("teams:api-team-leave", args=[team.pk]), {}),
        ("post", reverse("teams:api-team-remove-member", args=[team.pk, member.pk]), {}),
        ("post", reverse("teams:api-team-transfer", args=[team.pk]), {"user_id": member.pk}),
        ("post", reverse("teams:api-invitation-create", args=[team.pk]), {"email": "x@y.org"}),
        (
            "post",
            reverse("teams:api-registration-create", args=[team.pk]),
            {"challenge_id": registration.challenge_id},
        ),
        ("post", reverse("teams:api-invitation-accept", args=[invitation.pk]), {}),
        ("post", reverse("teams:api-invitation-decline", args=[invitation.pk]), {}),
        ("post", reverse("teams:api-invitation-revoke", args=[invitation.pk]), {}),
        ("get", reverse("teams:api-registration-detail", args=[registration.pk]), {}),
    ]


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "missing"])
def test_outsiders_get_404_on_every_object_route(api, existing):
    team = TeamFactory(members=["TH"])
    member = team.memberships.exclude(user=team.captain).get().user
    invitation = InvitationFactory(team=team)
    registration = RegistrationFactory(team=team)
    if not existing:
        team.pk, invitation.pk, registration.pk = 99999, 99998, 99997
    as_user(api, ParticipantFactory())
    for method, url, data in _object_routes(team, invitation, registration, member):
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code == 404, (url, response.status_code, response.content)
        assert response.json()["code"] == "not_found"
    assert Team.objects.filter(name="Mine").count() == 0
    assert Invitation.objects.filter(email="x@y.org").count() == 0
    assert Registration.objects.count() == 1


def test_team_list_query_count_is_fixed(api, django_assert_max_num_queries):
    user = ParticipantFactory()
    for _ in range(5):
        team = TeamFactory(members=["TH", "MY"])
        team.memberships.create(user=user)
    as_user(api, user)
    with django_assert_max_num_queries(4):
        response = api.get(reverse("teams:api-team-list"))
    assert len(response.json()) == 5
    assert all(len(t["members"]) == 4 for t in response.json())


def test_invitation_and_registration_lists_query_counts(api, django_assert_max_num_queries):
    user = ParticipantFactory()
    for _ in range(5):
        InvitationFactory(email=user.email)
        team = TeamFactory()
        team.memberships.create(user=user)
        RegistrationFactory(team=team)
    as_user(api, user)
    with django_assert_max_num_queries(3):
        assert len(api.get(reverse("teams:api-invitations")).json()) == 5
    with django_assert_max_num_queries(2):
        assert len(api.get(reverse("teams:api-registrations")).json()) == 5
    with django_assert_max_num_queries(3):  # token, count, page
        api.get(reverse("teams:api-organisations"))


def test_checklist_query_count_does_not_grow_with_members(
    api, industrial, bottleneck, talent, django_assert_max_num_queries
):
    team = TeamFactory(members=["TH", "MY", "VN", "CN"])
    as_user(api, team.captain)
    with django_assert_max_num_queries(9):
        response = api.get(reverse("teams:api-team-checklist", args=[team.pk]))
    assert len(response.json()) == 3


def test_the_schema_of_the_teams_api_generates_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate")
    captured = capsys.readouterr()
    assert "/api/teams/{team_id}/checklist/" in captured.out
    assert "PaginatedOrganisationOutputList" in captured.out, "the paged shape is documented"
    assert "teams/apis.py" not in captured.err, captured.err


def test_a_pending_registration_answers_201_with_its_reasons(api, industrial):
    team = TeamFactory(members=["CN"])
    as_user(api, team.captain)
    response = api.post(
        reverse("teams:api-registration-create", args=[team.pk]), {"challenge_id": industrial.pk}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending"
    assert [v["code"] for v in body["violations"]] == [
        "cross_border_needs_asean",
        "country_share_exceeded",
    ]
    assert body["violations"][0]["message"].startswith("Add a member from an ASEAN member state")
    assert set(body["violations"][1]) == {"code", "message", "params"}


def test_a_registration_that_passes_answers_201_with_no_reasons(api, talent):
    team = TeamFactory()
    as_user(api, team.captain)
    response = api.post(
        reverse("teams:api-registration-create", args=[team.pk]), {"challenge_id": talent.pk}
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["violations"]) == ("verified", [])


def test_a_flagged_registration_shows_why_in_the_api(api, industrial):
    from teams import services

    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    industrial.track.cross_border_required = False
    industrial.track.max_country_share = Decimal("0.4")
    industrial.track.save()
    services.registrations_recheck(track_id=industrial.track_id)
    as_user(api, team.captain)
    detail = api.get(reverse("teams:api-registration-detail", args=[registration.pk])).json()
    assert detail["status"] == "needs_review"
    assert detail["flagged_at"]
    expected = ["country_share_exceeded", "country_share_exceeded"]
    assert [r["code"] for r in detail["review_reasons"]] == expected
    assert [v["code"] for v in detail["violations"]] == expected
    listed = api.get(reverse("teams:api-registrations")).json()
    assert [r["status"] for r in listed] == ["needs_review"]


def test_regions_follow_the_tracks_basis_in_the_checklist(api, industrial, bottleneck):
    captain = ParticipantFactory(nationality="CN", residence="MY")
    team = TeamFactory(captain=captain, members=["CN"])
    as_user(api, captain)
    checklist = api.get(reverse("teams:api-team-checklist", args=[team.pk])).json()
    by_challenge = {c["challenge"]: c for c in checklist}
    by_residence = by_challenge[bottleneck.title]
    assert by_residence["region_basis"] == "residence"
    assert by_residence["cross_border"] is True
    assert {m["user_id"]: m["region"] for m in by_residence["members"]}[captain.pk] == "asean"
    by_nationality = by_challenge[industrial.title]
    assert by_nationality["cross_border"] is False
    assert {m["user_id"]: m["region"] for m in by_nationality["members"]}[captain.pk] == "china"
    profile = api.get(reverse("teams:api-profile")).json()
    assert (profile["region"], profile["region_basis"], profile["residence_region"]) == (
        "china",
        "nationality",
        "asean",
    )


def test_a_judge_is_refused_when_joining_by_code_in_the_api(api):
    team = TeamFactory()
    judge = ParticipantFactory()
    judge.groups.add(Group.objects.get(name="Judges"))
    # The request switches this thread's language: put it back afterwards.
    with translation.override("en"):
        response = as_user(api, judge).post(
            reverse("teams:api-team-join"), {"code": team.join_code}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert response.status_code == 403
    assert response.json()["code"] == "judge_cannot_join"
    assert "评审不能加入队伍" in response.json()["message"]
    assert not team.memberships.filter(user=judge).exists()
