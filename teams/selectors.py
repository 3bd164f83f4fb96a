"""Reads of the teams app. Selectors own visibility: an object a user may not
see is ``NotFound``, whatever its id."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from league import selectors as league_selectors
from league.errors import Forbidden, NotFound
from league.models import Challenge, CountryRegion, Region, RegionBasis
from teams import rules
from teams.models import (
    ACTIVE_REGISTRATION_STATUSES,
    Invitation,
    InvitationStatus,
    Membership,
    MembershipEvent,
    Organisation,
    Profile,
    Registration,
    Team,
)

# ---------------------------------------------------------------- regions


def region_table() -> rules.RegionTable:
    """The CountryRegion table (one query), with country names in the
    current language."""
    rows = CountryRegion.objects.values_list("country", "name", "region")
    return rules.RegionTable(
        regions={code: region for code, _, region in rows},
        names={code: str(countries.name(code)) or name for code, name, _ in rows},
    )


# ---------------------------------------------------------------- profiles


def profile_get(*, user) -> Profile | None:
    if not user.is_authenticated:
        return None
    return Profile.objects.select_related("organisation").filter(user=user).first()


def has_profile(*, user) -> bool:
    return user.is_authenticated and Profile.objects.filter(user=user).exists()


def organisation_list(*, search: str = "") -> QuerySet[Organisation]:
    organisations = Organisation.objects.order_by("name", "country")
    if search:
        organisations = organisations.filter(name__icontains=search)
    return organisations


def verified_emails(*, user) -> set[str]:
    return {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


# ---------------------------------------------------------------- teams


def _members_prefetch() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("user__profile__organisation").order_by(
            "joined_at", "id"
        ),
    )


def team_list_for_user(*, user) -> QuerySet[Team]:
    """The teams the user belongs to, members prefetched (2 queries)."""
    return (
        Team.objects.filter(memberships__user=user)
        .select_related("captain")
        .prefetch_related(_members_prefetch())
        .order_by("name")
    )


# Who may read every team's and registration's participant data besides its
# members: holders of these model permissions (the Organizers group). Being
# staff grants nothing; a judge holds neither.
SEES_EVERY_TEAM = "teams.view_team"
SEES_EVERY_REGISTRATION = "teams.view_registration"


def team_get_for_member(*, user, team_id: int) -> Team:
    """A team the user belongs to; holders of ``SEES_EVERY_TEAM`` see every team."""
    teams = Team.objects.select_related("captain").prefetch_related(_members_prefetch())
    team = teams.filter(pk=team_id, memberships__user_id=user.pk).first()
    if team is None and user.has_perm(SEES_EVERY_TEAM):
        team = teams.filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def team_get_public(*, team_id: int) -> Team:
    team = Team.objects.prefetch_related(_members_prefetch()).filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def is_member(*, user, team_id: int) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(team_id=team_id, user_id=user.pk).exists()
    )


def is_captain(*, user, team_id) -> bool:
    return user.is_authenticated and Team.objects.filter(pk=team_id, captain_id=user.pk).exists()


@dataclass(frozen=True)
class TeamSummary:
    """What anyone may know about a team."""

    countries: list[str]
    organisations: list[str]
    regions: set[str]
    # The basis the countries and regions were counted on, and its sentence.
    basis: str = RegionBasis.NATIONALITY
    basis_label: Any = ""

    @property
    def cross_border(self) -> bool:
        return rules.is_cross_border(self.regions)


def team_summary(
    *,
    team: Team,
    table: rules.RegionTable | None = None,
    basis: str = RegionBasis.NATIONALITY,
) -> TeamSummary:
    """Countries, organisations and regions of the current members (uses the
    prefetched memberships), counted on ``basis``: a track's region basis
    where a track is in context, nationality otherwise. The badge is derived
    here, never stored."""
    table = table or region_table()
    profiles = [m.user.profile for m in team.memberships.all() if hasattr(m.user, "profile")]
    field = "residence" if basis == RegionBasis.RESIDENCE else "nationality"
    codes = sorted({getattr(p, field).code for p in profiles if getattr(p, field)})
    return TeamSummary(
        countries=[table.name(c) for c in codes],
        organisations=sorted({p.organisation.name for p in profiles if p.organisation}),
        regions={table.region(c) for c in codes},
        basis=basis,
        basis_label=rules.basis_label(basis),
    )


# ---------------------------------------------------------------- rules input


def member_facts(
    *, team_id: int | None, user_ids, challenges: list[Challenge]
) -> dict[int, dict[int, rules.MemberFacts]]:
    """For each challenge, the facts of each listed user, counting the other
    teams (not ``team_id``) in which they are registered (2 queries)."""
    user_ids = list(user_ids)
    profiles = {
        p.user_id: p
        for p in Profile.objects.filter(user_id__in=user_ids).select_related("organisation")
    }
    other = (
        Registration.objects.filter(
            team__memberships__user_id__in=user_ids, status__in=ACTIVE_REGISTRATION_STATUSES
        )
        .exclude(team_id=team_id)
        .values_list(
            "team__memberships__user_id",
            "team_id",
            "team__name",
            "challenge_id",
            "challenge__track_id",
        )
    )
    in_challenge: dict[tuple, set] = defaultdict(set)
    in_track: dict[tuple, set] = defaultdict(set)
    for user_id, other_team, team_name, challenge_id, track_id in other:
        in_challenge[(user_id, challenge_id)].add((other_team, team_name))
        in_track[(user_id, track_id)].add((other_team, team_name))
    result = {}
    for challenge in challenges:
        facts = {}
        for user_id in user_ids:
            profile = profiles.get(user_id)
            facts[user_id] = rules.MemberFacts(
                user_id=user_id,
                nationality=profile.nationality.code if profile else "",
                residence=profile.residence.code if profile else "",
                participant_type=profile.participant_type if profile else "",
                organisation_type=(
                    profile.organisation.type if profile and profile.organisation else "none"
                ),
                display_name=profile.display_name if profile else "",
                other_teams_in_challenge=len(in_challenge[(user_id, challenge.pk)]),
                other_teams_in_track=len(in_track[(user_id, challenge.track_id)]),
                other_team_names_in_challenge=_names(in_challenge[(user_id, challenge.pk)]),
                other_team_names_in_track=_names(in_track[(user_id, challenge.track_id)]),
            )
        result[challenge.pk] = facts
    return result


def _names(teams: set[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(sorted(name for _, name in teams))


def teams_ever_joined(*, user_ids) -> dict[int, set[int]]:
    """User id → the teams the user is or was a member of (current
    memberships and the membership history)."""
    user_ids = list(user_ids)
    found: dict[int, set[int]] = {}
    for user_id, team_id in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "team_id"
    ):
        found.setdefault(user_id, set()).add(team_id)
    for user_id, team_id in MembershipEvent.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "team_id"
    ):
        found.setdefault(user_id, set()).add(team_id)
    return found


def team_member_ids(*, team_id: int) -> list[int]:
    return list(
        Membership.objects.filter(team_id=team_id)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def active_registrations(*, team_id: int) -> list[Registration]:
    return list(
        Registration.objects.filter(team_id=team_id, status__in=ACTIVE_REGISTRATION_STATUSES)
        .select_related("challenge__track")
        .order_by("challenge__title")
    )


@dataclass(frozen=True)
class MemberRegion:
    """A member's country and region as a track counts them."""

    user_id: int
    name: str
    country: str
    country_name: str
    region: str

    @property
    def region_label(self) -> str:
        return Region(self.region).label


