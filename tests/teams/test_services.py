"""Every team action through its service: what it does, what it refuses, and
that a refusal leaves nothing half-stored."""

import math
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone

from league.errors import ApplicationError, Conflict, Forbidden, NotFound, RuleViolation
from league.models import CountryRegion, OrganisationType, ParticipantType, Region
from teams import selectors, services
from teams.models import (
    Invitation,
    InvitationStatus,
    Membership,
    Organisation,
    Profile,
    Registration,
    RegistrationStatus,
    Team,
)
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    return {
        "display_name": "Somchai",
        "nationality": "TH",
        "residence": "TH",
        "participant_type": ParticipantType.UNIVERSITY,
        **overrides,
    }


# ---------------------------------------------------------------- profiles


def test_profile_update_creates_a_profile_with_a_new_organisation():
    user = UserFactory()
    profile = services.profile_update(
        user=user,
        **profile_data(
            new_organisation={
                "name": "Chulalongkorn University",
                "type": "university",
                "country": "th",
            }
        ),
    )
    assert profile.nationality.code == "TH"
    assert profile.organisation.name == "Chulalongkorn University"
    assert profile.organisation.country.code == "TH"
    assert selectors.region_table().region(profile.nationality.code) == Region.ASEAN


def test_profile_update_reuses_an_organisation_with_the_same_name_and_country():
    existing = OrganisationFactory(name="Guangxi University", country="CN")
    user = UserFactory()
    profile = services.profile_update(
        user=user,
        **profile_data(
            new_organisation={"name": "guangxi university", "type": "university", "country": "CN"}
        ),
    )
    assert profile.organisation == existing
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("field", ["nationality", "residence"])
def test_an_unknown_country_code_is_refused_clearly_and_nothing_is_stored(field):
    user = UserFactory()
    with pytest.raises(ApplicationError) as caught:
        services.profile_update(
            user=user,
            **profile_data(
                **{field: "XX"},
                new_organisation={"name": "New Org", "type": "startup", "country": "TH"},
            ),
        )
    assert caught.value.code == "unknown_country"
    assert "“XX” is not a known country code" in caught.value.message
    assert field in caught.value.details
    assert not Profile.objects.filter(user=user).exists()
    assert not Organisation.objects.exists()


def same_organisation(user, **overrides):
    return profile_data(organisation_id=user.profile.organisation_id, **overrides)


def test_a_profile_change_that_breaks_a_verified_team_flags_it_for_review(industrial, talent):
    team = TeamFactory(members=["TH"])
    verified = RegistrationFactory(team=team, challenge=industrial)
    pending = RegistrationFactory(team=team, challenge=talent, status=RegistrationStatus.PENDING)
    thai = team.memberships.exclude(user=team.captain).get().user
    profile = services.profile_update(
        user=thai, **same_organisation(thai, nationality="CN", residence="CN")
    )
    assert profile.nationality.code == "CN"
    verified.refresh_from_db()
    assert verified.status == RegistrationStatus.NEEDS_REVIEW
    assert verified.flagged_at is not None
    codes = [r["code"] for r in verified.review_reasons]
    assert codes == ["cross_border_needs_asean", "country_share_exceeded"]
    assert verified.review_reasons[0]["message"].startswith("Add a member from an ASEAN")
    pending.refresh_from_db()
    assert pending.status == RegistrationStatus.PENDING


def test_a_profile_change_that_breaks_nothing_keeps_the_registration_verified(industrial):
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    services.profile_update(user=thai, **same_organisation(thai))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.VERIFIED
    assert registration.review_reasons == []


def test_only_an_organizer_returns_a_flagged_registration_to_verified(industrial):
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    services.profile_update(user=thai, **same_organisation(thai, nationality="CN", residence="CN"))
    # The member puts it right: the team meets the rules again, still flagged.
    services.profile_update(user=thai, **same_organisation(thai, nationality="TH", residence="TH"))
    for _ in range(2):
        services.registration_recheck(registration_id=registration.pk)
        assert services.registrations_recheck() == 0
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW
    flagged_at = registration.flagged_at
    organizer = UserFactory()
    services.registration_verify(registration_id=registration.pk, actor=organizer)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.VERIFIED
    assert registration.decided_by == organizer
    assert (registration.flagged_at, registration.review_reasons) == (None, [])
    assert flagged_at is not None


