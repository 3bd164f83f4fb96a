from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from judging import rules


def codes(violations):
    return [v.code for v in violations]


def test_weighted_total_is_the_sum_of_weight_times_score():
    weights = {1: Decimal("0.35"), 2: Decimal("0.30"), 3: Decimal("0.20"), 4: Decimal("0.15")}
    # 0.35×4 + 0.30×3 + 0.20×5 + 0.15×2 = 1.4 + 0.9 + 1.0 + 0.3 = 3.6
    assert rules.weighted_total(scores={1: 4, 2: 3, 3: 5, 4: 2}, weights=weights) == pytest.approx(
        3.6
    )


def test_no_weighted_total_until_every_criterion_is_scored():
    assert (
        rules.weighted_total(scores={1: 4}, weights={1: Decimal("0.5"), 2: Decimal("0.5")}) is None
    )


def test_rubric_weights_must_sum_to_one():
    assert rules.rubric_weight_violations(weights=[Decimal("0.6"), Decimal("0.4")]) == []
    found = rules.rubric_weight_violations(weights=[Decimal("0.6"), Decimal("0.5")])
    assert codes(found) == ["rubric_weights_sum"]
    assert "1.1" in str(found[0].message)
    assert codes(rules.rubric_weight_violations(weights=[Decimal("0"), Decimal("1")])) == [
        "criterion_weight_invalid"
    ]


def test_scores_off_the_scale_or_of_other_criteria_are_refused():
    scales = {1: ("Value", 1, 5)}
    assert codes(rules.score_violations(scales=scales, scores={1: 6, 9: 3})) == [
        "unknown_criterion",
        "score_out_of_scale",
    ]


def test_a_change_needs_a_reason_only_after_the_window():
    submitted = timezone.now() - timedelta(hours=10)
    inside = dict(submitted_at=submitted, hours=24, now=timezone.now())
    after = dict(submitted_at=submitted, hours=2, now=timezone.now())
    assert rules.change_violations(**inside, reason="") == []
    assert codes(rules.change_violations(**after, reason="  ")) == ["change_reason_required"]
    assert rules.change_violations(**after, reason="Misread the pilot results") == []


def test_a_conflict_declaration_needs_a_reason_and_no_submitted_review():
    assert codes(rules.declare_conflict_violations(reason="", submitted=True)) == [
        "conflict_reason_required",
        "review_already_submitted",
    ]


def test_manual_assignment_names_every_reason():
    found = rules.assignment_violations(
        judge_name="Dr. A",
        judge_active=False,
        already_assigned=True,
        conflicts=["Same organisation"],
    )
    assert codes(found) == ["judge_inactive", "already_assigned", "judge_conflicted"]
    assert "Same organisation" in str(found[2].message)


def test_entry_codes_name_the_track_kind_and_avoid_lookalikes():
    code = rules.entry_code(track_kind="industrial_innovation")
    assert code.startswith("II-") and len(code) == 7
    assert not set(code[3:]) & set("01OIL")