@dataclass
class ChallengeChecklist:
    challenge: Challenge
    checks: list[rules.RuleCheck]
    basis: Any
    registration: Registration | None = None
    locked: bool = False
    violations: list = field(default_factory=list)
    members: list[MemberRegion] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations

    @property
    def cross_border(self) -> bool:
        """The badge on the track's basis (nationality or residence)."""
        return rules.is_cross_border({m.region for m in self.members})


def checklist_for(
    *, team: Team, challenge: Challenge, table: rules.RegionTable | None = None
) -> ChallengeChecklist:
    return team_checklists(team=team, challenges=[challenge], table=table)[0]


def team_checklists(
    *,
    team: Team,
    challenges: list[Challenge] | None = None,
    table: rules.RegionTable | None = None,
) -> list[ChallengeChecklist]:
    """The live checklist of the team for each challenge of the current season
    (or the given ones), with its registration (a fixed number of queries)."""
    if challenges is None:
        season = league_selectors.season_current()
        challenges = (
            list(
                Challenge.objects.filter(track__season=season)
                .select_related("track")
                .order_by("track__order", "title")
            )
            if season
            else []
        )
    table = table or region_table()
    ids = team_member_ids(team_id=team.pk)
    facts = member_facts(team_id=team.pk, user_ids=ids, challenges=challenges)
    registrations = {r.challenge_id: r for r in Registration.objects.filter(team=team)}
    now = timezone.now()
    result = []
    for challenge in challenges:
        track = rules.TrackRules.of(challenge.track)
        members = list(facts[challenge.pk].values())
        checks = rules.team_checklist(members=members, table=table, track=track)
        registration = registrations.get(challenge.pk)
        regions = []
        for m in members:
            country = rules.member_country(m, track.region_basis)
            regions.append(
                MemberRegion(m.user_id, m.name, country, table.name(country), table.region(country))
            )
        result.append(
            ChallengeChecklist(
                challenge=challenge,
                checks=checks,
                basis=rules.basis_label(track.region_basis),
                registration=registration,
                locked=bool(challenge.team_lock_at and challenge.team_lock_at <= now),
                violations=[v for c in checks for v in c.violations],
                members=regions,
            )
        )
    return result


