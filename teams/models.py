"""People, organisations, teams and their registrations for challenges."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from league.models import Challenge, OrganisationType, ParticipantType


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    country = CountryField(_("country"))
    email_domains = models.JSONField(
        _("e-mail domains"),
        default=list,
        blank=True,
        help_text=_('For example ["example.edu.sg"]; used to detect judges\' conflicts.'),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "country", name="organisation_name_unique_per_country"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=120)
    nationality = CountryField(_("nationality"))
    residence = CountryField(_("country of residence"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    participant_type = models.CharField(
        _("participant type"), max_length=32, choices=ParticipantType.choices
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name


class Team(models.Model):
    name = models.CharField(_("name"), max_length=80)
    captain = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="captained_teams",
        verbose_name=_("captain"),
    )
    join_code = models.CharField(_("join code"), max_length=16, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="team_name_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="team_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    joined_at = models.DateTimeField(auto_now_add=True, verbose_name=_("joined at"))

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_once_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class MembershipEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    LEFT = "left", _("Left")
    REMOVED = "removed", _("Removed by the captain")


class MembershipEvent(models.Model):
    """One change of a team's members, kept after the membership itself is
    gone: who joined, left or was removed, and when."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="membership_events", verbose_name=_("team")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_events",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=MembershipEventKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        indexes = [models.Index(fields=["user", "team"], name="membership_event_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.team}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation status", "Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("team")
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, verbose_name=_("token"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("invited by"),
    )
    status = models.CharField(
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.PENDING,
        verbose_name=_("status"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("responded at"))
    # The e-mail's way out, in three stamps (a broker outage delays the mail,
    # never loses it): handed to the broker (cleared when the broker refused,
    # so the sweeper publishes it again), claimed by a task that is sending it
    # (so a duplicate task sends nothing), and sent.
    mail_queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("mail queued at"))
    mail_sending_at = models.DateTimeField(null=True, blank=True, verbose_name=_("mail sending at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    # The inviting captain's language, in which the e-mail is written.
    language = models.CharField(max_length=16, blank=True, verbose_name=_("language"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "team",
                condition=Q(status=InvitationStatus.PENDING),
                name="one_pending_invitation_per_email_and_team",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.team}"

    def is_expired(self, at=None) -> bool:
        return self.expires_at <= (at or timezone.now())


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", pgettext_lazy("registration status", "Verified")
    REJECTED = "rejected", pgettext_lazy("registration status", "Rejected")
    # Was verified, then a change (a member's profile, the track's rules, the
    # country→region table) made the team break a rule: an organizer decides again.
    NEEDS_REVIEW = "needs_review", _("Needs review")


# Registrations that bind the team's members (a rejected one no longer does).
ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.VERIFIED,
    RegistrationStatus.NEEDS_REVIEW,
)


class Registration(models.Model):
    """A team entered in a challenge. Only verified registrations may submit."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("team")
    )
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("challenge"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # When and why a re-check flagged it (the violations as {code, message,
    # params}, written in the site's language); kept until an organizer decides.
    flagged_at = models.DateTimeField(_("flagged for review at"), null=True, blank=True)
    review_reasons = models.JSONField(_("reasons for review"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "challenge"], name="registration_once_per_challenge"
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.REJECTED) | ~Q(rejection_reason=""),
                name="registration_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["challenge", "status"])]

    def __str__(self) -> str:
        return f"{self.team} · {self.challenge}"

    @property
    def is_verified(self) -> bool:
        return self.status == RegistrationStatus.VERIFIED
