"""The blend, normalisation, tie rule and awards, against hand arithmetic."""

import pytest

from judging.results import rules
from judging.results.rules import Candidate, Method


def test_rank_normalisation_shares_the_better_rank_among_equal_scores():
    # Ranks 1, 2, 2, 4 of n = 4: 1 − (rank − 1) / 3.
    got = rules.normalise_rank({1: 0.9, 2: 0.8, 3: 0.8, 4: 0.5}, higher_is_better=True)
    assert got == pytest.approx({1: 1.0, 2: 2 / 3, 3: 2 / 3, 4: 0.0})


def test_rank_normalisation_of_a_lower_is_better_metric():
    got = rules.normalise_rank({1: 3.0, 2: 1.0, 3: 2.0}, higher_is_better=False)
    assert got == pytest.approx({1: 0.0, 2: 1.0, 3: 0.5})
    assert rules.normalise_rank({7: 0.4}, higher_is_better=True) == {7: 1.0}


def test_minmax_normalisation_respects_the_metric_direction():
    # RMSE: 2.0 is the best (1), 4.0 the worst (0), 3.0 halfway.
    got = rules.normalise_minmax({1: 2.0, 2: 4.0, 3: 3.0}, higher_is_better=False)
    assert got == pytest.approx({1: 1.0, 2: 0.0, 3: 0.5})
    got = rules.normalise_minmax({1: 0.2, 2: 0.6, 3: 1.0}, higher_is_better=True)
    assert got == pytest.approx({1: 0.0, 2: 0.5, 3: 1.0})
    assert rules.normalise_minmax({1: 5.0, 2: 5.0}, higher_is_better=True) == {1: 1.0, 2: 1.0}


def test_the_judged_score_is_normalised_by_the_rubric_scale():
    # Criteria (weight, lowest, highest): 0.6 × [1, 5] + 0.4 × [0, 10] → [0.6, 7.0].
    assert rules.rubric_scale([(0.6, 1, 5), (0.4, 0, 10)]) == pytest.approx((0.6, 7.0))
    assert rules.normalise_judged(4.0, lowest=1, highest=5) == 0.75
    assert rules.normalise_judged(6.0, lowest=1, highest=5) == 1.0


def test_blend_of_automated_and_judged_scores_by_hand():
    # 60 % automated (min–max), 40 % judged on a 1–5 rubric.
    # Automated 0.9, 0.7, 0.5 → 1, 0.5, 0. Judged 4, 5, 2 → 0.75, 1, 0.25.
    # A: 0.6 × 1 + 0.4 × 0.75 = 0.9; B: 0.3 + 0.4 = 0.7; C: 0 + 0.1 = 0.1.
    method = Method(0.6, 0.4, rules.MINMAX, True, 1, 5, gold=1, silver=1, bronze=1)
    got = rules.blend(
        [
            Candidate(3, "C", automated=0.5, judged=2.0),
            Candidate(1, "A", automated=0.9, judged=4.0),
            Candidate(2, "B", automated=0.7, judged=5.0),
        ],
        method,
    )
    assert [(s.rank, s.team, s.medal) for s in got] == [
        (1, "A", "gold"),
        (2, "B", "silver"),
        (3, "C", "bronze"),
    ]
    assert [s.blended for s in got] == pytest.approx([0.9, 0.7, 0.1])
    assert [s.judged_normalised for s in got] == pytest.approx([0.75, 1.0, 0.25])


def test_equal_blended_scores_rank_the_higher_judged_score_first():
    # 50/50 by rank: A = 0.5 × 1 + 0.5 × 0 = 0.5, B = 0.5 × 0 + 0.5 × 1 = 0.5.
    method = Method(0.5, 0.5, rules.RANK, True, 1, 5)
    got = rules.blend(
        [
            Candidate(1, "A", automated=0.9, judged=1.0),
            Candidate(2, "B", automated=0.5, judged=5.0),
        ],
        method,
    )
    assert [s.team for s in got] == ["B", "A"]
    assert got[0].blended == got[1].blended == 0.5