def registration_violations(*, registration: Registration) -> list:
    """Every rule the registered team breaks now, for its challenge's track."""
    return checklist_for(team=registration.team, challenge=registration.challenge).violations


def team_frozen_by(*, team_id: int, at=None) -> list[Challenge]:
    """The challenges whose team lock has passed and in which the team is registered."""
    at = at or timezone.now()
    return list(
        Challenge.objects.filter(
            registrations__team_id=team_id,
            registrations__status__in=ACTIVE_REGISTRATION_STATUSES,
            team_lock_at__lte=at,
        ).order_by("team_lock_at")
    )


# ---------------------------------------------------------------- invitations


def invitation_list_for_user(*, user) -> QuerySet[Invitation]:
    """Pending, unexpired invitations addressed to one of the user's verified e-mails."""
    emails = verified_emails(user=user)
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    if not emails:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(query, status=InvitationStatus.PENDING)
        .filter(expires_at__gt=timezone.now())
        .select_related("team", "invited_by")
        .order_by("-created_at")
    )


def invitation_list_for_team(*, team: Team) -> QuerySet[Invitation]:
    return Invitation.objects.filter(team=team, status=InvitationStatus.PENDING).order_by(
        "-created_at"
    )


def invitation_list_for_captain(*, user, team_id: int) -> QuerySet[Invitation]:
    """The team's pending invitations, for its captain only (as on the team
    page): other members and organizers get ``Forbidden``, outsiders ``NotFound``."""
    team = team_get_for_member(user=user, team_id=team_id)
    if team.captain_id != user.pk:
        raise Forbidden(_("Only the team's captain may do this."), code="captain_only")
    return invitation_list_for_team(team=team).select_related("team")


def invitation_get_for_invitee(*, user, invitation_id: int) -> Invitation:
    """An invitation sent to one of the user's verified e-mails, in any state."""
    emails = verified_emails(user=user)
    invitation = (
        Invitation.objects.select_related("team").filter(pk=invitation_id).first()
        if emails
        else None
    )
    if invitation is None or invitation.email.lower() not in emails:
        raise NotFound()
    return invitation


def invitation_get_by_token(*, token: str) -> Invitation:
    invitation = Invitation.objects.select_related("team", "invited_by").filter(token=token).first()
    if invitation is None:
        raise NotFound()
    return invitation


# ---------------------------------------------------------------- registrations


def registration_list_for_user(*, user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(team__memberships__user=user)
        .select_related("team", "challenge__track")
        .order_by("-created_at")
    )


def registration_get_for_member(*, user, registration_id: int) -> Registration:
    registrations = Registration.objects.select_related("team", "challenge__track")
    registration = registrations.filter(
        pk=registration_id, team__memberships__user_id=user.pk
    ).first()
    if registration is None and user.has_perm(SEES_EVERY_REGISTRATION):
        registration = registrations.filter(pk=registration_id).first()
    if registration is None:
        raise NotFound()
    return registration


def registration_of_user(*, user, challenge_id: int) -> Registration | None:
    """The registration, in this challenge, of the user's team (a person is in
    at most one team per challenge), whatever its status; None for outsiders."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("team")
        .filter(challenge_id=challenge_id, team__memberships__user=user)
        .first()
    )
