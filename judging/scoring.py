"""Pure score arithmetic for judging: totals, calibration, trimmed means,
disagreement and agreement. No Django, no database; raw scores are never changed,
everything here is computed alongside them.

Conventions: standard deviations are sample SDs (n − 1); a "review" is one judge's
weighted total for one entry.

Default calibration: ``calibrate_zscore`` (z within the judge, mapped back onto the
overall scale, only for judges with at least ``min_reviews`` reviews), because it is
the rule organizers can state where the score is shown ("calibrated over the
judge's N reviews"). ``calibrate_shrunk`` gives every judge a calibrated score by
pulling a judge's mean and SD toward the overall ones in proportion to how few
reviews they have; challenges may choose it.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

WEIGHT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Review:
    judge_id: int
    entry_id: int
    total: float


@dataclass(frozen=True)
class Calibration:
    # (judge id, entry id) → calibrated total, or None where the judge has too few reviews.
    scores: dict[tuple[int, int], float | None]
    overall_mean: float
    overall_sd: float
    # Judges left uncalibrated (fewer than min_reviews reviews), with their count.
    too_few_reviews: dict[int, int]
    method: str
    min_reviews: int


@dataclass(frozen=True)
class Flag:
    entry_id: int
    code: str  # "range" or "z"
    params: dict
    template: str

    @property
    def message(self) -> str:
        return self.template.format(**self.params)


@dataclass(frozen=True)
class Agreement:
    statistic: str  # "icc2k" or "kendall_w"
    value: float
    level: str  # "poor", "moderate", "good", "excellent" (ICC) / "weak" ... (W)
    template: str  # one line saying what the number means

    @property
    def message(self) -> str:
        return self.template.format(value=self.value, level=self.level)


def weighted_total(scores: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """Σ weight × criterion score. Weights must sum to 1 and name the same criteria."""
    if set(scores) != set(weights):
        missing = sorted(set(weights) - set(scores))
        extra = sorted(set(scores) - set(weights))
        raise ValueError(f"criteria do not match the weights: missing {missing}, extra {extra}")
    if not math.isclose(sum(weights.values()), 1.0, abs_tol=WEIGHT_TOLERANCE):
        raise ValueError(f"weights sum to {sum(weights.values())}, not 1")
    return float(sum(weights[name] * scores[name] for name in weights))


def calibrate_zscore(reviews: Iterable[Review], *, min_reviews: int = 3) -> Calibration:
    """z = (score − judge mean) / judge SD, mapped back as overall mean + overall SD × z.

    Judges with fewer than ``min_reviews`` reviews get None. A judge who gave every
    entry the same total (SD 0) has z = 0: their reviews map to the overall mean.
    """
    reviews = list(reviews)
    mean, sd = _mean_sd([r.total for r in reviews])
    by_judge = _by_judge(reviews)
    scores, too_few = {}, {}
    for judge_id, totals in by_judge.items():
        if len(totals) < max(2, min_reviews):
            too_few[judge_id] = len(totals)
            for entry_id, _total in totals:
                scores[judge_id, entry_id] = None
            continue
        judge_mean, judge_sd = _mean_sd([t for _, t in totals])
        for entry_id, total in totals:
            z = (total - judge_mean) / judge_sd if judge_sd > 0 else 0.0
            scores[judge_id, entry_id] = mean + sd * z
    return Calibration(scores, mean, sd, too_few, "zscore", min_reviews)


def calibrate_shrunk(reviews: Iterable[Review], *, prior_reviews: float = 3.0) -> Calibration:
    """The z-score calibration with the judge's mean and variance shrunk to the overall ones.

    With n reviews: mean* = (n × judge mean + p × overall mean) / (n + p) and
    var* = ((n − 1) × judge var + p × overall var) / (n − 1 + p), p = ``prior_reviews``:
    a judge with few reviews is treated almost like the average judge, one with many
    almost as in ``calibrate_zscore``. Every judge gets a score.
    """
    reviews = list(reviews)
    mean, sd = _mean_sd([r.total for r in reviews])
    scores = {}
    for judge_id, totals in _by_judge(reviews).items():
        n = len(totals)
        values = [t for _, t in totals]
        judge_mean = sum(values) / n
        judge_var = _mean_sd(values)[1] ** 2 if n > 1 else 0.0
        shrunk_mean = (n * judge_mean + prior_reviews * mean) / (n + prior_reviews)
        shrunk_var = ((n - 1) * judge_var + prior_reviews * sd**2) / (n - 1 + prior_reviews)
        shrunk_sd = math.sqrt(shrunk_var)
        for entry_id, total in totals:
            z = (total - shrunk_mean) / shrunk_sd if shrunk_sd > 0 else 0.0
            scores[judge_id, entry_id] = mean + sd * z
    return Calibration(scores, mean, sd, {}, "shrunk", 0)


def trimmed_mean(values: Sequence[float]) -> float:
    """The mean; with 4 or more values, without the highest and the lowest."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    if len(ordered) >= 4:
        ordered = ordered[1:-1]
    return sum(ordered) / len(ordered)