def test_then_the_earlier_best_submission_then_the_lower_registration_id():
    method = Method(1.0, 0.0, rules.RANK, True)
    got = rules.blend(
        [
            Candidate(5, "Late", automated=0.8, submitted_at="2026-03-02T10:00:00+00:00"),
            Candidate(9, "Early", automated=0.8, submitted_at="2026-03-01T10:00:00+00:00"),
            Candidate(4, "Unknown time", automated=0.8),
            Candidate(3, "Also unknown", automated=0.8),
        ],
        method,
    )
    assert [s.team for s in got] == ["Early", "Late", "Also unknown", "Unknown time"]
    assert [s.rank for s in got] == [1, 2, 3, 4]


def test_a_challenge_with_only_judged_scores_uses_them_alone():
    # The challenge weighs the automated score 0.7, but no team has one.
    method = Method(0.7, 0.3, rules.RANK, True, 0, 10)
    got = rules.blend([Candidate(1, "A", judged=8.0), Candidate(2, "B", judged=6.0)], method)
    assert [s.blended for s in got] == pytest.approx([0.8, 0.6])
    assert rules.effective_weights(method, has_automated=False, has_judged=True) == (0.0, 1.0)
    assert rules.effective_weights(method, has_automated=True, has_judged=False) == (1.0, 0.0)
    assert rules.effective_weights(method, has_automated=True, has_judged=True) == (0.7, 0.3)


def test_a_team_without_a_judged_score_counts_zero_for_it():
    # 50/50, min–max: A = 0.5 × 1 + 0.5 × 0 (no judged score) = 0.5;
    # B = 0.5 × 0 + 0.5 × 1 = 0.5; the tie goes to B, the higher judged score.
    # A team with no score at all is not ranked.
    method = Method(0.5, 0.5, rules.MINMAX, True, 1, 5)
    got = rules.blend(
        [
            Candidate(1, "A", automated=0.9),
            Candidate(2, "B", automated=0.1, judged=5.0),
            Candidate(3, "No score"),
        ],
        method,
    )
    assert [(s.team, s.blended) for s in got] == [("B", 0.5), ("A", 0.5)]


def test_medals_by_position_as_configured():
    method = Method(1.0, 0.0, gold=1, silver=2, bronze=0)
    got = rules.blend([Candidate(i, f"T{i}", automated=1.0 - i / 10) for i in range(1, 6)], method)
    assert [s.medal for s in got] == ["gold", "silver", "silver", "", ""]


def test_best_cross_border_team_of_a_track():
    rows = [
        {"registration_id": 1, "rank": 1, "blended": 0.9, "cross_border": False, "team": "A"},
        {"registration_id": 2, "rank": 2, "blended": 0.8, "cross_border": True, "team": "B"},
        {"registration_id": 7, "rank": 2, "blended": 0.85, "cross_border": True, "team": "C"},
        {"registration_id": 3, "rank": 1, "blended": 0.7, "cross_border": True, "team": "D"},
    ]
    assert rules.best_cross_border(rows)["team"] == "D"
    assert rules.best_cross_border(rows[:3])["team"] == "C"  # equal rank: higher blended
    assert rules.best_cross_border(rows[:1]) is None


def test_the_inputs_hash_is_canonical_and_follows_every_input():
    method = Method(0.6, 0.4)
    a = [Candidate(1, "A", automated=0.5), Candidate(2, "B", automated=0.4)]
    base = rules.inputs_sha256(rules.canonical_inputs(a, method, []))
    assert rules.inputs_sha256(rules.canonical_inputs(a[::-1], method, [])) == base
    changed = [Candidate(1, "A", automated=0.51), a[1]]
    assert rules.inputs_sha256(rules.canonical_inputs(changed, method, [])) != base
    other = Method(0.6, 0.4, normalisation=rules.MINMAX)
    assert rules.inputs_sha256(rules.canonical_inputs(a, other, [])) != base


def test_publishing_is_refused_before_the_reveal_and_without_rows():
    codes = [v.code for v in rules.publish_violations(rows=0, unrevealed=True)]
    assert codes == ["standings_before_reveal", "standings_empty"]
    assert rules.publish_violations(rows=3, unrevealed=False) == []


def test_the_method_in_words_names_weights_normalisation_and_ties():
    text = " ".join(
        rules.method_summary(
            Method(0.6, 0.4, rules.MINMAX, False, 1, 5).as_dict(),
            weights=(0.6, 0.4),
            finals_rule="FINALS RULE",
        )
    )
    assert "60% automated score + 40% judges' score" in text
    assert "min–max" in text and "FINALS RULE" in text and "(1 to 5)" in text
    assert "higher judges' score first" in text
