import io

import numpy as np
import pytest
from django.core.files import File
from sklearn import metrics as sk

from submissions.evaluation.errors import EvaluationError
from submissions.evaluation.scoring import Scores, score_predictions

LABEL_KEY = (
    "id,expected,split\n"
    "a,cat,public\nb,dog,public\nc,cat,public\nd,dog,public\n"
    "e,cat,private\nf,dog,private\n"
)


def _score(key: str, predictions: str | bytes, metric: str, **kwargs) -> Scores:
    data = predictions.encode() if isinstance(predictions, str) else predictions
    return score_predictions(
        answer_key_file=io.BytesIO(key.encode()),
        prediction_file=io.BytesIO(data),
        metric_name=metric,
        **kwargs,
    )


def test_public_and_private_parts_are_scored_apart():
    predictions = "id,prediction\na,cat\nb,dog\nc,cat\nd,cat\ne,cat\nf,cat\n"
    assert _score(LABEL_KEY, predictions, "accuracy") == Scores(public=0.75, private=0.5, rows=6)


def test_a_key_without_private_rows_has_no_private_score():
    key = "id,expected,split\na,1.0,public\nb,2.0,public\nc,3.0,public\n"
    scores = _score(key, "id,prediction\nc,5\nb,2\na,1\n", "rmse")
    assert scores.public == pytest.approx(np.sqrt(4 / 3))
    assert scores.private is None
    assert scores.rows == 3


def test_an_excel_file_with_bom_and_crlf_scores_like_a_plain_one():
    plain = "id,prediction\na,cat\nb,cat\nc,cat\nd,dog\ne,dog\nf,dog\n"
    excel = b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode()
    assert _score(LABEL_KEY, excel, "accuracy") == _score(LABEL_KEY, plain, "accuracy")
    assert _score(LABEL_KEY, excel, "accuracy") == Scores(public=0.75, private=0.5, rows=6)


def test_map_at_k_from_files():
    key = "id,expected,split\nu1,a b,public\nu2,c,public\nu3,z,private\n"
    predictions = "id,prediction\nu1,a x b\nu2,x y\nu3,z\n"
    scores = _score(key, predictions, "map_at_k")
    assert scores.public == pytest.approx(5 / 12)
    assert scores.private == 1.0


def test_django_files_on_disk_are_read(tmp_path):
    key_path = tmp_path / "key.csv"
    key_path.write_text(LABEL_KEY)
    predictions_path = tmp_path / "predictions.csv"
    predictions_path.write_text("id,prediction\na,cat\nb,dog\nc,cat\nd,dog\ne,cat\nf,dog\n")
    with key_path.open("rb") as key_file, predictions_path.open("rb") as predictions_file:
        scores = score_predictions(
            answer_key_file=File(key_file),
            prediction_file=File(predictions_file),
            metric_name="macro_f1",
        )
    assert scores == Scores(public=1.0, private=1.0, rows=6)


def test_a_bad_prediction_file_raises_every_problem():
    with pytest.raises(EvaluationError) as caught:
        _score(LABEL_KEY, "id,prediction\na,cat\na,dog\nzz,cat\n", "accuracy")
    assert caught.value.codes == ["duplicate_ids", "unknown_ids", "missing_ids"]
    assert caught.value.status == 422


def test_an_unknown_metric_is_refused_before_reading():
    with pytest.raises(EvaluationError) as caught:
        _score(LABEL_KEY, b"", "precision")
    assert caught.value.codes == ["unknown_metric"]


def test_roc_auc_on_a_one_class_private_part_does_not_say_which_part():
    key = "id,expected,split\na,0,public\nb,1,public\nc,1,private\nd,1,private\n"
    with pytest.raises(EvaluationError) as caught:
        _score(key, "id,prediction\na,0.1\nb,0.9\nc,0.3\nd,0.8\n", "roc_auc")
    assert caught.value.codes == ["single_class"]
    assert "private" not in str(caught.value)


ROWS = 10_000


def _large_case(metric: str, rng) -> tuple[list, list, np.ndarray]:
    if metric in ("accuracy", "macro_f1"):
        truth = rng.choice(["cat", "dog", "bird"], ROWS)
        guess = np.where(rng.random(ROWS) < 0.7, truth, rng.choice(["cat", "dog", "bird"], ROWS))
        return truth.tolist(), guess.tolist(), guess
    if metric in ("roc_auc", "log_loss"):
        truth = rng.integers(0, 2, ROWS)
        guess = np.clip(truth * 0.3 + rng.random(ROWS) * 0.7, 0, 1)
        return truth.tolist(), [repr(float(g)) for g in guess], guess
    truth = rng.normal(10, 3, ROWS)
    guess = truth + rng.normal(0, 1, ROWS)
    return [repr(float(t)) for t in truth], [repr(float(g)) for g in guess], guess


