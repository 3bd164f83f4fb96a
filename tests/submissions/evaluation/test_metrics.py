import math

import numpy as np
import pytest

from league.metrics import METRICS, MetricKind
from submissions.evaluation.errors import EvaluationError, InvalidValue
from submissions.evaluation.metrics import METRIC_REGISTRY, get_metric


def test_every_defined_metric_has_an_implementation_and_every_implementation_a_definition():
    assert set(METRIC_REGISTRY) == set(METRICS)
    for name, definition in METRICS.items():
        metric = get_metric(name)
        assert metric.definition is definition, name
        assert metric.name == name
        assert metric.higher_is_better is definition.higher_is_better, name
        assert metric.kind in MetricKind


def test_an_unknown_metric_names_the_known_ones():
    with pytest.raises(EvaluationError) as caught:
        get_metric("f1_micro")
    assert caught.value.codes == ["unknown_metric"]
    message = str(caught.value)
    assert "“f1_micro”" in message
    assert "accuracy" in message and "map_at_k" in message


def _labels(*values):
    return np.array(values, dtype=object)


def test_accuracy_counts_exact_labels():
    score = get_metric("accuracy").compute(_labels("a", "b", "c", "d"), _labels("a", "b", "c", "x"))
    assert score == 0.75


def test_macro_f1_averages_the_f1_of_each_class():
    # Class a: precision 1, recall 1/2, F1 2/3. Class b: precision 2/3,
    # recall 1, F1 4/5. Mean: 11/15.
    y_true = _labels("a", "a", "b", "b")
    y_pred = _labels("a", "b", "b", "b")
    assert get_metric("macro_f1").compute(y_true, y_pred) == pytest.approx(11 / 15)


def test_roc_auc_of_a_known_ranking():
    # Of the four (positive, negative) pairs, three are ordered right.
    y_true = np.array([0, 0, 1, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8])
    assert get_metric("roc_auc").compute(y_true, scores) == pytest.approx(0.75)


def test_roc_auc_with_one_class_is_a_clear_error_that_reveals_no_labels():
    with pytest.raises(EvaluationError) as caught:
        get_metric("roc_auc").compute(np.array([1, 1, 1]), np.array([0.2, 0.5, 0.9]))
    assert caught.value.codes == ["single_class"]
    assert "organizers" in str(caught.value)
    assert "private" not in str(caught.value)


def test_log_loss_of_known_probabilities():
    y_true = np.array([1, 0])
    probabilities = np.array([0.8, 0.3])
    expected = -(math.log(0.8) + math.log(0.7)) / 2
    assert get_metric("log_loss").compute(y_true, probabilities) == pytest.approx(expected)


def test_log_loss_clips_certain_wrong_answers_to_a_finite_score():
    score = get_metric("log_loss").compute(np.array([0, 1]), np.array([1.0, 0.0]))
    # Each probability is clipped 1e-15 away from certainty.
    expected = (-math.log(1e-15) - math.log(1 - (1 - 1e-15))) / 2
    assert score == pytest.approx(expected)


def test_log_loss_with_a_single_class_is_still_defined():
    score = get_metric("log_loss").compute(np.array([1, 1]), np.array([0.5, 0.5]))
    assert score == pytest.approx(math.log(2))


def test_rmse_mae_and_r2_of_known_vectors():
    y_true = np.array([1.0, 2.0, 3.0])
    assert get_metric("rmse").compute(y_true, np.array([1.0, 2.0, 5.0])) == pytest.approx(
        math.sqrt(4 / 3)
    )
    assert get_metric("mae").compute(y_true, np.array([2.0, 2.0, 5.0])) == pytest.approx(1.0)
    # Residual sum of squares 1, total sum of squares 2.
    assert get_metric("r2").compute(y_true, np.array([1.0, 2.0, 4.0])) == pytest.approx(0.5)


def test_r2_of_a_single_row_is_reported_not_returned_as_nan():
    with pytest.raises(EvaluationError) as caught:
        get_metric("r2").compute(np.array([1.0]), np.array([1.0]))
    assert caught.value.codes == ["undefined_score"]
    assert "“r2”" in str(caught.value)


def _rankings(*rows):
    array = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        array[i] = row
    return array


def test_map_at_k_averages_precision_at_each_hit():
    metric = get_metric("map_at_k")
    relevant = _rankings(frozenset({"a", "b"}), frozenset({"c"}))
    ranked = _rankings(("a", "x", "b"), ("x", "y"))
    # Row 1: hits at ranks 1 and 3 give (1/1 + 2/3) / 2 = 5/6. Row 2: 0.
    assert metric.compute(relevant, ranked) == pytest.approx(5 / 12)


def test_map_at_k_scores_a_repeated_item_once_and_ignores_ranks_past_ten():
    metric = get_metric("map_at_k")
    relevant = _rankings(frozenset({"a", "b"}), frozenset({"z"}))
    ranked = _rankings(("a", "a", "b"), (*(f"miss{i}" for i in range(10)), "z"))
    assert metric.compute(relevant, ranked) == pytest.approx((1 + 2 / 3) / 2 / 2)


@pytest.mark.parametrize(
    ("metric", "text", "code"),
    [
        ("rmse", "abc", "non_numeric_value"),
        ("rmse", "1,5", "non_numeric_value"),
        ("rmse", "1_000", "non_numeric_value"),
        ("rmse", "١٢", "non_numeric_value"),
        ("rmse", "NaN", "nan_value"),
        ("rmse", "NA", "nan_value"),
        ("rmse", "null", "nan_value"),
        ("rmse", "inf", "infinite_value"),
        ("rmse", "-Infinity", "infinite_value"),
        ("rmse", "1e999", "infinite_value"),
        ("rmse", "  ", "missing_value"),
        ("log_loss", "1.2", "out_of_range"),
        ("log_loss", "-0.1", "out_of_range"),
        ("roc_auc", "nan", "nan_value"),
        ("roc_auc", "3.5", "out_of_range"),  # a probability metric reads probabilities
        ("roc_auc", "-0.01", "out_of_range"),
        ("roc_auc", "", "missing_value"),
        ("log_loss", "inf", "infinite_value"),
        ("accuracy", "", "missing_value"),
        ("map_at_k", " ", "missing_value"),
    ],
)
def test_a_prediction_cell_that_the_metric_cannot_use(metric, text, code):
    with pytest.raises(InvalidValue) as caught:
        get_metric(metric).parse_value(text)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("metric", "text", "value"),
    [
        ("rmse", " 1.5 ", 1.5),
        ("rmse", "-2e-3", -0.002),
        ("rmse", ".5", 0.5),
        ("rmse", "+7", 7.0),
        ("roc_auc", "0.35", 0.35),
        ("log_loss", "1", 1.0),
        ("accuracy", " cat ", "cat"),
        ("map_at_k", "b  a c", ("b", "a", "c")),
    ],
)
def test_a_prediction_cell_that_the_metric_reads(metric, text, value):
    assert get_metric(metric).parse_value(text) == value


@pytest.mark.parametrize("text", ["2", "0.5", "yes"])
def test_binary_metrics_expect_zero_or_one(text):
    with pytest.raises(InvalidValue):
        get_metric("roc_auc").parse_expected(text)


def test_binary_metrics_read_zero_and_one_in_either_form():
    metric = get_metric("log_loss")
    assert [metric.parse_expected(t) for t in ("0", "1", "1.0", "0.0")] == [0, 1, 1, 0]
