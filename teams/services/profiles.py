"""Profiles and organisations."""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from league.errors import ApplicationError
from league.models import OrganisationType, ParticipantType
from teams.models import Membership, Organisation, Profile
from teams.services._common import lock_team
from teams.services.registrations import registrations_recheck_for_member


def _country_code(value: str, field: str) -> str:
    code = (value or "").strip().upper()
    if code not in countries:
        message = _("“%(code)s” is not a known country code (use ISO codes such as CN or TH).") % {
            "code": value or ""
        }
        raise ApplicationError(message, code="unknown_country", details={field: [message]})
    return code


def _required(value: str, field: str, label) -> str:
    value = (value or "").strip()
    if not value:
        message = _("%(field)s may not be empty.") % {"field": label}
        raise ApplicationError(message, code="required", details={field: [message]})
    return value


def _choice(value: str, field: str, choices) -> str:
    if value not in dict(choices):
        message = _("“%(value)s” is not a valid choice.") % {"value": value}
        raise ApplicationError(message, code="invalid_choice", details={field: [message]})
    return value


@transaction.atomic
def organisation_create(*, name: str, type: str, country: str) -> Organisation:
    """The organisation with this name in this country, created if new."""
    name = _required(name, "name", _("The organisation's name"))
    country = _country_code(country, "country")
    type = _choice(type, "type", OrganisationType.choices)
    existing = (
        Organisation.objects.annotate(lower_name=Lower("name"))
        .filter(lower_name=name.lower(), country=country)
        .first()
    )
    if existing:
        return existing
    organisation = Organisation(name=name, type=type, country=country)
    organisation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Created by a concurrent request in the meantime: use that one.
        return Organisation.objects.annotate(lower_name=Lower("name")).get(
            lower_name=name.lower(), country=country
        )
    return organisation


@transaction.atomic
def profile_update(
    *,
    user,
    display_name: str,
    nationality: str,
    residence: str,
    participant_type: str,
    organisation_id: int | None = None,
    new_organisation: dict | None = None,
) -> Profile:
    """Create or change the user's profile. ``new_organisation`` ({name, type,
    country}) creates an organisation; otherwise ``organisation_id`` picks one
    (None: no organisation).

    A profile states facts, so a change is never refused for a team's sake:
    each verified registration of the user's teams that the change makes break
    a rule is flagged for an organizer's review, with its reasons, in this same
    transaction (the profile page says which). Locks the user's teams in
    ascending id order, then those registrations."""
    display_name = _required(display_name, "display_name", _("The display name"))
    nationality = _country_code(nationality, "nationality")
    residence = _country_code(residence, "residence")
    participant_type = _choice(participant_type, "participant_type", ParticipantType.choices)
    organisation = None
    if new_organisation:
        organisation = organisation_create(**new_organisation)
    elif organisation_id:
        organisation = Organisation.objects.filter(pk=organisation_id).first()
        if organisation is None:
            message = _("That organisation does not exist.")
            raise ApplicationError(
                message, code="unknown_organisation", details={"organisation": [message]}
            )
    team_ids = (
        Membership.objects.filter(user=user).order_by("team_id").values_list("team_id", flat=True)
    )
    for team_id in team_ids:
        lock_team(team_id)
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.display_name = display_name
    profile.nationality = nationality
    profile.residence = residence
    profile.participant_type = participant_type
    profile.organisation = organisation
    profile.full_clean()
    profile.save()
    registrations_recheck_for_member(user_id=user.pk)
    return profile
