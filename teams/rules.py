"""Pure team rules: who may enter a track together. No database, no request.

Every function takes plain data (member facts, the country→region table and
the track's settings) and returns every rule that is broken, each as a
``Violation`` with a stable code and a translatable message, so pages, the
API and the admin show the same reasons.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from league.errors import Violation
from league.models import OrganisationType, ParticipantType, Region, RegionBasis

# A team that is not (yet) registered anywhere may still not grow without end.
UNREGISTERED_TEAM_MAX_MEMBERS = 10

# Breaking one of these refuses the registration outright; the other rules
# leave it pending, with its reasons, for the organizers to decide.
BLOCKING_CODES = frozenset(
    {"too_many_members", "person_teams_per_challenge", "person_teams_in_track"}
)


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about one member."""

    user_id: int
    nationality: str
    residence: str
    participant_type: str
    organisation_type: str = OrganisationType.NONE
    display_name: str = ""
    # Other teams of this person registered in the same challenge / track.
    other_teams_in_challenge: int = 0
    other_teams_in_track: int = 0
    # Their names, when known, so a message can say which team to leave.
    other_team_names_in_challenge: tuple[str, ...] = ()
    other_team_names_in_track: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.display_name or f"#{self.user_id}"


@dataclass(frozen=True)
class TrackRules:
    """A track's team settings as plain data."""

    min_members: int = 1
    max_members: int = 5
    cross_border_required: bool = False
    region_basis: str = RegionBasis.NATIONALITY
    max_other_region_members: int | None = None
    max_country_share: Decimal | None = None
    allowed_participant_types: tuple = tuple(ParticipantType.values)
    allowed_organisation_types: tuple = tuple(OrganisationType.values)
    teams_per_person_per_challenge: int = 1
    teams_per_person_in_track: int | None = None
    allows_individual_entries: bool = False

    @classmethod
    def of(cls, track: Any) -> "TrackRules":
        """Copy the settings of a ``league.Track`` (reads attributes only)."""
        return cls(
            min_members=track.min_members,
            max_members=track.max_members,
            cross_border_required=track.cross_border_required,
            region_basis=track.region_basis,
            max_other_region_members=track.max_other_region_members,
            max_country_share=track.max_country_share,
            allowed_participant_types=tuple(track.allowed_participant_types or ()),
            allowed_organisation_types=tuple(track.allowed_organisation_types or ()),
            teams_per_person_per_challenge=track.teams_per_person_per_challenge,
            teams_per_person_in_track=track.teams_per_person_in_track,
            allows_individual_entries=track.allows_individual_entries,
        )


@dataclass(frozen=True)
class RegionTable:
    """The country→region table, with the names to show for each country."""

    regions: dict[str, str]
    names: dict[str, str] = field(default_factory=dict)

    def region(self, country: str) -> str:
        return self.regions.get((country or "").upper(), Region.OTHER)

    def name(self, country: str) -> str:
        return self.names.get(country, country)

    def countries_of(self, region: str) -> list[str]:
        return sorted(
            (self.name(code) for code, r in self.regions.items() if r == region),
            key=str.casefold,
        )


