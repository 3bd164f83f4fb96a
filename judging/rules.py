"""Pure rules of judging: rubrics, reviews, changes after submitting,
conflicts and manual assignments. Each returns every violation with a
stable code and a translatable message; nothing here reads the database."""

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from judging import scoring
from league.errors import Violation

# Entry codes: a prefix per track kind and four characters that cannot be
# misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PREFIXES = {
    "industrial_innovation": "II",
    "bottleneck_challenge": "BC",
    "talent_discovery": "TD",
}


def entry_code(*, track_kind: str, length: int = 4) -> str:
    prefix = CODE_PREFIXES.get(track_kind, "EN")
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def weighted_total(*, scores: Mapping[int, int], weights: Mapping[int, Decimal]) -> float | None:
    """``scoring.weighted_total`` of a review in progress: None until every
    criterion is scored (a partial total would compare unlike with like)."""
    if not weights or any(criterion not in scores for criterion in weights):
        return None
    return scoring.weighted_total(
        {c: float(scores[c]) for c in weights}, {c: float(w) for c, w in weights.items()}
    )


def rubric_weight_violations(*, weights: Iterable[Decimal]) -> list[Violation]:
    weights = [Decimal(w) for w in weights]
    if not weights:
        return []
    found = []
    if any(w <= 0 or w > 1 for w in weights):
        found.append(
            Violation(
                "criterion_weight_invalid",
                _("Each criterion's weight must be more than 0 and at most 1."),
            )
        )
    total = sum(weights, Decimal(0))
    if total != 1:
        found.append(
            Violation(
                "rubric_weights_sum",
                _("The weights of a rubric must sum to 1; these sum to %(total)s.")
                % {"total": f"{total.normalize():f}"},
                {"total": str(total)},
            )
        )
    return found


def level_violations(*, scale_min: int, scale_max: int, scores: Iterable[int]) -> list[Violation]:
    outside = sorted(s for s in scores if s < scale_min or s > scale_max)
    if not outside:
        return []
    return [
        Violation(
            "level_outside_scale",
            _("A level's score must lie on the scale %(low)s–%(high)s: %(scores)s.")
            % {"low": scale_min, "high": scale_max, "scores": ", ".join(map(str, outside))},
        )
    ]


def score_violations(
    *, scales: Mapping[int, tuple[str, int, int]], scores: Mapping[int, int]
) -> list[Violation]:
    """``scales``: criterion id → (name, lowest, highest). Scores of other
    criteria and scores off the scale are refused."""
    found = []
    unknown = sorted(set(scores) - set(scales))
    if unknown:
        found.append(
            Violation(
                "unknown_criterion",
                _("These scores are for criteria not in the entry's rubric."),
                {"criteria": unknown},
            )
        )
    for criterion, score in scores.items():
        if criterion in scales:
            name, low, high = scales[criterion]
            if not low <= score <= high:
                found.append(
                    Violation(
                        "score_out_of_scale",
                        _("%(criterion)s is scored from %(low)s to %(high)s.")
                        % {"criterion": name, "low": low, "high": high},
                        {"criterion": criterion},
                    )
                )
    return found


def submit_violations(*, missing: list[str], has_rubric: bool) -> list[Violation]:
    if not has_rubric:
        return [
            Violation(
                "rubric_missing",
                _("This entry's challenge has no rubric yet; the organizers must add one."),
            )
        ]
    if not missing:
        return []
    return [
        Violation(
            "review_incomplete",
            ngettext(
                "Score every criterion before submitting; missing: %(criteria)s.",
                "Score every criterion before submitting; missing: %(criteria)s.",
                len(missing),
            )
            % {"criteria": ", ".join(missing)},
            {"missing": missing},
        )
    ]


def edit_window_closes(*, submitted_at: datetime | None, hours: int) -> datetime | None:
    return submitted_at + timedelta(hours=hours) if submitted_at else None


