"""What every write of the teams app shares: row locks, role checks and the
check that a membership change keeps the team within its tracks' rules.

Lock contract: a service that changes a team's membership locks the Team row
first, then the User rows of the people whose per-person limits it checks, in
ascending id order. Every service takes them in that order, so two services
never wait on each other in a cycle.
"""

from django.utils.translation import gettext_lazy as _

from league.errors import Conflict, Forbidden, NotFound, RuleViolation, Violation
from league.models import User
from league.timefmt import when
from teams import rules, selectors
from teams.models import Team


class ProfileRequired(Forbidden):
    code = "profile_required"
    default_message = _("Complete your profile first: teams need each member's country.")


def lock_team(team_id: int) -> Team:
    team = Team.objects.select_for_update().filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def lock_users(user_ids) -> list[User]:
    return list(User.objects.select_for_update().filter(pk__in=list(user_ids)).order_by("pk"))


def require_profile(user) -> None:
    if not selectors.has_profile(user=user):
        raise ProfileRequired()


def require_member(team: Team, user) -> None:
    if not selectors.is_member(user=user, team_id=team.pk):
        raise NotFound()


def require_captain(team: Team, user) -> None:
    require_member(team, user)
    if team.captain_id != user.pk:
        raise Forbidden(_("Only the team's captain may do this."), code="captain_only")


def refuse_if_frozen(team: Team) -> None:
    frozen = selectors.team_frozen_by(team_id=team.pk)
    if frozen:
        challenge = frozen[0]
        raise Conflict(
            _("The team's membership is frozen: “%(challenge)s” locked its teams on %(when)s.")
            % {
                "challenge": challenge.title,
                "when": when(challenge.team_lock_at),
            },
            code="team_frozen",
        )


def check_membership_change(
    *,
    team: Team,
    add_user_ids=(),
    remove_user_ids=(),
) -> None:
    """Refuse a change of members that the team's
    active registrations do not allow: the team full, frozen by a team lock,
    or a rule of a registered challenge broken that was not broken before."""
    add_user_ids, remove_user_ids = set(add_user_ids), set(remove_user_ids)
    registrations = selectors.active_registrations(team_id=team.pk)
    current = set(selectors.team_member_ids(team_id=team.pk))
    after = (current - remove_user_ids) | add_user_ids
    if add_user_ids or remove_user_ids:
        refuse_if_frozen(team)
    if add_user_ids:
        capacity = min(
            (r.challenge.track.max_members for r in registrations),
            default=rules.UNREGISTERED_TEAM_MAX_MEMBERS,
        )
        if len(after) > capacity:
            raise Conflict(
                _("The team is full: it has %(count)d of at most %(max)d members.")
                % {"count": len(current), "max": capacity},
                code="team_full",
            )
    if not registrations:
        return
    challenges = [r.challenge for r in registrations]
    facts = selectors.member_facts(
        team_id=team.pk, user_ids=current | add_user_ids, challenges=challenges
    )
    table = selectors.region_table()
    found: list[Violation] = []
    for challenge in challenges:
        track = rules.TrackRules.of(challenge.track)
        by_user = facts[challenge.pk]
        before = rules.team_violations(
            members=[by_user[u] for u in sorted(current)], table=table, track=track
        )
        after_violations = rules.team_violations(
            members=[by_user[u] for u in sorted(after)], table=table, track=track
        )
        for violation in rules.new_violations(before, after_violations):
            found.append(
                Violation(
                    violation.code,
                    _("%(challenge)s: %(reason)s")
                    % {"challenge": challenge.title, "reason": violation.message},
                    {**violation.params, "challenge_id": challenge.pk},
                )
            )
    if found:
        raise RuleViolation(found)
