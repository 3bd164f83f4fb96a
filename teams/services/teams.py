"""Teams and their members."""

import re
import secrets

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from league.accounts import is_judge
from league.errors import ApplicationError, Conflict, Forbidden, NotFound
from teams.models import Membership, MembershipEvent, MembershipEventKind, Team
from teams.services._common import (
    check_membership_change,
    lock_team,
    lock_users,
    require_captain,
    require_member,
    require_profile,
)

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
# 13 symbols of 5 bits: 65 random bits, out of reach of guessing (joining is
# throttled too). Codes made before keep working.
JOIN_CODE_LENGTH = 13
TEAM_NAME_MAX_LENGTH = Team._meta.get_field("name").max_length


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _clean_team_name(name: str, *, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        message = _("Give the team a name.")
        raise ApplicationError(message, code="team_name_required", details={"name": [message]})
    if len(name) > TEAM_NAME_MAX_LENGTH:
        message = _("A team name has at most %(max)d characters.") % {"max": TEAM_NAME_MAX_LENGTH}
        raise ApplicationError(message, code="team_name_too_long", details={"name": [message]})
    taken = Team.objects.annotate(lower_name=Lower("name")).filter(lower_name=name.lower())
    if exclude_id:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise _name_taken(name)
    return name


def _name_taken(name: str) -> Conflict:
    message = _("The name “%(name)s” is taken; choose another.") % {"name": name}
    return Conflict(message, code="team_name_taken", details={"name": [message]})


def membership_record(*, team: Team, kind: str, user=None, user_id=None, by=None) -> None:
    """Keep a line of the team's membership history (who joined, left or was
    removed, and when), so "was a member" is known after a member has gone."""
    MembershipEvent.objects.create(
        team=team, user_id=user_id if user is None else user.pk, kind=kind, by=by
    )


@transaction.atomic
def team_create(*, user, name: str) -> Team:
    """Create a team; its creator is the captain and first member."""
    require_profile(user)
    name = _clean_team_name(name)
    team = Team(name=name, captain=user, join_code=new_join_code())
    team.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError as error:
        # Another request took the name (or, vanishingly rarely, the code) first.
        raise _name_taken(name) from error
    Membership.objects.create(team=team, user=user)
    membership_record(team=team, user=user, kind=MembershipEventKind.JOINED)
    return team


@transaction.atomic
def team_rename(*, team_id: int, actor, name: str) -> Team:
    team = lock_team(team_id)
    require_captain(team, actor)
    team.name = _clean_team_name(name, exclude_id=team.pk)
    try:
        with transaction.atomic():
            team.save(update_fields=["name"])
    except IntegrityError as error:
        raise _name_taken(team.name) from error
    return team


@transaction.atomic
def team_regenerate_join_code(*, team_id: int, actor) -> Team:
    """A new join code; the old one stops working at once."""
    team = lock_team(team_id)
    require_captain(team, actor)
    team.join_code = new_join_code()
    team.save(update_fields=["join_code"])
    return team


def _add_member(*, team: Team, user) -> Membership:
    """Add a member to a locked team: locks the user, checks the rules.

    Caller holds the Team row lock."""
    lock_users([user.pk])
    if is_judge(user):
        raise Forbidden(
            _(
                "Judges cannot join teams: a judge must stay impartial towards every team. "
                "Ask the organizers if you want to compete instead of judging."
            ),
            code="judge_cannot_join",
        )
    if Membership.objects.filter(team=team, user=user).exists():
        raise Conflict(_("You are already a member of this team."), code="already_member")
    check_membership_change(team=team, add_user_ids=[user.pk])
    try:
        with transaction.atomic():
            membership = Membership.objects.create(team=team, user=user)
    except IntegrityError as error:
        raise Conflict(
            _("You are already a member of this team."), code="already_member"
        ) from error
    membership_record(team=team, user=user, kind=MembershipEventKind.JOINED)
    return membership


@transaction.atomic
def team_join(*, user, code: str) -> Team:
    """Join a team with its join code."""
    require_profile(user)
    # People copy codes with spaces or dashes between groups of symbols.
    code = re.sub(r"[\s-]+", "", code or "").upper()
    team_id = Team.objects.filter(join_code=code).values_list("pk", flat=True).first()
    if not code or team_id is None:
        message = _("No team has the join code “%(code)s”. Check it with your captain.") % {
            "code": code
        }
        raise ApplicationError(message, code="unknown_join_code", details={"code": [message]})
    team = lock_team(team_id)
    if team.join_code != code:
        raise ApplicationError(
            _("This join code was just replaced. Ask your captain for the new one."),
            code="unknown_join_code",
        )
    _add_member(team=team, user=user)
    return team


@transaction.atomic
def team_leave(*, team_id: int, user) -> None:
    team = lock_team(team_id)
    require_member(team, user)
    if team.captain_id == user.pk:
        others = Membership.objects.filter(team=team).exclude(user=user).exists()
        message = (
            _("Hand the captaincy to another member before you leave.")
            if others
            else _(
                "You are the team's only member and its captain; a team cannot be left "
                "without a captain."
            )
        )
        raise Conflict(message, code="captain_cannot_leave")
    check_membership_change(team=team, remove_user_ids=[user.pk])
    Membership.objects.filter(team=team, user=user).delete()
    membership_record(team=team, user=user, kind=MembershipEventKind.LEFT)


@transaction.atomic
def team_remove_member(*, team_id: int, actor, user_id: int) -> None:
    team = lock_team(team_id)
    require_captain(team, actor)
    if user_id == actor.pk:
        raise Conflict(
            _("A captain cannot remove themselves; hand the captaincy over first."),
            code="captain_cannot_leave",
        )
    if not Membership.objects.filter(team=team, user_id=user_id).exists():
        raise NotFound(_("That person is not a member of this team."))
    check_membership_change(team=team, remove_user_ids=[user_id])
    Membership.objects.filter(team=team, user_id=user_id).delete()
    membership_record(team=team, user_id=user_id, kind=MembershipEventKind.REMOVED, by=actor)


@transaction.atomic
def team_transfer_captaincy(*, team_id: int, actor, user_id: int) -> Team:
    team = lock_team(team_id)
    require_captain(team, actor)
    if not Membership.objects.filter(team=team, user_id=user_id).exists():
        raise NotFound(_("That person is not a member of this team."))
    team.captain_id = user_id
    team.save(update_fields=["captain"])
    return team
