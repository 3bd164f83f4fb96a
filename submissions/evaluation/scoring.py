"""Score one prediction file against an answer key. Pure: files in, numbers out.

Well-formed files are read by the vectorised reader; a file it is not sure
of is read again by the precise reader, which explains what is wrong (or
accepts it). Either way the scores and the messages are the precise reader's.
"""

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from league.metrics import MetricKind

from .blocks import BLOCK_BYTES
from .metrics import Metric, get_metric
from .readers import label_classes, parse_expected, read_answer_key, read_predictions
from .vectorised import KeyColumns, key_columns_from, read_key_columns, read_prediction_columns

# Parsed answer keys kept per worker process, by the key file's SHA-256 and
# the metric: a phase's submissions all meet the same key.
KEY_CACHE_ENTRIES = 4
KEY_CACHE_BYTES = 256 * 1024 * 1024
_key_cache: OrderedDict[tuple[str, str], KeyColumns] = OrderedDict()
_key_cache_lock = threading.Lock()


@dataclass(frozen=True)
class Scores:
    public: float
    private: float | None  # None when the key has no private rows
    rows: int
    # What the team may see of how the result came about (code: each run), or None.
    details: dict | None = None


def score_predictions(
    *,
    answer_key_file,
    prediction_file,
    metric_name: str,
    max_rows: int | None = None,
    fast: bool = True,
) -> Scores:
    """Raise ``EvaluationError`` with every problem of either file.

    ``fast=False`` reads both files with the precise reader only.
    """
    metric = get_metric(metric_name)
    if not fast:
        return _score_precisely(answer_key_file, prediction_file, metric, max_rows)
    key = _key_columns(answer_key_file, metric)
    predicted = read_prediction_columns(prediction_file, key, metric, max_rows=max_rows)
    if predicted is None:
        predicted = read_predictions(
            prediction_file,
            key=read_answer_key(answer_key_file),
            metric=metric,
            max_rows=max_rows,
            classes=key.classes,
        )
    return _scores(metric, key.expected, key.public, predicted)


def _score_precisely(answer_key_file, prediction_file, metric: Metric, max_rows) -> Scores:
    key = read_answer_key(answer_key_file)
    expected = parse_expected(key, metric=metric)
    classes = label_classes(expected) if metric.kind == MetricKind.LABEL else None
    predicted = read_predictions(
        prediction_file, key=key, metric=metric, max_rows=max_rows, classes=classes
    )
    return _scores(metric, expected, key.public, predicted)


def _scores(metric: Metric, expected: np.ndarray, public: np.ndarray, predicted) -> Scores:
    score = metric.compute(expected[public], predicted[public])
    private = None
    if not public.all():
        private = metric.compute(expected[~public], predicted[~public])
    return Scores(public=score, private=private, rows=len(expected))


def _key_columns(answer_key_file, metric: Metric) -> KeyColumns:
    cache_key = (_digest(answer_key_file), metric.name)
    with _key_cache_lock:
        key = _key_cache.get(cache_key)
        if key is not None:
            _key_cache.move_to_end(cache_key)
            return key
    key = read_key_columns(answer_key_file, metric)
    if key is None:
        precise = read_answer_key(answer_key_file)  # raises what is wrong, if anything
        key = key_columns_from(precise, parse_expected(precise, metric=metric), metric)
    _remember(cache_key, key)
    return key


def _remember(cache_key: tuple[str, str], key: KeyColumns) -> None:
    if key.nbytes > KEY_CACHE_BYTES:
        return
    with _key_cache_lock:
        _key_cache[cache_key] = key
        while len(_key_cache) > KEY_CACHE_ENTRIES or (
            sum(k.nbytes for k in _key_cache.values()) > KEY_CACHE_BYTES
        ):
            _key_cache.popitem(last=False)


def _digest(fileobj) -> str:
    """The SHA-256 of a file, read a block at a time."""
    if fileobj.seekable():
        fileobj.seek(0)
    digest = hashlib.sha256()
    while block := fileobj.read(BLOCK_BYTES):
        digest.update(block)
    return digest.hexdigest()