def change_violations(
    *, submitted_at: datetime | None, hours: int, now: datetime, reason: str
) -> list[Violation]:
    """After the edit window, a change of a submitted review needs a reason."""
    closes = edit_window_closes(submitted_at=submitted_at, hours=hours)
    if closes is None or now <= closes or reason.strip():
        return []
    return [
        Violation(
            "change_reason_required",
            _("The edit window of this review has closed: say why you change it."),
        )
    ]


def declare_conflict_violations(*, reason: str, submitted: bool) -> list[Violation]:
    found = []
    if not reason.strip():
        found.append(
            Violation(
                "conflict_reason_required",
                _("Say briefly why you have a conflict with this entry (the organizers read it)."),
            )
        )
    if submitted:
        found.append(
            Violation(
                "review_already_submitted",
                _(
                    "You already submitted a review of this entry; ask the organizers to "
                    "withdraw it instead."
                ),
            )
        )
    return found


def assignment_violations(
    *, judge_name: str, judge_active: bool, already_assigned: bool, conflicts: list[str]
) -> list[Violation]:
    """May an organizer assign this judge to this entry? ``conflicts``: the
    reasons of the judge's conflicts with the entry's team not overridden."""
    found = []
    if not judge_active:
        found.append(
            Violation(
                "judge_inactive",
                _("%(judge)s is not an active judge.") % {"judge": judge_name},
            )
        )
    if already_assigned:
        found.append(
            Violation(
                "already_assigned",
                _("%(judge)s is already assigned to this entry.") % {"judge": judge_name},
            )
        )
    if conflicts:
        found.append(
            Violation(
                "judge_conflicted",
                _("%(judge)s has a conflict with this team: %(reasons)s.")
                % {"judge": judge_name, "reasons": "; ".join(conflicts)},
            )
        )
    return found


def override_violations(*, reason: str, already_overridden: bool) -> list[Violation]:
    found = []
    if not reason.strip():
        found.append(
            Violation(
                "override_reason_required",
                _("Overriding a conflict needs a reason; it is kept with your name."),
            )
        )
    if already_overridden:
        found.append(Violation("already_overridden", _("This conflict was already overridden.")))
    return found


def finalists_sync_violations(
    *, finalists: int, has_phase: bool, closed: bool, revealed: bool
) -> list[Violation]:
    """Finalists are picked from the private leaderboard: only once the
    challenge's last phase has closed and its private scores are revealed."""
    if finalists < 1:
        return [
            Violation(
                "finalists_not_judged",
                _("This challenge sends no finalists to the judges (0 finalists set)."),
            )
        ]
    if not has_phase or not closed:
        return [
            Violation(
                "finalists_before_close",
                _("Finalists are picked after the challenge's last phase has closed."),
            )
        ]
    if not revealed:
        return [
            Violation(
                "finalists_before_reveal",
                _("Finalists are picked once the private scores have been revealed."),
            )
        ]
    return []


def finalists_pick(
    standings: Iterable[tuple[int, float | None, datetime | None]],
    *,
    count: int,
    higher_is_better: bool,
) -> list[int]:
    """The registrations of the top ``count`` of the private leaderboard from
    (registration id, private score, best submission's time) rows: teams
    without a private score are left out; among equal scores the earlier best
    submission ranks first."""
    sign = -1 if higher_is_better else 1
    scored = [row for row in standings if row[1] is not None]
    scored.sort(
        key=lambda row: (sign * row[1], row[2].timestamp() if row[2] else float("inf"), row[0])
    )
    return [row[0] for row in scored[:count]]


def writeup_size_violations(*, size: int, limit: int) -> list[Violation]:
    if size <= limit:
        return []
    return [
        Violation(
            "writeup_too_large",
            _("The write-up is larger than this challenge allows (%(mb)d MB).")
            % {"mb": limit // (1024 * 1024)},
        )
    ]
