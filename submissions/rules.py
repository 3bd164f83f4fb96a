"""Pure intake rules: may this team hand in this file now? No writes, no requests.

Every function returns every broken rule (a ``Violation`` with a stable code
and a translatable message), never just the first, so the page, the API and
the admin show the same reasons.
"""

import os
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from league.errors import Violation
from league.rules import phase_is_open
from league.timefmt import when
from submissions.models import FailureCause, SubmissionStatus
from teams.models import RegistrationStatus

MAX_ATTEMPTS = 3


def day_start(at: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """Midnight of ``at``'s day in ``zone``, as an aware instant."""
    local = at.astimezone(zone)
    return datetime(local.year, local.month, local.day, tzinfo=zone).astimezone(UTC)


def next_reset(at: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    """The next midnight in ``zone`` after ``at`` (daily limits reset then)."""
    local = at.astimezone(zone)
    tomorrow = local.date() + timedelta(days=1)
    return datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone).astimezone(UTC)


def counts_against_quota(*, status: str, failure_cause: str, counted: bool) -> bool:
    """Whether a submission still spends quota after reaching ``status``.

    Spent once at intake (``counted``); a cancellation or a platform failure
    gives it back; nothing spends it again (an organizer's re-run included).
    """
    if not counted or status in (SubmissionStatus.CANCELLED, SubmissionStatus.REJECTED):
        return False
    return not (status == SubmissionStatus.FAILED and failure_cause == FailureCause.PLATFORM)


@dataclass(frozen=True)
class Quota:
    daily_limit: int
    used_today: int
    total_limit: int
    used_total: int
    resets_at: datetime
    # When the team may submit next; None if it may now or never again.
    next_possible_at: datetime | None

    @property
    def remaining_today(self) -> int:
        return max(0, min(self.daily_limit - self.used_today, self.remaining_total))

    @property
    def remaining_total(self) -> int:
        return max(0, self.total_limit - self.used_total)

    def as_dict(self) -> dict:
        return {
            "daily_limit": self.daily_limit,
            "used_today": self.used_today,
            "remaining_today": self.remaining_today,
            "total_limit": self.total_limit,
            "used_total": self.used_total,
            "remaining_total": self.remaining_total,
            "resets_at": self.resets_at,
            "next_possible_at": self.next_possible_at,
        }


def quota(
    *,
    daily_limit: int,
    total_limit: int,
    limit_zone: zoneinfo.ZoneInfo,
    used_today: int,
    used_total: int,
    closes_at: datetime,
    now: datetime,
) -> Quota:
    resets_at = next_reset(now, limit_zone)
    next_possible = None
    if used_total < total_limit and used_today >= daily_limit and resets_at <= closes_at:
        next_possible = resets_at
    return Quota(
        daily_limit=daily_limit,
        used_today=used_today,
        total_limit=total_limit,
        used_total=used_total,
        resets_at=resets_at,
        next_possible_at=next_possible,
    )


def window_violations(*, opens_at: datetime, closes_at: datetime, now: datetime) -> list[Violation]:
    """The phase accepts submissions from opening to the deadline, inclusive to the second."""
    if phase_is_open(opens_at, closes_at, now):
        return []
    if now < opens_at:
        return [
            Violation(
                "phase_not_open",
                _("This phase opens at %(when)s.") % {"when": when(opens_at)},
                {"opens_at": opens_at.isoformat()},
            )
        ]
    return [
        Violation(
            "phase_closed",
            _("The deadline has passed: this phase closed at %(when)s.")
            % {"when": when(closes_at)},
            {"closes_at": closes_at.isoformat()},
        )
    ]


def registration_violations(
    *, registered: bool, status: str | None, rejection_reason: str = ""
) -> list[Violation]:
    """Why the team may not submit yet, if its registration is the reason."""
    if not registered:
        return [
            Violation(
                "not_registered",
                _("Your team is not registered for this challenge."),
            )
        ]
    if status == RegistrationStatus.REJECTED:
        return [
            Violation(
                "registration_rejected",
                _(
                    "The organizers rejected your team's registration: “%(reason)s”. "
                    "Fix what they point out and ask them to look again."
                )
                % {"reason": rejection_reason},
            )
        ]
    if status == RegistrationStatus.NEEDS_REVIEW:
        return [
            Violation(
                "registration_needs_review",
                _(
                    "Your team no longer meets a rule of this track, so its registration "
                    "is waiting for the organizers' review; the team page says which rule. "
                    "Submissions reopen once it is verified again."
                ),
            )
        ]
    if status != RegistrationStatus.VERIFIED:
        return [
            Violation(
                "registration_not_verified",
                _(
                    "Your team's registration has not been verified yet; "
                    "submissions open once it is."
                ),
            )
        ]
    return []


def counter_limit_reached(
    *,
    day: date,
    today: date,
    used_today: int,
    used_total: int,
    daily_limit: int,
    total_limit: int,
) -> bool:
    """Whether a quota counter that counts ``used_today`` on ``day`` has
    nothing left to spend ``today``: the total limit, or today's."""
    return used_total >= total_limit or (day == today and used_today >= daily_limit)


def quota_violations(q: Quota) -> list[Violation]:
    found = []
    if q.used_total >= q.total_limit:
        found.append(
            Violation(
                "total_limit_reached",
                ngettext(
                    "Your team has used its %(limit)s submission of this phase.",
                    "Your team has used all %(limit)s submissions of this phase.",
                    q.total_limit,
                )
                % {"limit": q.total_limit},
                {"total_limit": q.total_limit},
            )
        )
    elif q.used_today >= q.daily_limit:
        found.append(
            Violation(
                "daily_limit_reached",
                ngettext(
                    "Your team has used its %(limit)s submission for today. "
                    "The limit resets at %(when)s.",
                    "Your team has used its %(limit)s submissions for today. "
                    "The limit resets at %(when)s.",
                    q.daily_limit,
                )
                % {"limit": q.daily_limit, "when": when(q.resets_at)},
                {"daily_limit": q.daily_limit, "resets_at": q.resets_at.isoformat()},
            )
        )
    return found


def allowed_extensions(*, configured: list[str], defaults: list[str]) -> list[str]:
    """The challenge's own list if the organizers set one, else its mode's."""
    return [e.lower() for e in configured] or list(defaults)


def file_violations(*, name: str, size: int, allowed: list[str], max_bytes: int) -> list[Violation]:
    found = []
    extension = os.path.splitext(name or "")[1].lower()
    if extension not in allowed:
        found.append(
            Violation(
                "wrong_extension",
                _("Files of type “%(extension)s” are not accepted here; send one of: %(allowed)s.")
                % {"extension": extension or _("(none)"), "allowed": ", ".join(allowed)},
                {"allowed": allowed},
            )
        )
    if size == 0:
        found.append(Violation("empty_file", _("The file is empty.")))
    elif size > max_bytes:
        found.append(
            Violation(
                "file_too_large",
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {"size": f"{size / 1048576:.1f}", "limit": max_bytes // 1048576},
                {"max_bytes": max_bytes},
            )
        )
    return found


def final_selection_violations(
    *, status: str, already_selected: int, max_selections: int, phase_open: bool
) -> list[Violation]:
    found = []
    if status != SubmissionStatus.SCORED:
        found.append(
            Violation("not_scored", _("Only a scored submission can be selected as final."))
        )
    if not phase_open:
        found.append(
            Violation(
                "phase_closed", _("Final submissions can be changed only while the phase is open.")
            )
        )
    if already_selected >= max_selections:
        found.append(
            Violation(
                "too_many_final",
                ngettext(
                    "Your team may select at most %(limit)s final submission; unselect it first.",
                    "Your team may select at most %(limit)s final submissions; unselect one first.",
                    max_selections,
                )
                % {"limit": max_selections},
                {"max_final_selections": max_selections},
            )
        )
    return found


@dataclass(frozen=True)
class ScoredEntry:
    """What the finals rule needs to know of one scored submission."""

    id: int
    public_score: float
    private_score: float | None
    created_at: datetime
    is_final: bool


def public_order(entries: Iterable[ScoredEntry], *, higher_is_better: bool) -> list[ScoredEntry]:
    """Best public score first; among equal scores the earlier submission,
    then the lower number (the leaderboard's order)."""
    sign = -1 if higher_is_better else 1
    return sorted(entries, key=lambda e: (sign * e.public_score, e.created_at, e.id))


def entries_counting_for_private(
    entries: Iterable[ScoredEntry], *, higher_is_better: bool, max_finals: int
) -> list[ScoredEntry]:
    """The scored submissions whose private scores decide the team's: its
    selected finals; with none selected (or none of them scored), its
    ``max_finals`` best by public score. Never all of them: the best private
    score over every submission would reward probing the private split."""
    entries = list(entries)
    finals = [e for e in entries if e.is_final]
    if finals:
        return public_order(finals, higher_is_better=higher_is_better)
    return public_order(entries, higher_is_better=higher_is_better)[:max_finals]


def final_private_score(
    entries: Iterable[ScoredEntry], *, higher_is_better: bool, max_finals: int
) -> float | None:
    """The team's private score: the best among the submissions that count."""
    counted = [
        e.private_score
        for e in entries_counting_for_private(
            entries, higher_is_better=higher_is_better, max_finals=max_finals
        )
        if e.private_score is not None
    ]
    if not counted:
        return None
    return max(counted) if higher_is_better else min(counted)


def finals_rule(*, max_finals: int) -> str:
    """The rule above as participants read it (leaderboard page and API)."""
    return ngettext(
        "A team's private score is the private score of its selected final submission; "
        "with none selected, of its best submission by public score. Among equal public "
        "scores the earlier submission counts first.",
        "A team's private score is the best private score among its selected final "
        "submissions (at most %(count)s); with none selected, among its %(count)s best "
        "submissions by public score. Among equal public scores the earlier submission "
        "counts first.",
        max_finals,
    ) % {"count": max_finals}


def answer_key_violations(*, has_answer_key: bool) -> list[Violation]:
    """A prediction phase takes files only once it can score them."""
    if has_answer_key:
        return []
    return [
        Violation(
            "answer_key_missing",
            _(
                "This phase cannot take files yet: the organizers have not uploaded its "
                "answer key. Nothing was stored and no quota was spent; try again later."
            ),
        )
    ]


def proposal_page_violations(*, pages: int, max_pages: int) -> list[Violation]:
    if pages <= max_pages:
        return []
    return [
        Violation(
            "pdf_too_many_pages",
            ngettext(
                "The proposal has %(pages)s pages; this challenge takes at most %(limit)s page.",
                "The proposal has %(pages)s pages; this challenge takes at most %(limit)s pages.",
                max_pages,
            )
            % {"pages": pages, "limit": max_pages},
            {"pages": pages, "max_pages": max_pages},
        )
    ]
