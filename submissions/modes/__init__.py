"""The evaluation modes, one object per ``league.models.EvaluationMode`` value.

A challenge's mode decides its intake checks, what the phase needs before it
opens, the submit page's text and the worker's evaluator. A mode missing
from the registry has no evaluator: ``get_mode`` refuses it, so intake
stores nothing for it.
"""

import logging

from submissions.modes.base import EvaluationModeHandler, ModeUnavailable, PageText
from submissions.modes.code import CodeMode
from submissions.modes.prediction import PredictionMode
from submissions.modes.review import ReviewMode

logger = logging.getLogger(__name__)

REGISTRY: dict[str, EvaluationModeHandler] = {}


def register(mode: EvaluationModeHandler) -> EvaluationModeHandler:
    REGISTRY[str(mode.name)] = mode
    return mode


register(PredictionMode())
register(ReviewMode())
register(CodeMode())


def get_mode(name: str) -> EvaluationModeHandler:
    """The mode called ``name``, or ModeUnavailable (logged, so organizers hear of it)."""
    try:
        return REGISTRY[str(name)]
    except KeyError:
        logger.error("no evaluator for the evaluation mode %r", name)
        raise ModeUnavailable() from None


__all__ = [
    "REGISTRY",
    "EvaluationModeHandler",
    "ModeUnavailable",
    "PageText",
    "get_mode",
    "register",
]