def test_an_organizer_cannot_verify_a_flagged_registration_while_the_rule_is_broken(industrial):
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    services.profile_update(user=thai, **same_organisation(thai, nationality="CN", residence="CN"))
    with pytest.raises(RuleViolation) as caught:
        services.registration_verify(registration_id=registration.pk, actor=UserFactory())
    assert caught.value.violations[0].code == "cross_border_needs_asean"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW


def test_a_change_of_the_tracks_rules_flags_its_verified_registrations_only(industrial, talent):
    team = TeamFactory(members=["TH", "VN"])
    broken = RegistrationFactory(team=team, challenge=industrial)
    other_track = RegistrationFactory(challenge=talent)
    industrial.track.max_members = 2
    industrial.track.save()
    assert services.registrations_recheck(track_id=industrial.track_id) == 1
    broken.refresh_from_db()
    other_track.refresh_from_db()
    assert broken.status == RegistrationStatus.NEEDS_REVIEW
    assert [r["code"] for r in broken.review_reasons] == ["too_many_members"]
    assert other_track.status == RegistrationStatus.VERIFIED
    # Running it again changes nothing.
    assert services.registrations_recheck(track_id=industrial.track_id) == 0
    broken.refresh_from_db()
    assert broken.status == RegistrationStatus.NEEDS_REVIEW


def test_a_change_of_the_region_table_flags_the_teams_it_breaks(industrial):
    registration = RegistrationFactory(team=TeamFactory(members=["TL"]), challenge=industrial)
    untouched = RegistrationFactory(team=TeamFactory(members=["TH"]), challenge=industrial)
    CountryRegion.objects.filter(country="TL").update(region=Region.OTHER)
    from teams import tasks

    assert tasks.recheck_registrations.apply(kwargs={"track_id": None}).get() == 1
    registration.refresh_from_db()
    untouched.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW
    assert [r["code"] for r in registration.review_reasons] == ["cross_border_needs_asean"]
    assert untouched.status == RegistrationStatus.VERIFIED


# ---------------------------------------------------------------- teams


def test_team_create_makes_the_creator_captain_and_first_member():
    user = ParticipantFactory()
    team = services.team_create(user=user, name="  Mekong   Minds ")
    assert team.name == "Mekong Minds"
    assert team.captain == user
    assert list(team.memberships.values_list("user", flat=True)) == [user.pk]


def test_join_codes_carry_at_least_60_random_bits_and_are_typed_loosely():
    """A join code lets anyone in: too short, it can be guessed."""
    from teams.services.teams import JOIN_CODE_ALPHABET

    team = services.team_create(user=ParticipantFactory(), name="Lancang")
    old = team.join_code
    team = services.team_regenerate_join_code(team_id=team.pk, actor=team.captain)
    for code in (old, team.join_code):
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert len(code) * math.log2(len(JOIN_CODE_ALPHABET)) >= 60
    typed = " - ".join([team.join_code[:4].lower(), team.join_code[4:8], team.join_code[8:]])
    services.team_join(user=(joiner := ParticipantFactory()), code=typed)
    assert selectors.is_member(user=joiner, team_id=team.pk)


def test_team_create_needs_a_profile():
    user = UserFactory()
    with pytest.raises(services.ProfileRequired):
        services.team_create(user=user, name="No profile")
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "team_name_required"),
        ("   ", "team_name_required"),
        ("mekong minds", "team_name_taken"),
        ("x" * 81, "team_name_too_long"),
    ],
)
def test_team_create_refuses_a_bad_name_and_stores_nothing(name, code):
    TeamFactory(name="Mekong Minds")
    user = ParticipantFactory()
    with pytest.raises(ApplicationError) as caught:
        services.team_create(user=user, name=name)
    assert caught.value.code == code
    assert Team.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()


