"""Reads of a challenge's judging for its organizers: the judged score of
each entry (raw, calibrated, trimmed, and the one the challenge chose), the
discussion list, the panels' agreement, coverage and the judges' progress.

All arithmetic is ``judging.scoring``'s; raw scores are never changed. The
standings blend ``judged_scores`` with the automated score."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from judging import rules, scoring, selectors
from judging.models import (
    Entry,
    Judge,
    JudgedScoreMethod,
    Review,
    ReviewStatus,
)


@dataclass(frozen=True)
class ReviewTotal:
    judge_id: int
    judge_name: str
    total: float  # raw weighted total, as the judge gave it
    calibrated: float | None  # None: the judge has too few reviews to calibrate


@dataclass(frozen=True)
class JudgedScore:
    entry_id: int
    code: str
    reviews: list[ReviewTotal]
    raw_mean: float | None
    # Mean of the calibrated totals; a judge with too few reviews counts with
    # their raw total (``uncalibrated`` says how many did).
    calibrated_mean: float | None
    uncalibrated: int
    trimmed_mean: float | None  # only with 4 or more judges
    method: str
    score: float | None  # the challenge's judged score of the entry
    flags: list[scoring.Flag] = field(default_factory=list)

    @property
    def judges(self) -> int:
        return len(self.reviews)


# The words of ``judging.scoring`` (which stays free of Django) for its
# agreement bands, shown in the reader's language.
AGREEMENT_LEVELS = {
    "poor": _("poor"),
    "moderate": _("moderate"),
    "good": _("good"),
    "excellent": _("excellent"),
    "weak": _("weak"),
    "strong": _("strong"),
}


def agreement_level(level: str) -> str:
    """An agreement band's word in the active language."""
    return str(AGREEMENT_LEVELS.get(level, level))


@dataclass(frozen=True)
class PanelAgreement:
    judges: list[str]
    entries: int
    icc: scoring.Agreement | None
    kendall: scoring.Agreement | None

    @property
    def icc_level(self) -> str:
        return agreement_level(self.icc.level) if self.icc else ""

    @property
    def kendall_level(self) -> str:
        return agreement_level(self.kendall.level) if self.kendall else ""


@dataclass(frozen=True)
class Judged:
    scores: dict[int, JudgedScore]
    calibration: scoring.Calibration
    discussion: list[JudgedScore]
    agreement: list[PanelAgreement]


def _submitted_totals(challenge) -> tuple[list[scoring.Review], dict[int, str]]:
    """Every submitted review of the challenge as (judge, entry, raw total)."""
    criteria = selectors.rubric(challenge=challenge)
    weights = {c.pk: c.weight for c in criteria}
    reviews = (
        Review.objects.filter(assignment__entry__challenge=challenge, status=ReviewStatus.SUBMITTED)
        .select_related("assignment__judge")
        .prefetch_related("scores")
        .order_by("assignment__entry_id", "assignment__judge_id")
    )
    totals, names = [], {}
    for review in reviews:
        total = rules.weighted_total(scores=selectors.scores_of(review), weights=weights)
        if total is None:  # the rubric changed under a submitted review: left out
            continue
        judge = review.assignment.judge
        names[judge.pk] = judge.display_name
        totals.append(scoring.Review(judge.pk, review.assignment.entry_id, total))
    return totals, names


def judging_of(challenge) -> Judged:
    """The judged scores, discussion list and agreement of one challenge,
    in a bounded number of queries."""
    settings = selectors.challenge_judging(challenge)
    entries = list(Entry.objects.filter(challenge=challenge).order_by("code"))
    totals, names = _submitted_totals(challenge)
    calibration = scoring.calibrate_zscore(totals, min_reviews=settings.min_reviews_for_calibration)
    flags = defaultdict(list)
    for flag in scoring.disagreement_flags(
        totals,
        range_threshold=float(settings.disagreement_range),
        z_threshold=float(settings.disagreement_z),
    ):
        flags[flag.entry_id].append(flag)
    by_entry = defaultdict(list)
    for review in totals:
        by_entry[review.entry_id].append(review)
    scores = {}
    for entry in entries:
        rows = [
            ReviewTotal(
                r.judge_id,
                names[r.judge_id],
                r.total,
                calibration.scores.get((r.judge_id, r.entry_id)),
            )
            for r in by_entry.get(entry.pk, [])
        ]
        scores[entry.pk] = _judged_score(entry, rows, settings.judged_score_method, flags)
    return Judged(
        scores=scores,
        calibration=calibration,
        discussion=[s for s in scores.values() if s.flags],
        agreement=_agreement(by_entry, names),
    )