def disagreement_flags(
    reviews: Iterable[Review],
    *,
    range_threshold: float | None = None,
    z_threshold: float | None = None,
) -> list[Flag]:
    """Entries whose judges disagree, for the discussion list.

    "range": the highest minus the lowest total of the entry's judges reaches
    ``range_threshold``. "z": a judge's total is at least ``z_threshold`` overall SDs
    away from the mean of the entry's panel, z = (total − panel mean) / overall SD.
    """
    reviews = list(reviews)
    _mean, sd = _mean_sd([r.total for r in reviews])
    panels = defaultdict(list)
    for r in reviews:
        panels[r.entry_id].append(r)
    flags = []
    for entry_id, panel in sorted(panels.items()):
        totals = [r.total for r in panel]
        spread = max(totals) - min(totals)
        if range_threshold is not None and len(panel) > 1 and spread >= range_threshold:
            flags.append(
                Flag(
                    entry_id,
                    "range",
                    {"range": round(spread, 3), "threshold": range_threshold},
                    "The judges' totals differ by {range} (threshold {threshold}).",
                )
            )
        if z_threshold is not None and len(panel) > 1 and sd > 0:
            panel_mean = sum(totals) / len(totals)
            worst = max(panel, key=lambda r: abs(r.total - panel_mean))
            z = abs(worst.total - panel_mean) / sd
            if z >= z_threshold:
                flags.append(
                    Flag(
                        entry_id,
                        "z",
                        {"judge": worst.judge_id, "z": round(z, 3), "threshold": z_threshold},
                        "Judge {judge} is {z} SDs from the panel's mean (threshold {threshold}).",
                    )
                )
    return flags


def icc2k(matrix: Sequence[Sequence[float]]) -> Agreement:
    """ICC(2,k) (Shrout & Fleiss): two-way random, absolute agreement, mean of k judges.

    ``matrix``: one row per entry, one column per judge, every judge scoring every
    entry. ICC(2,k) = (MSR − MSE) / (MSR + (MSC − MSE) / n), 0 when MSR ≤ MSE.
    """
    x = np.asarray(matrix, dtype=float)
    n, k = x.shape
    if n < 2 or k < 2:
        raise ValueError("ICC needs at least 2 entries and 2 judges")
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    # Judges who differ more within entries than entries differ (MSR ≤ MSE) give a
    # negative or meaningless estimate: reported as 0, no agreement.
    value = float((msr - mse) / (msr + (msc - mse) / n)) if msr > mse else 0.0
    # Koo & Li (2016) bands.
    level = (
        "poor"
        if value < 0.5
        else "moderate"
        if value < 0.75
        else "good"
        if value < 0.9
        else "excellent"
    )
    return Agreement(
        "icc2k",
        value,
        level,
        "ICC {value:.2f} ({level}): how far the panel's average score would stay the "
        "same with other judges like these (1 = fully, 0 = not at all).",
    )


def kendall_w(matrix: Sequence[Sequence[float]]) -> Agreement:
    """Kendall's W with the tie correction: do the judges rank the entries alike?

    ``matrix``: one row per entry, one column per judge. Each judge's scores become
    ranks (ties share the average rank); R_i = entry i's rank sum,
    S = Σ (R_i − mean R)², W = 12 S / (m² (n³ − n) − m Σ T), T = Σ (t³ − t) per tie group.
    """
    x = np.asarray(matrix, dtype=float)
    n, m = x.shape
    if n < 2 or m < 2:
        raise ValueError("Kendall's W needs at least 2 entries and 2 judges")
    ranks = np.column_stack([_average_ranks(x[:, j]) for j in range(m)])
    rank_sums = ranks.sum(axis=1)
    s = float(((rank_sums - rank_sums.mean()) ** 2).sum())
    ties = 0.0
    for j in range(m):
        _values, counts = np.unique(x[:, j], return_counts=True)
        ties += float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    value = 12 * s / denominator if denominator else 1.0
    level = "weak" if value < 0.3 else "moderate" if value < 0.6 else "strong"
    return Agreement(
        "kendall_w",
        value,
        level,
        "Kendall's W {value:.2f} ({level}): how alike the judges rank the entries "
        "(1 = the same order, 0 = no common order).",
    )


def _average_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value
        ranks[tied] = ranks[tied].mean()
    return ranks


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    mean = sum(values) / len(values)
    if len(values) < 2:
        return mean, 0.0
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


def _by_judge(reviews: Iterable[Review]) -> dict[int, list[tuple[int, float]]]:
    by_judge = defaultdict(list)
    for r in reviews:
        by_judge[r.judge_id].append((r.entry_id, r.total))
    return dict(by_judge)