def test_only_the_captain_renames_and_outsiders_do_not_see_the_team():
    team = TeamFactory(members=["TH"])
    member = team.memberships.exclude(user=team.captain).get().user
    services.team_rename(team_id=team.pk, actor=team.captain, name="Lancang Lab")
    assert Team.objects.get(pk=team.pk).name == "Lancang Lab"
    with pytest.raises(Forbidden):
        services.team_rename(team_id=team.pk, actor=member, name="Mine now")
    with pytest.raises(NotFound):
        services.team_rename(team_id=team.pk, actor=ParticipantFactory(), name="Mine now")
    TeamFactory(name="Taken")
    with pytest.raises(Conflict):
        services.team_rename(team_id=team.pk, actor=team.captain, name="TAKEN")
    assert Team.objects.get(pk=team.pk).name == "Lancang Lab"


def test_a_new_join_code_replaces_the_old_one():
    team = TeamFactory()
    old = team.join_code
    services.team_regenerate_join_code(team_id=team.pk, actor=team.captain)
    team.refresh_from_db()
    assert team.join_code != old
    with pytest.raises(ApplicationError) as caught:
        services.team_join(user=ParticipantFactory(), code=old)
    assert caught.value.code == "unknown_join_code"
    joiner = ParticipantFactory()
    services.team_join(user=joiner, code=team.join_code.lower())
    assert selectors.is_member(user=joiner, team_id=team.pk)


def test_joining_a_full_team_is_refused(bottleneck):
    team = TeamFactory(members=["CN", "CN"])
    RegistrationFactory(team=team, challenge=bottleneck)  # at most 3 members
    joiner = ParticipantFactory()
    with pytest.raises(Conflict) as caught:
        services.team_join(user=joiner, code=team.join_code)
    assert caught.value.code == "team_full"
    assert "full" in caught.value.message
    assert team.memberships.count() == 3


def test_joining_twice_is_refused():
    team = TeamFactory()
    with pytest.raises(Conflict):
        services.team_join(user=team.captain, code=team.join_code)


def test_a_member_leaves_but_the_captain_needs_a_successor():
    team = TeamFactory(members=["TH"])
    member = team.memberships.exclude(user=team.captain).get().user
    with pytest.raises(Conflict) as caught:
        services.team_leave(team_id=team.pk, user=team.captain)
    assert caught.value.code == "captain_cannot_leave"
    assert "Hand the captaincy" in caught.value.message
    services.team_leave(team_id=team.pk, user=member)
    assert list(team.memberships.values_list("user", flat=True)) == [team.captain_id]
    with pytest.raises(Conflict) as caught:
        services.team_leave(team_id=team.pk, user=team.captain)
    assert "only member" in caught.value.message


def test_the_captain_removes_a_member_and_hands_over_the_captaincy():
    team = TeamFactory(members=["TH", "MY"])
    thai, malaysian = [m.user for m in team.memberships.exclude(user=team.captain)]
    services.team_remove_member(team_id=team.pk, actor=team.captain, user_id=thai.pk)
    assert not selectors.is_member(user=thai, team_id=team.pk)
    services.team_transfer_captaincy(team_id=team.pk, actor=team.captain, user_id=malaysian.pk)
    assert Team.objects.get(pk=team.pk).captain == malaysian
    with pytest.raises(Forbidden):
        services.team_remove_member(team_id=team.pk, actor=team.captain, user_id=malaysian.pk)
    with pytest.raises(NotFound):
        services.team_transfer_captaincy(team_id=team.pk, actor=malaysian, user_id=thai.pk)


# ---------------------------------------------------------------- invitations


def test_an_invitation_is_e_mailed_after_commit_once(django_capture_on_commit_callbacks):
    team = TeamFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        invitation = services.invitation_create(
            team_id=team.pk, actor=team.captain, email="Friend@Example.org"
        )
    assert len(callbacks) == 1, "the e-mail job is handed to the broker only after commit"
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    assert services.invitation_send_email(invitation_id=invitation.pk) is True
    assert services.invitation_send_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Friend@Example.org"]
    assert team.name in message.subject
    assert f"/teams/invitations/{invitation.token}/" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


