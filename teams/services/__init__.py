"""Writes of the teams app, one module per subject; import them from here."""

from teams.services._common import ProfileRequired
from teams.services.invitations import (
    INVITATION_LIFETIME,
    check_invitee,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    invitation_send_email,
    invitation_url,
    invitations_publish_unsent,
)
from teams.services.profiles import organisation_create, profile_update
from teams.services.registrations import (
    registration_create,
    registration_recheck,
    registration_reject,
    registration_verify,
    registrations_recheck,
    registrations_recheck_for_member,
)
from teams.services.teams import (
    team_create,
    team_join,
    team_leave,
    team_regenerate_join_code,
    team_remove_member,
    team_rename,
    team_transfer_captaincy,
)

__all__ = [
    "INVITATION_LIFETIME",
    "ProfileRequired",
    "check_invitee",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_revoke",
    "invitation_send_email",
    "invitation_url",
    "invitations_publish_unsent",
    "organisation_create",
    "profile_update",
    "registration_create",
    "registration_recheck",
    "registration_reject",
    "registration_verify",
    "registrations_recheck",
    "registrations_recheck_for_member",
    "team_create",
    "team_join",
    "team_leave",
    "team_regenerate_join_code",
    "team_remove_member",
    "team_rename",
    "team_transfer_captaincy",
]