@dataclass(frozen=True)
class RuleCheck:
    """One line of a team's checklist."""

    code: str
    label: Any
    violations: tuple[Violation, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.violations


def member_country(member: MemberFacts, basis: str) -> str:
    country = member.residence if basis == RegionBasis.RESIDENCE else member.nationality
    return (country or "").upper()


def basis_label(basis: str) -> Any:
    if basis == RegionBasis.RESIDENCE:
        return _("Regions are counted by country of residence.")
    return _("Regions are counted by nationality.")


def _basis_field(basis: str) -> str:
    """The profile field that places a member in a region under ``basis``."""
    return "residence" if basis == RegionBasis.RESIDENCE else "nationality"


def profile_fields_of(violations: list[Violation], user_id: int) -> list[str]:
    """The profile fields, in order and once each, that decide the rules
    ``violations`` break for the member ``user_id``: a rule about named members
    counts only when that member is among them, a rule about the whole team
    (a country's share) always does."""
    fields: list[str] = []
    for v in violations:
        name = v.params.get("profile_field")
        if not name or name in fields:
            continue
        named = v.params.get("user_ids", [v.params["user_id"]] if "user_id" in v.params else None)
        if named is None or user_id in named:
            fields.append(name)
    return fields


def is_individual_entry(members: list[MemberFacts], track: TrackRules) -> bool:
    return len(members) == 1 and track.min_members == 1


def is_cross_border(regions: set[str]) -> bool:
    return Region.CHINA in regions and Region.ASEAN in regions


def team_checklist(
    *, members: list[MemberFacts], table: RegionTable, track: TrackRules
) -> list[RuleCheck]:
    """Every rule of the track that applies, each with what it found broken."""
    basis = track.region_basis
    countries = [member_country(m, basis) for m in members]
    regions = [table.region(c) for c in countries]
    checks = [RuleCheck("team_size", _size_label(track), tuple(_size(members, track)))]
    if track.cross_border_required:
        checks.append(
            RuleCheck(
                "cross_border",
                _("At least one member from the China region and one from ASEAN"),
                tuple(_cross_border(regions, table)),
            )
        )
    if track.max_other_region_members is not None:
        checks.append(
            RuleCheck(
                "other_region",
                _("Members from outside China and ASEAN: at most %(max)d")
                % {"max": track.max_other_region_members}
                if track.max_other_region_members
                else _("Only members from China and ASEAN"),
                tuple(_other_region(members, table, track)),
            )
        )
    if track.max_country_share is not None:
        checks.append(
            RuleCheck(
                "country_share",
                format_lazy(
                    _("At most {share} percent of members from one country"),
                    share=_percent(track.max_country_share),
                ),
                tuple(_country_share(countries, table, track)),
            )
        )
    checks.append(
        RuleCheck(
            "participant_types",
            _("Every member's participant type is allowed"),
            tuple(_participant_types(members, track)),
        )
    )
    checks.append(
        RuleCheck(
            "organisation_types",
            _("Every member's organisation type is allowed"),
            tuple(_organisation_types(members, track)),
        )
    )
    checks.append(
        RuleCheck(
            "teams_per_person",
            _("No member is in too many teams"),
            tuple(_teams_per_person(members, track)),
        )
    )
    return checks


def team_violations(
    *, members: list[MemberFacts], table: RegionTable, track: TrackRules
) -> list[Violation]:
    """Every rule the team breaks for the track (empty: it may enter)."""
    return [
        v
        for check in team_checklist(members=members, table=table, track=track)
        for v in check.violations
    ]


def new_violations(before: list[Violation], after: list[Violation]) -> list[Violation]:
    """The violations a change would add. A team that already breaks a rule
    (say, it is still one member short) may change in ways that add nothing new.
    A blocking rule the team already broke (its track's limit was lowered) counts
    as new when the change makes it worse, so the team may come back within the
    limit one step at a time but never grow further past it."""
    known = {_violation_key(v): v for v in before}
    return [v for v in after if _is_new(v, known.get(_violation_key(v)))]


def _is_new(violation: Violation, earlier: Violation | None) -> bool:
    if earlier is None:
        return True
    if violation.code in BLOCKING_CODES:
        return violation.params.get("count", 0) > earlier.params.get("count", 0)
    return False


def _violation_key(v: Violation) -> tuple:
    return (v.code, v.params.get("user_id"), v.params.get("country"))


def _percent(share: Decimal) -> str:
    return format(Decimal(share) * 100, "f").rstrip("0").rstrip(".")


def _size_label(track: TrackRules) -> Any:
    """The size rule as it really applies: a track with a minimum of one that
    takes no individual entries needs two members."""
    if track.min_members == 1 and not track.allows_individual_entries:
        return format_lazy(
            _("Between {low} and {high} members (this track takes no individual entries)"),
            low=2,
            high=track.max_members,
        )
    return format_lazy(
        _("Between {low} and {high} members"), low=track.min_members, high=track.max_members
    )


def _size(members: list[MemberFacts], track: TrackRules):
    count = len(members)
    if count < track.min_members:
        yield Violation(
            "too_few_members",
            ngettext_lazy(
                "The team needs at least %(min)d member; it has %(count)d. Invite more members.",
                "The team needs at least %(min)d members; it has %(count)d. Invite more members.",
                "min",
            )
            % {"min": track.min_members, "count": count},
            {"min": track.min_members, "count": count},
        )
    if count > track.max_members:
        yield Violation(
            "too_many_members",
            ngettext_lazy(
                "The team may have at most %(max)d member; it has %(count)d.",
                "The team may have at most %(max)d members; it has %(count)d.",
                "max",
            )
            % {"max": track.max_members, "count": count},
            {"max": track.max_members, "count": count},
        )
    if is_individual_entry(members, track) and not track.allows_individual_entries:
        yield Violation(
            "individual_entry_not_allowed",
            _("This track does not take individual entries: invite at least one more member."),
        )


def _cross_border(regions: list[str], table: RegionTable):
    present = set(regions)
    if Region.CHINA not in present:
        yield Violation(
            "cross_border_needs_china",
            _("Add a member from the China region (%(countries)s).")
            % {"countries": ", ".join(table.countries_of(Region.CHINA))},
        )
    if Region.ASEAN not in present:
        yield Violation(
            "cross_border_needs_asean",
            _("Add a member from an ASEAN member state (%(countries)s).")
            % {"countries": ", ".join(table.countries_of(Region.ASEAN))},
        )


def _other_region(members: list[MemberFacts], table: RegionTable, track: TrackRules):
    basis = track.region_basis
    outside = [m for m in members if table.region(member_country(m, basis)) == Region.OTHER]
    count, allowed = len(outside), track.max_other_region_members
    if count <= allowed:
        return
    # Each with the country that counts under the track's basis.
    names = ", ".join(f"{m.name} ({table.name(member_country(m, basis)) or '?'})" for m in outside)
    if allowed == 0:
        message = ngettext(
            "This track takes only members from China and ASEAN; %(names)s counts as from "
            "elsewhere. Replace this member with one from China or ASEAN.",
            "This track takes only members from China and ASEAN; %(names)s count as from "
            "elsewhere. Replace these members with members from China or ASEAN.",
            count,
        ) % {"names": names}
    else:
        message = ngettext(
            "At most %(max)d member may come from outside China and ASEAN; the team has "
            "%(count)d: %(names)s. Replace %(excess)d of them with members from China or "
            "ASEAN.",
            "At most %(max)d members may come from outside China and ASEAN; the team has "
            "%(count)d: %(names)s. Replace %(excess)d of them with members from China or "
            "ASEAN.",
            allowed,
        ) % {"max": allowed, "count": count, "names": names, "excess": count - allowed}
    yield Violation(
        "too_many_other_region",
        message,
        {
            "max": allowed,
            "count": count,
            "user_ids": [m.user_id for m in outside],
            "profile_field": _basis_field(basis),
        },
    )


def _country_share(countries: list[str], table: RegionTable, track: TrackRules):
    total = len(countries)
    if not total:
        return
    limit = Decimal(track.max_country_share) * total
    for country, count in sorted(Counter(countries).items()):
        # Exact comparison: 3 of 4 members is exactly 0.75 of the team.
        if Decimal(count) > limit:
            yield Violation(
                "country_share_exceeded",
                _(
                    "%(count)d of %(total)d members are from %(country)s; at most %(share)s "
                    "percent of a team may come from one country. Add members from other "
                    "countries."
                )
                % {
                    "count": count,
                    "total": total,
                    "country": table.name(country),
                    "share": _percent(track.max_country_share),
                },
                {
                    "country": country,
                    "count": count,
                    "total": total,
                    "profile_field": _basis_field(track.region_basis),
                },
            )


def _type_labels(values, choices) -> str:
    labels = dict(choices)
    return ", ".join(str(labels.get(v, v)) for v in values)


def _participant_types(members: list[MemberFacts], track: TrackRules):
    allowed = set(track.allowed_participant_types)
    for m in members:
        if m.participant_type not in allowed:
            yield Violation(
                "participant_type_not_allowed",
                _(
                    "%(name)s's participant type (%(type)s) is not open in this track; "
                    "it takes only: %(allowed)s."
                )
                % {
                    "name": m.name,
                    "type": _type_labels([m.participant_type], ParticipantType.choices),
                    "allowed": _type_labels(
                        track.allowed_participant_types, ParticipantType.choices
                    ),
                },
                {"user_id": m.user_id, "profile_field": "participant_type"},
            )


def _organisation_types(members: list[MemberFacts], track: TrackRules):
    allowed = set(track.allowed_organisation_types)
    for m in members:
        if m.organisation_type not in allowed:
            yield Violation(
                "organisation_type_not_allowed",
                _(
                    "%(name)s's organisation type (%(type)s) is not open in this track; "
                    "it takes only: %(allowed)s. If %(name)s belongs to such an "
                    "organisation, they should choose it under “Organisation” in their "
                    "profile."
                )
                % {
                    "name": m.name,
                    "type": _type_labels([m.organisation_type], OrganisationType.choices),
                    "allowed": _type_labels(
                        track.allowed_organisation_types, OrganisationType.choices
                    ),
                },
                {"user_id": m.user_id, "profile_field": "organisation"},
            )


def _teams_per_person(members: list[MemberFacts], track: TrackRules):
    for m in members:
        if m.other_teams_in_challenge + 1 > track.teams_per_person_per_challenge:
            yield Violation(
                "person_teams_per_challenge",
                _leave_other_team_message(
                    m,
                    names=m.other_team_names_in_challenge,
                    count=m.other_teams_in_challenge,
                    limit=track.teams_per_person_per_challenge,
                    in_track=False,
                ),
                {"user_id": m.user_id},
            )
        limit = track.teams_per_person_in_track
        if limit is not None and m.other_teams_in_track + 1 > limit:
            yield Violation(
                "person_teams_in_track",
                _leave_other_team_message(
                    m,
                    names=m.other_team_names_in_track,
                    count=m.other_teams_in_track,
                    limit=limit,
                    in_track=True,
                ),
                {"user_id": m.user_id},
            )


def _leave_other_team_message(
    m: MemberFacts, *, names: tuple[str, ...], count: int, limit: int, in_track: bool
) -> str:
    params = {"name": m.name, "count": count, "max": limit, "teams": ", ".join(names)}
    if in_track and names:
        text = ngettext(
            "%(name)s is already in another team in this track (%(teams)s); a person may be "
            "in at most %(max)d. %(name)s must leave %(teams)s before joining this entry, "
            "or leave this team.",
            "%(name)s is already in other teams in this track (%(teams)s); a person may be "
            "in at most %(max)d. %(name)s must leave one of them before joining this "
            "entry, or leave this team.",
            count,
        )
    elif in_track:
        text = ngettext(
            "%(name)s is already in %(count)d other team in this track; a person may be in "
            "at most %(max)d. %(name)s must leave the other team first, or leave this team.",
            "%(name)s is already in %(count)d other teams in this track; a person may be in "
            "at most %(max)d. %(name)s must leave one of the other teams first, or leave "
            "this team.",
            count,
        )
    elif names:
        text = ngettext(
            "%(name)s is already in another team in this challenge (%(teams)s); a person "
            "may be in at most %(max)d. %(name)s must leave %(teams)s before joining this "
            "entry, or leave this team.",
            "%(name)s is already in other teams in this challenge (%(teams)s); a person "
            "may be in at most %(max)d. %(name)s must leave one of them before joining "
            "this entry, or leave this team.",
            count,
        )
    else:
        text = ngettext(
            "%(name)s is already in %(count)d other team in this challenge; a person may be "
            "in at most %(max)d. %(name)s must leave the other team first, or leave this "
            "team.",
            "%(name)s is already in %(count)d other teams in this challenge; a person may "
            "be in at most %(max)d. %(name)s must leave one of the other teams first, or "
            "leave this team.",
            count,
        )
    return text % params
