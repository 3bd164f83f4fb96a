"""Registrations of teams for challenges, and the organizers' decisions."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Conflict, NotFound, RuleViolation
from league.mail import mail_later, site_link
from league.models import Challenge
from league.timefmt import when
from teams import rules, selectors
from teams.models import Membership, Registration, RegistrationStatus
from teams.services._common import lock_team, lock_users, require_captain


@transaction.atomic
def registration_create(*, team_id: int, actor, challenge_id: int) -> Registration:
    """Register the team (captain only). A composition that breaks a blocking
    rule (too many members, a person in too many teams) is refused; one that
    breaks another rule is registered but stays pending, its reasons shown.
    Verified at once when the track verifies automatically and nothing fails.

    Locks the Team row, then every member's User row (ascending ids)."""
    team = lock_team(team_id)
    require_captain(team, actor)
    challenge = Challenge.objects.select_related("track").filter(pk=challenge_id).first()
    if challenge is None:
        raise NotFound(_("That challenge does not exist."))
    now = timezone.now()
    if challenge.team_lock_at and challenge.team_lock_at <= now:
        raise Conflict(
            _("Registration for “%(challenge)s” closed on %(when)s.")
            % {
                "challenge": challenge.title,
                "when": when(challenge.team_lock_at),
            },
            code="registration_closed",
        )
    registration = Registration.objects.filter(team=team, challenge=challenge).first()
    if registration and registration.status != RegistrationStatus.REJECTED:
        raise Conflict(
            _("The team is already registered for “%(challenge)s”.")
            % {"challenge": challenge.title},
            code="already_registered",
        )
    lock_users(selectors.team_member_ids(team_id=team.pk))
    checklist = selectors.checklist_for(team=team, challenge=challenge)
    blocking = [v for v in checklist.violations if v.code in rules.BLOCKING_CODES]
    if blocking:
        raise RuleViolation(blocking)
    auto = challenge.track.auto_verify_registrations and checklist.passed
    registration = registration or Registration(team=team, challenge=challenge)
    registration.status = RegistrationStatus.VERIFIED if auto else RegistrationStatus.PENDING
    registration.rejection_reason = ""
    registration.decided_at = now if auto else None
    registration.decided_by = None
    registration.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        raise Conflict(
            _("The team is already registered for “%(challenge)s”.")
            % {"challenge": challenge.title},
            code="already_registered",
        ) from error
    return registration


def _lock_registration(registration_id: int) -> Registration:
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("challenge__track", "team")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        raise NotFound()
    return registration


@transaction.atomic
def registration_verify(*, registration_id: int, actor) -> Registration:
    """An organizer verifies a registration: the team may now submit. Refused
    while the team breaks a rule of the track (the reasons say which). This is
    also the only way back to verified for one a re-check flagged for review."""
    registration = _lock_registration(registration_id)
    if registration.status == RegistrationStatus.VERIFIED:
        return registration
    checklist = selectors.checklist_for(team=registration.team, challenge=registration.challenge)
    if not checklist.passed:
        raise RuleViolation(checklist.violations)
    registration.status = RegistrationStatus.VERIFIED
    registration.rejection_reason = ""
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    registration.flagged_at = None
    registration.review_reasons = []
    registration.save(
        update_fields=[
            "status",
            "rejection_reason",
            "decided_at",
            "decided_by",
            "flagged_at",
            "review_reasons",
        ]
    )
    _mail_members(registration, "teams/email/registration_verified")
    return registration


@transaction.atomic
def registration_reject(*, registration_id: int, actor, reason: str) -> Registration:
    """An organizer rejects a registration with a reason the team sees."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Give the team a reason for the rejection.")
        raise ApplicationError(message, code="reason_required", details={"reason": [message]})
    registration = _lock_registration(registration_id)
    registration.status = RegistrationStatus.REJECTED
    registration.rejection_reason = reason
    registration.decided_at = timezone.now()
    registration.decided_by = actor
    registration.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    _mail_members(registration, "teams/email/registration_rejected")
    return registration


def _mail_members(registration: Registration, template: str) -> None:
    """Tell every member of the team of the organizers' decision, each in
    their own language, after commit."""
    context = {
        "team_name": registration.team.name,
        "challenge_title": registration.challenge.title,
        "reason": registration.rejection_reason,
        "url": site_link(reverse("teams:team-detail", args=[registration.team_id])),
    }
    members = Membership.objects.filter(team_id=registration.team_id).select_related("user")
    for membership in members:
        user = membership.user
        mail_later(to=user.email, template=template, context=context, language=user.mail_language())


# ---------------------------------------------------------------- re-checks


@transaction.atomic
def registration_recheck(*, registration_id: int) -> Registration | None:
    """Check a verified registration again against the track's current rules,
    the current country→region table and the members' current profiles. One
    that now breaks a rule is flagged ``needs_review`` with its reasons.

    Safe to run twice: only a verified registration is ever changed, and a
    flagged one stays flagged until an organizer verifies or rejects it, even
    if the team meets the rules again meanwhile.

    Locks the Team row, then the Registration row (the team lock keeps the
    membership still while it is checked)."""
    team_id = (
        Registration.objects.filter(pk=registration_id).values_list("team_id", flat=True).first()
    )
    if team_id is None:
        return None
    lock_team(team_id)
    registration = _lock_registration(registration_id)
    if registration.status != RegistrationStatus.VERIFIED:
        return registration
    # The reasons are kept in the site's language: they are the organizers' record.
    with translation.override(settings.LANGUAGE_CODE):
        checklist = selectors.checklist_for(
            team=registration.team, challenge=registration.challenge
        )
        reasons = [v.as_dict() for v in checklist.violations]
    if reasons:
        _flag(registration, reasons)
    return registration


def _flag(registration: Registration, reasons: list[dict]) -> None:
    registration.status = RegistrationStatus.NEEDS_REVIEW
    registration.flagged_at = timezone.now()
    registration.review_reasons = reasons
    registration.save(update_fields=["status", "flagged_at", "review_reasons"])


def registrations_recheck_for_member(*, user_id: int) -> list[Registration]:
    """Re-check the verified registrations of every team of the user (after a
    change of their profile). Runs in the caller's transaction; returns those
    it flagged."""
    ids = Registration.objects.filter(
        team__in=Membership.objects.filter(user_id=user_id).values("team_id"),
        status=RegistrationStatus.VERIFIED,
    ).order_by("team_id", "pk")
    flagged = []
    for registration_id in ids.values_list("pk", flat=True):
        registration = registration_recheck(registration_id=registration_id)
        if registration and registration.status == RegistrationStatus.NEEDS_REVIEW:
            flagged.append(registration)
    return flagged


def registrations_recheck(*, track_id: int | None = None) -> int:
    """Re-check every verified registration (of one track, if given), each in
    its own short transaction; returns how many were flagged. Called by the
    teams task after an organizer changes a track's rules or the
    country→region table, and periodically as a backstop."""
    ids = Registration.objects.filter(status=RegistrationStatus.VERIFIED)
    if track_id is not None:
        ids = ids.filter(challenge__track_id=track_id)
    flagged = 0
    for registration_id in list(ids.order_by("pk").values_list("pk", flat=True)):
        registration = registration_recheck(registration_id=registration_id)
        if registration and registration.status == RegistrationStatus.NEEDS_REVIEW:
            flagged += 1
    return flagged
