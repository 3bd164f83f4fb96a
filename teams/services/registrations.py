"""Registrations of teams for challenges, and the organizers' decisions."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from league.errors import ApplicationError, Conflict, NotFound, RuleViolation
from league.models import Challenge
from league.timefmt import when
from teams import rules, selectors
from teams.models import Registration, RegistrationStatus
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
    while the team breaks a rule of the track (the reasons say which)."""
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
    registration.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
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
    return registration
