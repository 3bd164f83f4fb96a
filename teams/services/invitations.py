"""Invitations by e-mail: an expiring link, sent by a Celery task after commit."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Conflict, NotFound
from teams import selectors
from teams.models import Invitation, InvitationStatus, Membership
from teams.services._common import lock_team, require_captain, require_profile
from teams.services.teams import _add_member

INVITATION_LIFETIME = timedelta(days=7)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        message = _("Enter a valid e-mail address.")
        raise ApplicationError(
            message, code="invalid_email", details={"email": [message]}
        ) from error
    return email


def invitation_url(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "teams:invitation", kwargs={"token": invitation.token}
    )


@transaction.atomic
def invitation_create(
    *, team_id: int, actor, email: str, lifetime: timedelta = INVITATION_LIFETIME
) -> Invitation:
    """Invite someone by e-mail. Inviting the same address again renews the
    pending invitation (and sends it again) rather than adding a second one."""
    from teams import tasks

    team = lock_team(team_id)
    require_captain(team, actor)
    email = _clean_email(email)
    if Membership.objects.filter(team=team, user__emailaddress__email__iexact=email).exists() or (
        Membership.objects.filter(team=team, user__email__iexact=email).exists()
    ):
        message = _("%(email)s is already a member of the team.") % {"email": email}
        raise Conflict(message, code="already_member", details={"email": [message]})
    now = timezone.now()
    invitation = Invitation.objects.filter(
        team=team, email__iexact=email, status=InvitationStatus.PENDING
    ).first()
    if invitation is None:
        invitation = Invitation(
            team=team, email=email, token=secrets.token_urlsafe(32), invited_by=actor
        )
    invitation.invited_by = actor
    invitation.language = translation.get_language() or settings.LANGUAGE_CODE
    invitation.expires_at = now + lifetime
    invitation.sent_at = None
    invitation.full_clean(validate_constraints=False)
    invitation.save()
    invitation_id = invitation.pk
    transaction.on_commit(lambda: tasks.send_invitation_email.delay(invitation_id))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation_id: int, actor) -> Invitation:
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound()
    team = lock_team(invitation.team_id)
    require_captain(team, actor)
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.status != InvitationStatus.PENDING:
        raise _used(invitation)
    invitation.status = InvitationStatus.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _used(invitation: Invitation) -> Conflict:
    messages = {
        InvitationStatus.ACCEPTED: _("This invitation was already accepted."),
        InvitationStatus.DECLINED: _("This invitation was already declined."),
        InvitationStatus.REVOKED: _("This invitation was revoked by the team."),
    }
    return Conflict(
        messages.get(invitation.status, _("This invitation can no longer be used.")),
        code="invitation_used",
    )


def _respondable(invitation_id: int, user) -> Invitation:
    """The invitation, locked, if the user may answer it now."""
    selectors.invitation_get_for_invitee(user=user, invitation_id=invitation_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if invitation.status != InvitationStatus.PENDING:
        raise _used(invitation)
    if invitation.is_expired():
        raise Conflict(
            _("This invitation expired. Ask the captain to invite you again."),
            code="invitation_expired",
        )
    return invitation


def check_invitee(*, invitation: Invitation, user) -> None:
    """The invitee must be logged in with the invited (verified) address."""
    if invitation.email.lower() not in selectors.verified_emails(user=user):
        raise ApplicationError(
            _(
                "This invitation was sent to %(email)s. Log in with that address "
                "(or add and verify it in your account) to answer it."
            )
            % {"email": invitation.email},
            code="wrong_account",
        )


@transaction.atomic
def invitation_accept(*, invitation_id: int, user) -> Membership:
    """Join the team of the invitation. Locks the team, then the user."""
    require_profile(user)
    invitation = selectors.invitation_get_for_invitee(user=user, invitation_id=invitation_id)
    team = lock_team(invitation.team_id)
    invitation = _respondable(invitation_id, user)
    membership = _add_member(team=team, user=user)
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return membership


@transaction.atomic
def invitation_decline(*, invitation_id: int, user) -> Invitation:
    invitation = _respondable(invitation_id, user)
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


def invitation_send_email(*, invitation_id: int) -> bool:
    """Send the invitation's e-mail once (safe to run twice: the second run
    finds it sent). Returns whether a message went out."""
    from allauth.account.adapter import get_adapter

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
        if (
            invitation is None
            or invitation.sent_at
            or invitation.status != InvitationStatus.PENDING
            or invitation.is_expired()
        ):
            return False
        context = {
            "team_name": invitation.team.name,
            "inviter": _inviter_name(invitation),
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
        }
        with translation.override(invitation.language or settings.LANGUAGE_CODE):
            message = get_adapter().render_mail("teams/email/invitation", invitation.email, context)
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at"])
    return True


def _inviter_name(invitation: Invitation) -> str:
    profile = getattr(invitation.invited_by, "profile", None)
    return profile.display_name if profile else invitation.invited_by.email