class DuplicateDuringSend(locmem.EmailBackend):
    """Delivers a duplicate of the e-mail task while the first one is sending."""

    def send_messages(self, messages):
        if not getattr(DuplicateDuringSend, "busy", False):
            DuplicateDuringSend.busy = True
            try:
                invitation = Invitation.objects.get(email=messages[0].to[0])
                assert services.invitation_send_email(invitation_id=invitation.pk) is False
            finally:
                DuplicateDuringSend.busy = False
        return super().send_messages(messages)


def test_a_duplicate_task_sends_one_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.DuplicateDuringSend"
    invitation = InvitationFactory()
    assert services.invitation_send_email(invitation_id=invitation.pk) is True
    assert services.invitation_send_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


class BrokenSmtp(locmem.EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_that_failed_to_send_is_sent_again_later(settings):
    invitation = InvitationFactory()
    settings.EMAIL_BACKEND = f"{__name__}.BrokenSmtp"
    with pytest.raises(ConnectionRefusedError):
        services.invitation_send_email(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.invitation_send_email(invitation_id=invitation.pk) is True
    assert len(mail.outbox) == 1


def test_the_sweeper_publishes_only_invitations_whose_mail_is_still_owed():
    now = timezone.now()
    owed = InvitationFactory(mail_queued_at=None)
    lost = InvitationFactory(mail_queued_at=now - timedelta(hours=1))
    InvitationFactory(mail_queued_at=now)  # just handed to the broker
    InvitationFactory(mail_queued_at=None, sent_at=now)
    InvitationFactory(mail_queued_at=None, status=InvitationStatus.REVOKED)
    InvitationFactory(mail_queued_at=None, expires_at=now - timedelta(minutes=1))
    InvitationFactory(mail_queued_at=None, mail_sending_at=now)  # a task is sending it
    assert services.invitations_publish_unsent(now=now) == 2
    owed.refresh_from_db()
    lost.refresh_from_db()
    assert owed.mail_queued_at == lost.mail_queued_at == now


def test_the_task_sends_through_the_service():
    from teams.tasks import send_invitation_email

    invitation = InvitationFactory()
    assert send_invitation_email.run(invitation.pk) is True
    assert len(mail.outbox) == 1


def test_inviting_again_renews_the_pending_invitation():
    team = TeamFactory()
    first = services.invitation_create(team_id=team.pk, actor=team.captain, email="a@example.org")
    again = services.invitation_create(team_id=team.pk, actor=team.captain, email="A@example.org")
    assert first.pk == again.pk
    assert Invitation.objects.count() == 1


def test_inviting_a_member_or_a_bad_address_is_refused():
    team = TeamFactory()
    with pytest.raises(Conflict):
        services.invitation_create(team_id=team.pk, actor=team.captain, email=team.captain.email)
    with pytest.raises(ApplicationError) as caught:
        services.invitation_create(team_id=team.pk, actor=team.captain, email="not-an-address")
    assert caught.value.code == "invalid_email"
    assert not Invitation.objects.exists()


def test_accepting_an_invitation_joins_the_team():
    invitee = ParticipantFactory()
    invitation = InvitationFactory(email=invitee.email.upper())
    services.invitation_accept(invitation_id=invitation.pk, user=invitee)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert selectors.is_member(user=invitee, team_id=invitation.team_id)
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(invitation_id=invitation.pk, user=invitee)
    assert caught.value.code == "invitation_used"


def test_only_the_invited_address_may_answer():
    invitation = InvitationFactory(email="someone@example.org")
    with pytest.raises(NotFound):
        services.invitation_accept(invitation_id=invitation.pk, user=ParticipantFactory())
    with pytest.raises(ApplicationError) as caught:
        services.check_invitee(invitation=invitation, user=ParticipantFactory())
    assert "someone@example.org" in caught.value.message


def test_an_expired_invitation_is_refused_and_nothing_changes():
    invitee = ParticipantFactory()
    invitation = InvitationFactory(
        email=invitee.email, expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Conflict) as caught:
        services.invitation_accept(invitation_id=invitation.pk, user=invitee)
    assert caught.value.code == "invitation_expired"
    assert not selectors.is_member(user=invitee, team_id=invitation.team_id)
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_declining_and_revoking():
    invitee = ParticipantFactory()
    invitation = InvitationFactory(email=invitee.email)
    services.invitation_decline(invitation_id=invitation.pk, user=invitee)
    assert Invitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED
    other = InvitationFactory()
    with pytest.raises(NotFound):
        services.invitation_revoke(invitation_id=other.pk, actor=ParticipantFactory())
    services.invitation_revoke(invitation_id=other.pk, actor=other.team.captain)
    assert Invitation.objects.get(pk=other.pk).status == InvitationStatus.REVOKED


def test_accepting_needs_a_profile():
    invitee = UserFactory()
    invitation = InvitationFactory(email=invitee.email)
    with pytest.raises(services.ProfileRequired):
        services.invitation_accept(invitation_id=invitation.pk, user=invitee)


# ---------------------------------------------------------------- registrations


def test_a_composition_breaking_a_rule_is_registered_pending_with_its_reasons(industrial):
    team = TeamFactory(members=["CN"])
    registration = services.registration_create(
        team_id=team.pk, actor=team.captain, challenge_id=industrial.pk
    )
    assert registration.status == RegistrationStatus.PENDING
    checklist = selectors.checklist_for(team=team, challenge=industrial)
    assert [v.code for v in checklist.violations] == [
        "cross_border_needs_asean",
        "country_share_exceeded",
    ]
    with pytest.raises(RuleViolation):
        services.registration_verify(registration_id=registration.pk, actor=UserFactory())


def test_a_talent_entry_that_passes_is_verified_at_once(talent):
    team = TeamFactory()
    registration = services.registration_create(
        team_id=team.pk, actor=team.captain, challenge_id=talent.pk
    )
    assert registration.status == RegistrationStatus.VERIFIED
    found = selectors.registration_of_user(user=team.captain, challenge_id=talent.pk)
    assert found == registration
    assert found.status == RegistrationStatus.VERIFIED


def test_only_the_captain_registers(talent):
    team = TeamFactory(members=["TH"])
    member = team.memberships.exclude(user=team.captain).get().user
    with pytest.raises(Forbidden):
        services.registration_create(team_id=team.pk, actor=member, challenge_id=talent.pk)
    with pytest.raises(NotFound):
        services.registration_create(
            team_id=team.pk, actor=ParticipantFactory(), challenge_id=talent.pk
        )
    assert not Registration.objects.exists()


def test_a_person_in_two_teams_of_one_challenge_is_refused(bottleneck):
    first = TeamFactory()
    RegistrationFactory(team=first, challenge=bottleneck)
    second = TeamFactory()
    Membership.objects.create(team=second, user=first.captain)
    with pytest.raises(RuleViolation) as caught:
        services.registration_create(
            team_id=second.pk, actor=second.captain, challenge_id=bottleneck.pk
        )
    assert [v.code for v in caught.value.violations] == ["person_teams_per_challenge"]
    assert not Registration.objects.filter(team=second).exists()


def test_the_track_limit_counts_the_other_challenges_of_the_track(talent):
    from tests.factories import ChallengeFactory

    other_challenge = ChallengeFactory(track=talent.track)
    team = TeamFactory()
    RegistrationFactory(team=team, challenge=talent)
    second = TeamFactory()
    Membership.objects.create(team=second, user=team.captain)
    with pytest.raises(RuleViolation) as caught:
        services.registration_create(
            team_id=second.pk, actor=second.captain, challenge_id=other_challenge.pk
        )
    assert [v.code for v in caught.value.violations] == ["person_teams_in_track"]
    # The same team may enter the track's other challenge.
    services.registration_create(
        team_id=team.pk, actor=team.captain, challenge_id=other_challenge.pk
    )


def test_registering_twice_is_refused(talent):
    team = TeamFactory()
    services.registration_create(team_id=team.pk, actor=team.captain, challenge_id=talent.pk)
    with pytest.raises(Conflict):
        services.registration_create(team_id=team.pk, actor=team.captain, challenge_id=talent.pk)


def test_a_rejected_team_may_register_again(talent):
    registration = RegistrationFactory(
        challenge=talent, status=RegistrationStatus.REJECTED, rejection_reason="Fake names"
    )
    team = registration.team
    again = services.registration_create(
        team_id=team.pk, actor=team.captain, challenge_id=talent.pk
    )
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.VERIFIED
    assert again.rejection_reason == ""


# ---------------------------------------------------------------- after registration


def test_a_change_that_breaks_a_registered_challenge_is_refused(industrial):
    team = TeamFactory(members=["TH"])
    RegistrationFactory(team=team, challenge=industrial)
    thai = team.memberships.exclude(user=team.captain).get().user
    with pytest.raises(RuleViolation) as caught:
        services.team_leave(team_id=team.pk, user=thai)
    codes = {v.code for v in caught.value.violations}
    assert "cross_border_needs_asean" in codes
    assert industrial.title in caught.value.message
    assert selectors.is_member(user=thai, team_id=team.pk)


def test_joining_a_second_team_of_the_same_challenge_is_refused(bottleneck):
    first = TeamFactory()
    RegistrationFactory(team=first, challenge=bottleneck)
    second = TeamFactory()
    RegistrationFactory(team=second, challenge=bottleneck)
    with pytest.raises(RuleViolation) as caught:
        services.team_join(user=first.captain, code=second.join_code)
    assert caught.value.violations[0].code == "person_teams_per_challenge"
    assert not selectors.is_member(user=first.captain, team_id=second.pk)


def test_a_region_table_edit_changes_the_checklist(industrial):
    team = TeamFactory(members=["JP"])
    assert not selectors.checklist_for(team=team, challenge=industrial).passed
    CountryRegion.objects.filter(country="JP").update(region=Region.ASEAN)
    assert selectors.checklist_for(team=team, challenge=industrial).passed


def test_after_the_team_lock_membership_is_frozen(industrial):
    team = TeamFactory(members=["TH", "MY"])
    RegistrationFactory(team=team, challenge=industrial)
    industrial.team_lock_at = timezone.now() - timedelta(hours=1)
    industrial.save()
    malaysian = team.memberships.get(user__profile__nationality="MY").user
    with pytest.raises(Conflict) as caught:
        services.team_leave(team_id=team.pk, user=malaysian)
    assert caught.value.code == "team_frozen"
    with pytest.raises(Conflict):
        services.team_join(user=ParticipantFactory(nationality="VN"), code=team.join_code)
    assert team.memberships.count() == 3


def test_organizers_reject_with_a_reason_and_verify(talent):
    registration = RegistrationFactory(challenge=talent, status=RegistrationStatus.PENDING)
    organizer = UserFactory(is_staff=True)
    with pytest.raises(ApplicationError) as caught:
        services.registration_reject(registration_id=registration.pk, actor=organizer, reason=" ")
    assert caught.value.code == "reason_required"
    services.registration_reject(
        registration_id=registration.pk, actor=organizer, reason="Duplicate team"
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.rejection_reason == "Duplicate team"
    services.registration_verify(registration_id=registration.pk, actor=organizer)
    registration.refresh_from_db()
    assert registration.is_verified
    assert registration.decided_by == organizer


def test_cross_border_badge_follows_current_members():
    team = TeamFactory(members=["TH"])
    loaded = selectors.team_get_for_member(user=team.captain, team_id=team.pk)
    assert selectors.team_summary(team=loaded).cross_border
    thai = team.memberships.exclude(user=team.captain).get().user
    services.team_leave(team_id=team.pk, user=thai)
    loaded = selectors.team_get_for_member(user=team.captain, team_id=team.pk)
    assert not selectors.team_summary(team=loaded).cross_border


def test_organisation_type_none_for_members_without_organisation(industrial):
    team = TeamFactory(members=["TH"])
    Profile.objects.filter(user=team.captain).update(organisation=None)
    checklist = selectors.checklist_for(team=team, challenge=industrial)
    assert [v.code for v in checklist.violations] == ["organisation_type_not_allowed"]
    assert OrganisationType.NONE not in industrial.track.allowed_organisation_types


def test_the_invitation_remembers_the_captains_language():
    from django.utils import translation

    team = TeamFactory()
    with translation.override("zh-hans"):
        invitation = services.invitation_create(
            team_id=team.pk, actor=team.captain, email="friend@example.org"
        )
    assert invitation.language == "zh-hans"
    assert services.invitation_send_email(invitation_id=invitation.pk)


def test_a_team_flagged_for_too_many_members_may_shrink_step_by_step(industrial):
    team = TeamFactory(members=["TH", "VN", "MY"])
    registration = RegistrationFactory(team=team, challenge=industrial)
    industrial.track.max_members = 2
    industrial.track.save()
    services.registrations_recheck(track_id=industrial.track_id)
    members = list(team.memberships.exclude(user=team.captain).values_list("user_id", flat=True))
    # Still one too many after this, but fewer than before: the way out is open.
    services.team_remove_member(team_id=team.pk, actor=team.captain, user_id=members[0])
    services.team_remove_member(team_id=team.pk, actor=team.captain, user_id=members[1])
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.NEEDS_REVIEW
    assert selectors.checklist_for(team=team, challenge=industrial).passed
    # But a team at the limit may not grow.
    with pytest.raises(Conflict) as caught:
        services.team_join(user=ParticipantFactory(nationality="SG"), code=team.join_code)
    assert caught.value.code == "team_full"


# ---------------------------------------------------------------- judges and history


def _make_judge_role(user):
    from django.contrib.auth.models import Group

    from league.accounts import JUDGES

    user.groups.add(Group.objects.get(name=JUDGES))


def test_a_judge_cannot_join_a_team_by_code_or_invitation():
    team = TeamFactory()
    judge = ParticipantFactory()
    _make_judge_role(judge)
    with pytest.raises(Forbidden) as caught:
        services.team_join(user=judge, code=team.join_code)
    assert caught.value.code == "judge_cannot_join"
    assert "Judges cannot join teams" in caught.value.message

    invitation = InvitationFactory(team=team, email=judge.email)
    with pytest.raises(Forbidden) as caught:
        services.invitation_accept(invitation_id=invitation.pk, user=judge)
    assert caught.value.code == "judge_cannot_join"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
    assert not selectors.is_member(user=judge, team_id=team.pk)


def test_the_refusal_of_a_judge_reads_in_chinese():
    from django.utils import translation

    team = TeamFactory()
    judge = ParticipantFactory()
    _make_judge_role(judge)
    with translation.override("zh-hans"):
        with pytest.raises(Forbidden) as caught:
            services.team_join(user=judge, code=team.join_code)
        assert "评审" in str(caught.value.message)


def test_the_membership_history_keeps_who_joined_left_and_was_removed():
    team = TeamFactory()
    leaver, removed = ParticipantFactory(), ParticipantFactory()
    services.team_join(user=leaver, code=team.join_code)
    services.team_join(user=removed, code=team.join_code)
    services.team_leave(team_id=team.pk, user=leaver)
    services.team_remove_member(team_id=team.pk, actor=team.captain, user_id=removed.pk)

    assert list(team.memberships.values_list("user", flat=True)) == [team.captain_id]
    history = list(team.membership_events.values_list("user_id", "kind", "by_id"))
    assert history == [
        (leaver.pk, "joined", None),
        (removed.pk, "joined", None),
        (leaver.pk, "left", None),
        (removed.pk, "removed", team.captain_id),
    ]
    ever = selectors.teams_ever_joined(user_ids=[leaver.pk, removed.pk, team.captain_id])
    assert ever[leaver.pk] == {team.pk} and ever[removed.pk] == {team.pk}
    assert ever[team.captain_id] == {team.pk}
