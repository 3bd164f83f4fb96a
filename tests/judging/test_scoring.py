"""Score arithmetic against values computed by hand (the arithmetic is in the comments)."""

import math

import pytest

from judging.scoring import (
    Review,
    calibrate_shrunk,
    calibrate_zscore,
    disagreement_flags,
    icc2k,
    kendall_w,
    trimmed_mean,
    weighted_total,
)

# Judge 1: entries 1, 2, 3 → 6, 7, 8  (mean 7, SD √((1+0+1)/2) = 1)
# Judge 2: entries 1, 2, 3 → 2, 4, 6  (mean 4, SD √((4+0+4)/2) = 2)
# Judge 3: entry 1 → 9                (one review)
# All seven totals: sum 42, mean 6; squared deviations 0+1+4+16+4+0+9 = 34,
# overall SD = √(34/6) = 2.380476
REVIEWS = [
    Review(1, 1, 6),
    Review(1, 2, 7),
    Review(1, 3, 8),
    Review(2, 1, 2),
    Review(2, 2, 4),
    Review(2, 3, 6),
    Review(3, 1, 9),
]
OVERALL_SD = math.sqrt(34 / 6)


def test_weighted_total_is_the_sum_of_weight_times_score():
    # 0.5 × 8 + 0.3 × 6 + 0.2 × 9 = 4 + 1.8 + 1.8 = 7.6
    total = weighted_total(
        {"impact": 8, "tech": 6, "pitch": 9}, {"impact": 0.5, "tech": 0.3, "pitch": 0.2}
    )
    assert total == pytest.approx(7.6)


def test_weighted_total_refuses_weights_not_summing_to_one_or_other_criteria():
    with pytest.raises(ValueError, match="sum to"):
        weighted_total({"a": 1, "b": 2}, {"a": 0.5, "b": 0.6})
    with pytest.raises(ValueError, match="missing"):
        weighted_total({"a": 1}, {"a": 0.5, "b": 0.5})


def test_zscore_calibration_maps_each_judge_onto_the_overall_scale():
    calibration = calibrate_zscore(REVIEWS, min_reviews=3)
    assert calibration.overall_mean == pytest.approx(6)
    assert calibration.overall_sd == pytest.approx(2.380476, abs=1e-6)
    # Judge 1, entry 3: z = (8 − 7) / 1 = 1 → 6 + 2.380476 × 1 = 8.380476
    assert calibration.scores[1, 3] == pytest.approx(8.380476, abs=1e-6)
    # Judge 2, entry 1: z = (2 − 4) / 2 = −1 → 6 − 2.380476 = 3.619524
    assert calibration.scores[2, 1] == pytest.approx(3.619524, abs=1e-6)
    # The harsh judge 2's 6 and the lenient judge 1's 8 are the same: z = 1 each.
    assert calibration.scores[2, 3] == pytest.approx(calibration.scores[1, 3])
    # Judge 2, entry 2: z = 0 → the overall mean.
    assert calibration.scores[2, 2] == pytest.approx(6)
    # Judge 3 has 1 review, fewer than 3: no calibrated score, and it is reported.
    assert calibration.scores[3, 1] is None
    assert calibration.too_few_reviews == {3: 1}


def test_a_judge_who_gives_one_score_to_everything_maps_to_the_overall_mean():
    reviews = [Review(1, e, 5) for e in (1, 2, 3)] + [Review(2, e, t) for e, t in ((1, 1), (2, 9))]
    calibration = calibrate_zscore(reviews, min_reviews=2)
    # Overall: 5, 5, 5, 1, 9 → mean 25 / 5 = 5
    assert calibration.scores[1, 2] == pytest.approx(5)


def test_shrunk_calibration_pulls_judges_with_few_reviews_toward_the_overall_mean():
    calibration = calibrate_shrunk(REVIEWS, prior_reviews=3)
    # Judge 1: n = 3, mean 7, var 1.
    #   mean* = (3 × 7 + 3 × 6) / 6 = 6.5
    #   var*  = (2 × 1 + 3 × 34/6) / (2 + 3) = (2 + 17) / 5 = 3.8, SD* = 1.949359
    #   entry 3: z = (8 − 6.5) / 1.949359 = 0.769484 → 6 + 2.380476 × 0.769484 = 7.831737
    assert calibration.scores[1, 3] == pytest.approx(7.831737, abs=1e-6)
    # Judge 3: n = 1, mean 9, no variance of its own.
    #   mean* = (1 × 9 + 3 × 6) / 4 = 6.75; var* = (0 + 3 × 34/6) / 3 = 34/6 → SD* = overall SD
    #   z = (9 − 6.75) / 2.380476 → 6 + 2.25 = 8.25
    assert calibration.scores[3, 1] == pytest.approx(8.25)
    assert calibration.too_few_reviews == {}


