"""Pure conflict rules: may this judge review this team's entry? No Django, no database.

Every function takes plain facts and returns every reason found, each with a stable
code, its parameters and an English template; the Django layer translates each code
(the templates here are the source strings). The codes double as
``judging.assignment.Conflict.reason``.

A nationality rule of "at most k of the panel from one member's country" is not a
conflict of one judge: it limits the panel, so it comes back as ``SpreadLimit``
values for the solver (``judging.assignment.AssignmentProblem.country_limits``).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SAME_ORGANISATION = "same_organisation"
SAME_EMAIL_DOMAIN = "same_email_domain"
TEAM_MEMBER = "team_member"
SHARED_NATIONALITY = "shared_nationality"

# Addresses anybody can get: sharing one says nothing about an institution.
WEBMAIL_DOMAINS = frozenset(
    {
        "qq.com",
        "163.com",
        "126.com",
        "foxmail.com",
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "yahoo.com",
        "icloud.com",
    }
)

TEMPLATES = {
    SAME_ORGANISATION: "The judge belongs to the same organisation as a team member.",
    SAME_EMAIL_DOMAIN: (
        "The judge's e-mail address ({judge_domain}) is of the same institution "
        "as a team member's ({member_domain})."
    ),
    TEAM_MEMBER: "The judge is or was a member of this team.",
    SHARED_NATIONALITY: "The judge is from {country}, like a team member.",
}


class NationalityRule(StrEnum):
    NONE = "none"
    # No judge from any team member's country.
    NO_SHARED_COUNTRY = "no_shared_country"
    # At most k of the panel from one member's country (a spread limit).
    AT_MOST_K = "at_most_k"


@dataclass(frozen=True)
class ConflictReason:
    code: str
    params: dict[str, Any]
    template: str

    @property
    def message(self) -> str:
        return self.template.format(**self.params)

    @property
    def detail(self) -> str:
        """What the reason is about, for ``judging.assignment.Conflict.detail``."""
        return str(self.params.get("country") or self.params.get("member_domain") or "")


@dataclass(frozen=True)
class SpreadLimit:
    """At most ``limit`` judges of the panel from ``country``."""

    country: str
    limit: int


@dataclass(frozen=True)
class JudgeFacts:
    user_id: int
    organisation_id: int | None = None
    email: str = ""
    nationality: str = ""
    # Teams the judge is or was a member of.
    team_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class TeamFacts:
    team_id: int
    member_user_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    emails: frozenset[str] = frozenset()
    nationalities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ConflictPolicy:
    """A challenge's conflict settings."""

    nationality_rule: NationalityRule = NationalityRule.NONE
    nationality_limit: int = 1  # k of AT_MOST_K
    # Institution aliases: e-mail domain → institution key (several domains, one key).
    domain_aliases: Mapping[str, str] = field(default_factory=dict)
    # More web-mail domains to ignore, besides WEBMAIL_DOMAINS.
    extra_webmail: frozenset[str] = frozenset()


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().strip(".").casefold()


def institution(domain: str, policy: ConflictPolicy = ConflictPolicy()) -> str | None:
    """The institution key of an e-mail domain; None for web-mail and blank domains.

    A subdomain belongs to its parent's institution (``cs.tsinghua.edu.cn`` →
    ``tsinghua.edu.cn``) when the parent is in the alias table; otherwise the domain
    is its own key, and ``_same_institution`` also matches a subdomain to its parent.
    """
    domain = domain.strip().strip(".").casefold()
    if not domain:
        return None
    webmail = WEBMAIL_DOMAINS | {d.casefold() for d in policy.extra_webmail}
    aliases = {k.casefold(): v for k, v in policy.domain_aliases.items()}
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in webmail:
            return None
        if candidate in aliases:
            return aliases[candidate]
    return domain


def conflict_reasons(
    judge: JudgeFacts, team: TeamFacts, policy: ConflictPolicy = ConflictPolicy()
) -> list[ConflictReason]:
    """Every reason why ``judge`` may not review ``team``'s entry (empty: no conflict)."""
    reasons = []
    if judge.organisation_id is not None and judge.organisation_id in team.organisation_ids:
        reasons.append(_reason(SAME_ORGANISATION))
    judge_key = institution(email_domain(judge.email), policy) if judge.email else None
    if judge_key:
        for member_email in sorted(team.emails):
            member_domain = email_domain(member_email)
            member_key = institution(member_domain, policy)
            if member_key and _same_institution(judge_key, member_key):
                reasons.append(
                    _reason(
                        SAME_EMAIL_DOMAIN,
                        judge_domain=email_domain(judge.email),
                        member_domain=member_domain,
                    )
                )
                break
    if team.team_id in judge.team_ids or judge.user_id in team.member_user_ids:
        reasons.append(_reason(TEAM_MEMBER))
    if (
        policy.nationality_rule == NationalityRule.NO_SHARED_COUNTRY
        and judge.nationality
        and judge.nationality in team.nationalities
    ):
        reasons.append(_reason(SHARED_NATIONALITY, country=judge.nationality))
    return reasons


def nationality_spread(team: TeamFacts, policy: ConflictPolicy) -> tuple[SpreadLimit, ...]:
    """The panel limits the nationality rule sets for this team (AT_MOST_K only)."""
    if policy.nationality_rule != NationalityRule.AT_MOST_K:
        return ()
    return tuple(
        SpreadLimit(country=country, limit=policy.nationality_limit)
        for country in sorted(team.nationalities)
        if country
    )


def conflicts_of(
    judges: Iterable[JudgeFacts],
    teams: Iterable[TeamFacts],
    policy: ConflictPolicy = ConflictPolicy(),
) -> dict[tuple[int, int], list[ConflictReason]]:
    """(team id, judge user id) → reasons, for every conflicted pair."""
    teams = list(teams)
    found = {}
    for judge in judges:
        for team in teams:
            reasons = conflict_reasons(judge, team, policy)
            if reasons:
                found[team.team_id, judge.user_id] = reasons
    return found


def _same_institution(a: str, b: str) -> bool:
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def _reason(code: str, **params: Any) -> ConflictReason:
    return ConflictReason(code=code, params=params, template=TEMPLATES[code])
