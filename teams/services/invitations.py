"""Invitations by e-mail: an expiring link, sent by a Celery task after commit.

The e-mail's way out never depends on the broker answering: the job is
published after commit without ever raising, a refused publish is noted on
the row (``mail_queued_at`` empty) and the beat sweeper
(``teams.publish_unsent_invitations``) publishes it again. The task claims the
invitation with a conditional UPDATE, sends without holding any lock, then
stamps ``sent_at``: a duplicate task sends nothing.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Conflict, NotFound
from league.outbox import Outbox
from teams import selectors
from teams.models import Invitation, InvitationStatus, Membership
from teams.services._common import lock_team, require_captain, require_profile
from teams.services.teams import _add_member

INVITATION_LIFETIME = timedelta(days=7)
SEND_TASK = "teams.send_invitation_email"
MAIL_OUTBOX = Outbox(
    model=Invitation,
    task=SEND_TASK,
    lost_after=timedelta(minutes=5),
    # The SMTP connection gives up after EMAIL_TIMEOUT: a claim older than
    # this died while sending, and another task may take it.
    sending_stale_after=timedelta(minutes=2),
    # Pending, unexpired invitations only.
    still_owed=lambda now: Q(status=InvitationStatus.PENDING, expires_at__gt=now),
    queued="mail_queued_at",
    sending="mail_sending_at",
)


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
    pending invitation (and sends it again) rather than adding a second one.
    The e-mail goes out from a worker after commit; the request never waits
    on the broker or the mail server."""
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
    invitation.sent_at = invitation.mail_sending_at = None
    invitation.mail_queued_at = now
    invitation.full_clean(validate_constraints=False)
    invitation.save()
    invitation_id = invitation.pk
    transaction.on_commit(lambda: MAIL_OUTBOX.publish(invitation_id))
    return invitation


def invitations_publish_unsent(*, now=None) -> int:
    """Beat: publish again the e-mails the broker refused (``mail_queued_at``
    empty) or lost (published long ago, still not sent). Returns how many."""
    return MAIL_OUTBOX.publish_unsent(now=now)


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
    """Send the invitation's e-mail if it is still owed; returns whether a
    message went out. Safe to run twice: the first run claims the invitation
    with a conditional UPDATE, so a duplicate finds nothing to do.

    Lock contract: holds no lock and no transaction while the mail server is
    talked to. A send that fails releases the claim and raises; the sweeper
    publishes the job again.
    """
    from allauth.account.adapter import get_adapter

    claimed = MAIL_OUTBOX.claim(invitation_id)
    if claimed is None:
        return False
    claim, _ = claimed
    invitation = Invitation.objects.select_related("team", "invited_by__profile").get(
        pk=invitation_id
    )
    context = {
        "team_name": invitation.team.name,
        "inviter": _inviter_name(invitation),
        "url": invitation_url(invitation),
        "expires_at": invitation.expires_at,
    }
    try:
        with translation.override(invitation.language or settings.LANGUAGE_CODE):
            message = get_adapter().render_mail("teams/email/invitation", invitation.email, context)
        message.send()
    except Exception:
        MAIL_OUTBOX.release(claim)
        raise
    # A renewal during the send took the claim away: its own job sends again.
    claim.update(sent_at=timezone.now())
    return True


def _inviter_name(invitation: Invitation) -> str:
    profile = getattr(invitation.invited_by, "profile", None)
    return profile.display_name if profile else invitation.invited_by.email