def _judged_score(entry, rows: list[ReviewTotal], method: str, flags) -> JudgedScore:
    raw = [r.total for r in rows]
    if not raw:
        return JudgedScore(entry.pk, entry.code, [], None, None, 0, None, method, None)
    raw_mean = sum(raw) / len(raw)
    calibrated = [r.calibrated if r.calibrated is not None else r.total for r in rows]
    calibrated_mean = sum(calibrated) / len(calibrated)
    trimmed = scoring.trimmed_mean(raw) if len(raw) >= 4 else None
    chosen = {
        JudgedScoreMethod.RAW_MEAN: raw_mean,
        JudgedScoreMethod.CALIBRATED: calibrated_mean,
        # Under 4 judges nothing is trimmed: the mean.
        JudgedScoreMethod.TRIMMED: scoring.trimmed_mean(raw),
    }[method]
    return JudgedScore(
        entry_id=entry.pk,
        code=entry.code,
        reviews=rows,
        raw_mean=raw_mean,
        calibrated_mean=calibrated_mean,
        uncalibrated=sum(r.calibrated is None for r in rows),
        trimmed_mean=trimmed,
        method=method,
        score=chosen,
        flags=flags.get(entry.pk, []),
    )


def _agreement(by_entry, names) -> list[PanelAgreement]:
    """Agreement of each panel: the entries judged by exactly the same judges
    (ICC and W need every judge to score every entry of the matrix)."""
    panels = defaultdict(list)
    for reviews in by_entry.values():
        judges = tuple(sorted({r.judge_id for r in reviews}))
        panels[judges].append({r.judge_id: r.total for r in reviews})
    shown = []
    for judges, rows in sorted(panels.items(), key=lambda p: -len(p[1])):
        if len(judges) < 2:
            continue
        matrix = [[row[j] for j in judges] for row in rows]
        enough = len(matrix) >= 2
        shown.append(
            PanelAgreement(
                judges=[names[j] for j in judges],
                entries=len(matrix),
                icc=scoring.icc2k(matrix) if enough else None,
                kendall=scoring.kendall_w(matrix) if enough else None,
            )
        )
    return shown


def judged_scores(challenge) -> dict[int, JudgedScore]:
    """Entry id → its judged score (``score`` under the challenge's method)."""
    return judging_of(challenge).scores


@dataclass(frozen=True)
class Coverage:
    entry: Entry
    assigned: int
    submitted: int
    wanted: int

    @property
    def short(self) -> bool:
        return self.submitted < self.wanted


def coverage(challenge) -> list[Coverage]:
    """Each entry's judges assigned and reviews submitted against R."""
    wanted = selectors.challenge_judging(challenge).judges_per_entry
    entries = (
        Entry.objects.filter(challenge=challenge)
        .select_related("registration__team")
        .annotate(
            n_assigned=Count("assignments", distinct=True),
            n_submitted=Count(
                "assignments", filter=Q(assignments__review__status="submitted"), distinct=True
            ),
        )
        .order_by("code")
    )
    return [Coverage(e, e.n_assigned, e.n_submitted, wanted) for e in entries]


@dataclass(frozen=True)
class Progress:
    judge: Judge
    assigned: int
    drafts: int
    submitted: int
    due_at: datetime | None

    @property
    def not_started(self) -> int:
        return self.assigned - self.drafts - self.submitted


def progress(challenge) -> list[Progress]:
    """Each judge of the challenge: assigned, drafts, submitted, due date."""
    due_at = selectors.challenge_judging(challenge).due_at
    # The filter comes first, so the counts run over this challenge's assignments only.
    judges = (
        Judge.objects.filter(assignments__entry__challenge=challenge)
        .annotate(
            n_assigned=Count("assignments"),
            n_drafts=Count("assignments", filter=Q(assignments__review__status="draft")),
            n_submitted=Count("assignments", filter=Q(assignments__review__status="submitted")),
        )
        .order_by("display_name")
    )
    return [Progress(j, j.n_assigned, j.n_drafts, j.n_submitted, due_at) for j in judges]
