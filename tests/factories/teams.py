"""Factories of the teams app."""

import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from league.models import OrganisationType, ParticipantType
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
from tests.factories.league import ChallengeFactory, UserFactory

__all__ = [
    "InvitationFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "ParticipantFactory",
    "ProfileFactory",
    "RegistrationFactory",
    "TeamFactory",
]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.UNIVERSITY
    country = "CN"


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Member {n}")
    nationality = "CN"
    residence = factory.LazyAttribute(lambda p: p.nationality)
    participant_type = ParticipantType.UNIVERSITY
    organisation = factory.SubFactory(
        OrganisationFactory, country=factory.SelfAttribute("..nationality")
    )


def ParticipantFactory(**profile_fields):
    """A user with a completed profile (``nationality="TH"`` etc.)."""
    return ProfileFactory(**profile_fields).user


class TeamFactory(factory.django.DjangoModelFactory):
    """A team whose captain (with a profile) is its first member.

    ``TeamFactory(members=["TH", "CN"])`` adds members with those nationalities."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    captain = factory.LazyFunction(lambda: ParticipantFactory())
    join_code = factory.LazyFunction(lambda: secrets.token_hex(4).upper())

    @factory.post_generation
    def members(team, create, extracted, **kwargs):
        if not create:
            return
        Membership.objects.get_or_create(team=team, user=team.captain)
        for nationality in extracted or []:
            Membership.objects.create(team=team, user=ParticipantFactory(nationality=nationality))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.LazyFunction(lambda: ParticipantFactory())


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    invited_by = factory.SelfAttribute("team.captain")
    status = InvitationStatus.PENDING
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    team = factory.SubFactory(TeamFactory)
    challenge = factory.SubFactory(ChallengeFactory)
    status = RegistrationStatus.VERIFIED