def test_trimmed_mean_drops_highest_and_lowest_from_four_judges_on():
    # 5, 6, 7, 9 → 6, 7 → 6.5
    assert trimmed_mean([5, 9, 6, 7]) == pytest.approx(6.5)
    # Three judges: the plain mean (5 + 9 + 6) / 3
    assert trimmed_mean([5, 9, 6]) == pytest.approx(20 / 3)


def test_disagreement_flags_range_and_largest_z():
    flags = disagreement_flags(REVIEWS, range_threshold=5, z_threshold=1.5)
    # Entry 1: totals 6, 2, 9 → range 9 − 2 = 7 ≥ 5.
    #          panel mean 17/3 = 5.6667; judge 2 is 3.6667 away → z = 3.6667 / 2.380476 = 1.540
    # Entry 2: 7, 4 → range 3; mean 5.5, deviations 1.5 → z 0.63: not flagged.
    # Entry 3: 8, 6 → range 2; z 1 / 2.38 = 0.42: not flagged.
    assert [(f.entry_id, f.code) for f in flags] == [(1, "range"), (1, "z")]
    assert flags[0].params["range"] == 7
    assert flags[1].params["judge"] == 2
    assert flags[1].params["z"] == pytest.approx(1.540, abs=1e-3)
    assert "differ by 7" in flags[0].message


def test_icc2k_against_a_hand_computed_anova():
    # Rows (entries) 9 8 | 6 5 | 3 5; n = 3, k = 2; grand mean 36 / 6 = 6
    # Row means 8.5, 5.5, 4 → SSR = 2 × (2.5² + 0.5² + 2²) = 21, MSR = 21 / 2 = 10.5
    # Column means 6, 6 → SSC = 0, MSC = 0
    # SST = 9 + 4 + 0 + 1 + 9 + 1 = 24 → SSE = 3, MSE = 3 / 2 = 1.5
    # ICC(2,k) = (10.5 − 1.5) / (10.5 + (0 − 1.5) / 3) = 9 / 10 = 0.9
    agreement = icc2k([[9, 8], [6, 5], [3, 5]])
    assert agreement.value == pytest.approx(0.9)
    assert "panel's average score" in agreement.message


def test_icc2k_is_zero_when_judges_contradict_each_other():
    # Rows 9 1 | 5 5 | 1 9: row means all 5 → MSR = 0; column means 5, 5 → MSC = 0;
    # SSE = 16 + 16 + 0 + 0 + 16 + 16 = 64, MSE = 32. The formula would give
    # (0 − 32) / (0 − 32/3) = 3, meaningless: MSR ≤ MSE is reported as 0.
    agreement = icc2k([[9, 1], [5, 5], [1, 9]])
    assert agreement.value == 0
    assert agreement.level == "poor"


def test_kendall_w_without_and_with_ties():
    # Judge 1: 9, 6, 3 → ranks 3, 2, 1; judge 2: 8, 4, 5 → ranks 3, 1, 2
    # Rank sums 6, 3, 3; mean m(n+1)/2 = 4; S = 4 + 1 + 1 = 6
    # W = 12 × 6 / (2² × (27 − 3)) = 72 / 96 = 0.75
    assert kendall_w([[9, 8], [6, 4], [3, 5]]).value == pytest.approx(0.75)
    # Judge 2: 8, 5, 5 → ranks 3, 1.5, 1.5; rank sums 6, 3.5, 2.5; S = 4 + 0.25 + 2.25 = 6.5
    # Ties: one group of 2 → T = 2³ − 2 = 6; W = 12 × 6.5 / (4 × 24 − 2 × 6) = 78 / 84
    w = kendall_w([[9, 8], [6, 5], [3, 5]])
    assert w.value == pytest.approx(78 / 84)
    assert w.level == "strong"
    assert kendall_w([[1, 3], [2, 2], [3, 1]]).value == pytest.approx(0)
