"""The implementations of the league's metrics (``league.metrics``), as plug-ins.

Each implementation parses its own cells (a prediction, an expected value)
and computes one score from two aligned arrays, with scikit-learn where it
has the metric. What a metric is (name, direction, kind) is defined once, in
the league; an implementation refers to its definition and never repeats it.
"""

import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from sklearn import metrics as sk
from sklearn.exceptions import UndefinedMetricWarning

from league.metrics import METRICS, MetricDefinition, MetricKind

from .errors import EvaluationError, InvalidValue, violation

DEFAULT_K = 10
# log(0) is infinite: a confident wrong probability costs a lot, but finitely.
LOG_LOSS_EPSILON = 1e-15

# ASCII only: Python's float() also takes "1_000" and non-Latin digits,
# which a CSV consumer elsewhere would not.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
# What pandas, R and spreadsheets write for a missing number.
_MISSING_WORDS = frozenset({"nan", "+nan", "-nan", "na", "n/a", "null", "none", "#n/a"})
_INFINITE_WORDS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})


def parse_number(text: str) -> float:
    value = text.strip()
    if not value:
        raise InvalidValue("missing_value")
    lowered = value.lower()
    if lowered in _MISSING_WORDS:
        raise InvalidValue("nan_value")
    if lowered in _INFINITE_WORDS:
        raise InvalidValue("infinite_value")
    if not _NUMBER.fullmatch(value):
        raise InvalidValue("non_numeric_value")
    number = float(value)
    if not math.isfinite(number):  # "1e999" overflows
        raise InvalidValue("infinite_value")
    return number


def parse_label(text: str) -> str:
    value = text.strip()
    if not value:
        raise InvalidValue("missing_value")
    return value


def parse_probability(text: str) -> float:
    number = parse_number(text)
    if not 0 <= number <= 1:
        raise InvalidValue("out_of_range")
    return number


def parse_binary(text: str) -> int:
    number = parse_number(text)
    if number not in (0, 1):
        raise InvalidValue("not_binary")
    return int(number)


def parse_ranking(text: str) -> tuple[str, ...]:
    items = tuple(text.split())
    if not items:
        raise InvalidValue("missing_value")
    return items


def parse_relevant(text: str) -> frozenset[str]:
    return frozenset(parse_ranking(text))


def average_precision_at_k(relevant: frozenset[str], ranked: tuple[str, ...], k: int) -> float:
    """AP@k as in Kaggle's ml_metrics: a repeated item keeps its rank but
    scores only once; the sum is divided by min(len(relevant), k)."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    seen = set()
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant and item not in seen:
            hits += 1
            total += hits / rank
        seen.add(item)
    return total / min(len(relevant), k)


def mean_average_precision_at_k(y_true, y_pred, k: int = DEFAULT_K) -> float:
    pairs = zip(y_true, y_pred, strict=True)
    return float(np.mean([average_precision_at_k(t, p, k) for t, p in pairs]))


def _roc_auc(y_true, y_pred) -> float:
    if np.unique(y_true).size < 2:
        raise EvaluationError([violation("single_class")])
    return sk.roc_auc_score(y_true, y_pred)


def _log_loss(y_true, y_pred) -> float:
    clipped = np.clip(y_pred, LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON)
    return sk.log_loss(y_true, clipped, labels=[0, 1])


def _macro_f1(y_true, y_pred) -> float:
    return sk.f1_score(y_true, y_pred, average="macro", zero_division=0)


@dataclass(frozen=True)
class Metric:
    definition: MetricDefinition
    score: Callable[[np.ndarray, np.ndarray], float]
    parse_prediction: Callable[[str], Any]
    parse_truth: Callable[[str], Any]
    # The numpy dtype of parsed cells: numbers go in float arrays, labels
    # and rankings stay Python objects.
    dtype: type

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def higher_is_better(self) -> bool:
        return self.definition.higher_is_better

    @property
    def kind(self) -> MetricKind:
        return self.definition.kind

    def parse_value(self, text: str) -> Any:
        """One prediction cell, or ``InvalidValue`` with the reason's code."""
        return self.parse_prediction(text)

    def parse_expected(self, text: str) -> Any:
        """One expected cell of the answer key, or ``InvalidValue``."""
        return self.parse_truth(text)

    def compute(self, y_true: np.ndarray, y_pred: np.ndarray) -> float:
        with warnings.catch_warnings():
            # A score that sklearn warns about is reported below instead.
            warnings.simplefilter("ignore", UndefinedMetricWarning)
            value = float(self.score(y_true, y_pred))
        if not math.isfinite(value):
            raise EvaluationError([violation("undefined_score", metric=self.name)])
        return value


def _label_metric(name, score) -> Metric:
    return Metric(METRICS[name], score, parse_label, parse_label, object)


def _probability_metric(name, score) -> Metric:
    return Metric(METRICS[name], score, parse_probability, parse_binary, float)


def _number_metric(name, score) -> Metric:
    return Metric(METRICS[name], score, parse_number, parse_number, float)


# Keyed by the league's definitions: an implementation without a definition
# fails at import, a definition without one fails the registry's test.
METRIC_REGISTRY: dict[str, Metric] = {
    metric.name: metric
    for metric in (
        _label_metric("accuracy", sk.accuracy_score),
        _label_metric("macro_f1", _macro_f1),
        _probability_metric("roc_auc", _roc_auc),
        _probability_metric("log_loss", _log_loss),
        _number_metric("rmse", sk.root_mean_squared_error),
        _number_metric("mae", sk.mean_absolute_error),
        _number_metric("r2", sk.r2_score),
        Metric(
            METRICS["map_at_k"],
            partial(mean_average_precision_at_k, k=DEFAULT_K),
            parse_ranking,
            parse_relevant,
            object,
        ),
    )
}


def get_metric(name: str) -> Metric:
    try:
        return METRIC_REGISTRY[name]
    except KeyError:
        raise EvaluationError(
            [violation("unknown_metric", metric=name, names=", ".join(METRIC_REGISTRY))]
        ) from None
