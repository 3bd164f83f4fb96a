"""The one registry of the metrics a challenge may name.

A definition says what a metric is: its name, its label, which way is
better, and the kind of prediction it reads. The league validates a
challenge's metric against it; ``submissions.evaluation.metrics`` attaches
the implementation of each definition (imports point downstream, so the
league never imports it) and a test checks that every definition has an
implementation and every implementation a definition.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MetricKind(StrEnum):
    LABEL = "label"  # one class per row, from the answer key's classes
    PROBABILITY = "probability"  # a probability in [0, 1] per row, against 0/1 answers
    NUMBER = "number"  # a finite number per row (regression)
    RANKING = "ranking"  # a space-separated ranked list per row


@dataclass(frozen=True)
class MetricDefinition:
    name: str
    label: str | Promise
    higher_is_better: bool
    kind: MetricKind
    decimals: int = 5  # how many decimal places a score is shown with


METRICS: dict[str, MetricDefinition] = {
    metric.name: metric
    for metric in (
        MetricDefinition("accuracy", _("Accuracy"), True, MetricKind.LABEL),
        MetricDefinition("macro_f1", _("Macro F1"), True, MetricKind.LABEL),
        MetricDefinition("roc_auc", _("ROC AUC"), True, MetricKind.PROBABILITY),
        MetricDefinition("log_loss", _("Log loss"), False, MetricKind.PROBABILITY, 4),
        MetricDefinition("rmse", _("Root mean squared error"), False, MetricKind.NUMBER, 4),
        MetricDefinition("mae", _("Mean absolute error"), False, MetricKind.NUMBER, 4),
        MetricDefinition("r2", _("R²"), True, MetricKind.NUMBER),
        MetricDefinition("map_at_k", _("Mean average precision at k"), True, MetricKind.RANKING),
    )
}


def higher_is_better(name: str) -> bool:
    """Which way a challenge's scores rank; a challenge without a metric
    (expert review only) has no automated score, so either way will do."""
    definition = METRICS.get(name)
    return definition.higher_is_better if definition else True


def score_decimals(name: str) -> int:
    """How many decimal places a score of metric ``name`` is shown with."""
    definition = METRICS.get(name)
    return definition.decimals if definition else 5


def format_score(value: float | None, name: str) -> str | None:
    """A score rounded to its metric's display precision; None when there is none."""
    if value is None:
        return None
    return f"{value:.{score_decimals(name)}f}"
