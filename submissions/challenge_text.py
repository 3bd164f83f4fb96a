"""What the challenge page says about evaluation: the metric in words and
the values a prediction file holds. Pure: built from ``league.metrics``."""

from django.utils.translation import gettext_lazy as _

from league.metrics import METRICS, MetricKind

# What each metric measures, in one sentence.
METRIC_WORDS = {
    "accuracy": _("the share of rows whose predicted class is the right one."),
    "macro_f1": _(
        "the F1 score (the balance of precision and recall) of each class, averaged "
        "over the classes with equal weight, so rare classes count as much as common ones."
    ),
    "roc_auc": _(
        "the area under the ROC curve: the chance that a randomly chosen positive row "
        "gets a higher probability than a randomly chosen negative one."
    ),
    "log_loss": _(
        "the average negative log-likelihood of the true answers under your "
        "probabilities; confident wrong answers cost the most."
    ),
    "rmse": _(
        "the square root of the mean squared difference between your values and the "
        "true ones, in the target's unit; large misses cost the most."
    ),
    "mae": _(
        "the mean absolute difference between your values and the true ones, in the target's unit."
    ),
    "r2": _(
        "the coefficient of determination: 1 is a perfect fit, 0 is no better than "
        "predicting the mean."
    ),
    "map_at_k": _(
        "the mean, over rows, of the average precision of your ranked list of items "
        "against the relevant ones."
    ),
}

# The value a prediction file holds in its "prediction" column, per metric kind.
VALUE_WORDS = {
    MetricKind.LABEL: _("one class name per row, exactly as the classes are written in the data"),
    MetricKind.PROBABILITY: _("a probability between 0 and 1 that the row is positive"),
    MetricKind.NUMBER: _("a finite number per row"),
    MetricKind.RANKING: _("the item ids you rank highest, best first, separated by spaces"),
}


def metric_summary(metric: str) -> dict | None:
    """Label, direction, sentence and expected value of a challenge's metric;
    None for a challenge without an automated metric."""
    definition = METRICS.get(metric)
    if definition is None:
        return None
    return {
        "label": definition.label,
        "higher_is_better": definition.higher_is_better,
        "words": METRIC_WORDS.get(metric, ""),
        "value": VALUE_WORDS.get(definition.kind, ""),
    }
