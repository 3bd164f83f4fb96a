"""A vectorised reader (pyarrow) for well-formed answer keys and prediction files.

It only ever says "this file is fine, here are its values" or "not sure"
(``None``). Anything it does not accept, down to one odd cell, goes to the
precise reader in ``readers.py``, which explains the problem or accepts the
file. So every message a participant sees comes from the precise reader,
and a file accepted here reads to the same values as there:

- the file's bytes, header and lines are checked as ``blocks.py`` says;
- cells are stripped of exactly the characters Python's ``str.strip`` strips;
- numbers are parsed by Arrow, which accepts a subset of the precise
  grammar plus NaN and infinity (both refused here); both round correctly;
- ids must match the key's ids exactly, each once, with none missing.

A prediction file is read a block at a time, each block's values put in
their key rows at once: memory follows the key, not the file.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from league.metrics import MetricKind

from .blocks import NotSure, max_length, string_tables, strip
from .fingerprints import PrintIndex, fingerprints
from .metrics import Metric
from .readers import ANSWER_KEY_HEADER, MAX_LINE_BYTES, PREDICTION_HEADER, SPLITS


class KeyColumns:
    """An answer key as columns: ids, parsed expected values, the public mask.

    ``prints``: the ids' fingerprints, if already known.
    """

    def __init__(
        self,
        ids: pa.Array,
        expected: np.ndarray,
        public: np.ndarray,
        metric: Metric,
        prints: np.ndarray | None = None,
    ):
        self.ids = ids
        self.expected = expected
        self.public = public
        self.classes = frozenset(expected.tolist()) if metric.kind == MetricKind.LABEL else None
        self.class_cells = None if self.classes is None else pa.array(sorted(self.classes))
        # A prediction finds its key row by its id's fingerprint.
        self.index = PrintIndex(fingerprints(ids) if prints is None else prints)

    @property
    def private(self) -> np.ndarray:
        return ~self.public

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays = (self.expected, self.public, self.index)
        return self.ids.nbytes + sum(array.nbytes for array in arrays)

    def rows_of(self, ids: pa.Array, start: int) -> slice | np.ndarray:
        """The key row of each id, read from the file's row ``start`` on;
        ``NotSure`` unless every id is one of the key's."""
        count = len(ids)
        in_key_order = (
            start + count <= len(self)
            and ids[0] == self.ids[start]
            and pc.all(pc.equal(ids, self.ids.slice(start, count))).as_py()
        )
        if in_key_order:  # as files often are
            return slice(start, start + count)
        rows = self.index.rows_of(fingerprints(ids)) if self.index.unique else None
        # Equal fingerprints, then equal ids: no collision can pass.
        if rows is None or not pc.all(pc.equal(ids, self.ids.take(rows))).as_py():
            raise NotSure  # an unknown id
        return rows


def read_key_columns(fileobj, metric: Metric) -> KeyColumns | None:
    """A well-formed ``id,expected,split`` file as columns, or None."""
    try:
        return _read_key_columns(fileobj, metric)
    except NotSure:
        return None


def _read_key_columns(fileobj, metric: Metric) -> KeyColumns:
    ids, prints, expected, public = [], [], [], []
    for table in string_tables(fileobj, ANSWER_KEY_HEADER):
        if sum(max_length(table.column(name)) for name in ANSWER_KEY_HEADER) + 4 > MAX_LINE_BYTES:
            raise NotSure  # a line may be too long: the precise reader says which
        block_ids = strip(table.column("id"))
        if not pc.all(pc.greater(pc.binary_length(block_ids), 0)).as_py():
            raise NotSure
        # ASCII-only lowering: a non-ASCII letter stays and the split is refused,
        # as Python's lower() would refuse it too.
        split = pc.ascii_lower(strip(table.column("split")))
        block_public = pc.equal(split, SPLITS[0]).to_numpy(zero_copy_only=False)
        if not (block_public | pc.equal(split, SPLITS[1]).to_numpy(zero_copy_only=False)).all():
            raise NotSure
        expected.append(_values(strip(table.column("expected")), metric, expected=True))
        ids.append(block_ids)
        prints.append(fingerprints(block_ids))
        public.append(block_public)
    if not ids:
        raise NotSure
    public = np.concatenate(public)
    if not public.any():
        raise NotSure
    # One array: Arrow takes from a chunked one by joining its chunks first.
    all_ids = pa.concat_arrays(ids)
    ids.clear()
    key = KeyColumns(all_ids, _joined(expected), public, metric, prints=_joined(prints))
    # Unique fingerprints mean unique ids; a shared one may be a duplicate id,
    # which the precise reader names.
    if not key.index.unique:
        raise NotSure
    return key


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays end to end; the list is emptied as they are copied."""
    joined = np.concatenate(arrays)
    arrays.clear()
    return joined


def key_columns_from(key, expected: np.ndarray, metric: Metric) -> KeyColumns:
    """The columns of a key that the precise reader accepted."""
    return KeyColumns(pa.array(key.ids, type=pa.string()), expected, key.public, metric)


def read_prediction_columns(
    fileobj, key: KeyColumns, metric: Metric, *, max_rows: int | None = None
) -> np.ndarray | None:
    """A well-formed ``id,prediction`` file as values in key order, or None."""
    try:
        return _read_prediction_columns(fileobj, key, metric, max_rows)
    except NotSure:
        return None


def _read_prediction_columns(fileobj, key: KeyColumns, metric: Metric, max_rows) -> np.ndarray:
    limit = len(key) if max_rows is None else min(len(key), max_rows)
    values = np.empty(len(key), dtype=metric.dtype)
    present = np.zeros(len(key), dtype=bool)
    rows = 0
    for table in string_tables(fileobj, PREDICTION_HEADER):
        if rows + table.num_rows > limit:
            raise NotSure  # an id twice or unknown, or too many rows
        ids = table.column("id").combine_chunks()
        cells = table.column("prediction")
        del table
        if max_length(cells) + max_length(ids) + 3 > MAX_LINE_BYTES:
            raise NotSure  # a line may be too long: the precise reader says which
        block_values = _values(strip(cells), metric, expected=False, key=key)
        key_rows = key.rows_of(ids, rows)
        values[key_rows] = block_values
        present[key_rows] = True
        rows += len(ids)
    # As many rows as the key, each an id of the key: each id once, none missing.
    if rows != len(key) or not present.all():
        raise NotSure
    return values


def _values(cells, metric: Metric, *, expected: bool, key: KeyColumns | None = None) -> np.ndarray:
    """Stripped cells parsed for the metric; ``NotSure`` when one would be refused."""
    parse = metric.parse_expected if expected else metric.parse_value
    if metric.dtype is object:
        if (
            key is not None
            and key.class_cells is not None
            and not pc.all(pc.is_in(cells, value_set=key.class_cells)).as_py()
        ):
            raise NotSure
        values = np.empty(len(cells), dtype=object)
        try:
            values[:] = [parse(text) for text in cells.to_pylist()]
        except ValueError:  # InvalidValue
            raise NotSure from None
        return values
    try:
        numbers = pc.cast(cells, pa.float64()).to_numpy()
    except (pa.ArrowException, ValueError):
        raise NotSure from None
    if not np.isfinite(numbers).all():
        raise NotSure
    if metric.kind == MetricKind.PROBABILITY:
        allowed = (numbers == 0) | (numbers == 1) if expected else (numbers >= 0) & (numbers <= 1)
        if not allowed.all():
            raise NotSure
    return numbers