SKLEARN = {
    "accuracy": sk.accuracy_score,
    "macro_f1": lambda t, p: sk.f1_score(t, p, average="macro"),
    "roc_auc": sk.roc_auc_score,
    "log_loss": sk.log_loss,
    "rmse": sk.root_mean_squared_error,
    "mae": sk.mean_absolute_error,
    "r2": sk.r2_score,
}


@pytest.mark.parametrize("metric", sorted(SKLEARN))
def test_ten_thousand_rows_score_like_sklearn(metric):
    rng = np.random.default_rng(7)
    truth, cells, guess = _large_case(metric, rng)
    public = rng.random(ROWS) < 0.3
    key = "id,expected,split\n" + "".join(
        f"row{i},{truth[i]},{'public' if public[i] else 'private'}\n" for i in range(ROWS)
    )
    order = rng.permutation(ROWS)  # a participant need not keep the key's order
    predictions = "id,prediction\n" + "".join(f"row{i},{cells[i]}\n" for i in order)

    scores = _score(key, predictions, metric)

    labels = metric in ("accuracy", "macro_f1")
    y_true = np.array(truth, dtype=object if labels else float)
    expected = SKLEARN[metric]
    assert scores.public == pytest.approx(expected(y_true[public], guess[public]))
    assert scores.private == pytest.approx(expected(y_true[~public], guess[~public]))
    assert scores.rows == ROWS


def _refused(key: str, predictions: str, metric: str) -> EvaluationError:
    with pytest.raises(EvaluationError) as caught:
        _score(key, predictions, metric)
    return caught.value


def _label_file(cell_for_b: str) -> str:
    return f"id,prediction\na,cat\nb,{cell_for_b}\nc,cat\nd,dog\ne,cat\nf,dog\n"


@pytest.mark.parametrize("metric", ["accuracy", "macro_f1"])
@pytest.mark.parametrize(
    ("cell", "code", "shown"),
    [
        ("NaN", "unknown_label", "“NaN”"),  # pandas' missing value, not a fourth class
        ("nan", "unknown_label", "“nan”"),
        ("Cat", "unknown_label", "“Cat”"),  # the key's classes are compared exactly
        ("bird", "unknown_label", "“bird”"),
        ("", "missing_value", "has no prediction"),
        ("  ", "missing_value", "has no prediction"),
    ],
)
def test_a_label_outside_the_answer_keys_classes_is_refused_with_its_line(
    metric, cell, code, shown
):
    error = _refused(LABEL_KEY, _label_file(cell), metric)
    assert error.codes == [code]
    message = str(error.violations[0].message)
    assert message.startswith("Line 3") and shown in message
    if code == "unknown_label":
        assert "cat, dog" in message  # what the line may hold instead


def test_every_stray_label_is_counted_not_only_the_first():
    predictions = "id,prediction\n" + "".join(f"{r},NaN\n" for r in "abcdef")
    error = _refused(LABEL_KEY, predictions, "macro_f1")
    assert error.codes == ["unknown_label"] * 5 + ["unknown_label"]
    assert "1 more line" in str(error.violations[-1].message)


BINARY_KEY = "id,expected,split\na,0,public\nb,1,public\nc,0,private\nd,1,private\n"


@pytest.mark.parametrize("metric", ["roc_auc", "log_loss"])
@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("1.5", "out_of_range"),
        ("-0.2", "out_of_range"),
        ("NaN", "nan_value"),
        ("inf", "infinite_value"),
        ("", "missing_value"),
        ("yes", "non_numeric_value"),
    ],
)
def test_a_probability_outside_0_and_1_is_refused_with_its_line_and_value(metric, cell, code):
    predictions = f"id,prediction\na,0.1\nb,0.9\nc,{cell}\nd,0.7\n"
    error = _refused(BINARY_KEY, predictions, metric)
    assert error.codes == [code]
    message = str(error.violations[0].message)
    assert message.startswith("Line 4")
    if cell:
        assert f"“{cell}”" in message


@pytest.mark.parametrize("metric", ["rmse", "mae", "r2"])
@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("NaN", "nan_value"),
        ("-inf", "infinite_value"),
        ("1e999", "infinite_value"),
        ("", "missing_value"),
    ],
)
def test_a_regression_value_that_is_not_a_finite_number_is_refused(metric, cell, code):
    key = "id,expected,split\na,1.0,public\nb,2.0,public\nc,3.0,private\nd,4.0,private\n"
    error = _refused(key, f"id,prediction\na,1\nb,{cell}\nc,3\nd,4\n", metric)
    assert error.codes == [code]
    message = str(error.violations[0].message)
    assert message.startswith("Line 3")
    if cell:
        assert f"“{cell}”" in message


def test_a_label_message_reads_in_chinese():
    from django.utils import translation

    error = _refused(LABEL_KEY, _label_file("NaN"), "accuracy")
    with translation.override("zh-hans"):
        message = str(error.violations[0].message)
    assert "第 3 行" in message and "“NaN”" in message
