"""Score one prediction file against an answer key. Pure: files in, numbers out."""

from dataclasses import dataclass

from league.metrics import MetricKind

from .metrics import get_metric
from .readers import label_classes, parse_expected, read_answer_key, read_predictions


@dataclass(frozen=True)
class Scores:
    public: float
    private: float | None  # None when the key has no private rows
    rows: int
    # What the team may see of how the result came about (code: each run), or None.
    details: dict | None = None


def score_predictions(
    *, answer_key_file, prediction_file, metric_name: str, max_rows: int | None = None
) -> Scores:
    """Raise ``EvaluationError`` with every problem of either file."""
    metric = get_metric(metric_name)
    key = read_answer_key(answer_key_file)
    expected = parse_expected(key, metric=metric)
    classes = label_classes(expected) if metric.kind == MetricKind.LABEL else None
    predicted = read_predictions(
        prediction_file, key=key, metric=metric, max_rows=max_rows, classes=classes
    )
    public = metric.compute(expected[key.public], predicted[key.public])
    private = None
    if key.private.any():
        private = metric.compute(expected[key.private], predicted[key.private])
    return Scores(public=public, private=private, rows=len(key))
