"""A vectorised reader (pyarrow) for well-formed answer keys and prediction files.

It only ever says "this file is fine, here are its values" or "not sure"
(``None``). Anything it does not accept, down to one odd cell, goes to the
precise reader in ``readers.py``, which explains the problem or accepts the
file. So every message a participant sees comes from the precise reader,
and a file accepted here reads to the same values as there:

- the header is compared as the precise reader compares it;
- a file with a double quote, a NUL byte, a byte-order mark other than
  UTF-8's, markup or invalid UTF-8 is left to the precise reader;
- cells are stripped of exactly the characters Python's ``str.strip`` strips;
- numbers are parsed by Arrow, which accepts a subset of the precise
  grammar plus NaN and infinity (both refused here); both round correctly;
- ids must match the key's ids exactly, each once, with none missing.
"""

import codecs
import re
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from league.metrics import MetricKind

from .metrics import Metric
from .readers import (
    ANSWER_KEY_HEADER,
    CHUNK_SIZE,
    MAX_LINE_BYTES,
    PREDICTION_HEADER,
    SPLITS,
    _head_problems,
)

# The characters str.strip() removes, for Arrow's trim to remove the same.
PYTHON_WHITESPACE = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
_FIRST_LINE = re.compile(rb"([^\r\n]*)(\r\n|\r|\n|$)")


class KeyColumns:
    """An answer key as columns: ids, parsed expected values, the public mask."""

    def __init__(self, ids: pa.Array, expected: np.ndarray, public: np.ndarray, metric: Metric):
        self.ids = ids
        self.expected = expected
        self.public = public
        self.classes = frozenset(expected.tolist()) if metric.kind == MetricKind.LABEL else None
        self.max_id_bytes = _max_length(ids)

    @property
    def private(self) -> np.ndarray:
        return ~self.public

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.expected.nbytes + self.public.nbytes


def read_key_columns(data: bytes, metric: Metric) -> KeyColumns | None:
    """A well-formed ``id,expected,split`` file as columns, or None."""
    table = _read_table(data, ANSWER_KEY_HEADER)
    if table is None or table.num_rows == 0:
        return None
    ids = _strip(table.column("id"))
    if not pc.all(pc.greater(pc.binary_length(ids), 0)).as_py():
        return None
    # The key's ids in first-seen order: codes 0..n-1 exactly when they are unique.
    encoded = pc.dictionary_encode(ids)
    if len(encoded.dictionary) != len(ids):
        return None
    # ASCII-only lowering: a non-ASCII letter stays and the split is refused,
    # as Python's lower() would refuse it too.
    split = pc.ascii_lower(_strip(table.column("split")))
    public = pc.equal(split, SPLITS[0]).to_numpy(zero_copy_only=False)
    private = pc.equal(split, SPLITS[1]).to_numpy(zero_copy_only=False)
    if not (public | private).all() or not public.any():
        return None
    expected = _values(_strip(table.column("expected")), metric, expected=True)
    if expected is None:
        return None
    return KeyColumns(ids, expected, public, metric)


def key_columns_from(key, expected: np.ndarray, metric: Metric) -> KeyColumns:
    """The columns of a key that the precise reader accepted."""
    return KeyColumns(pa.array(key.ids, type=pa.string()), expected, key.public, metric)


def read_prediction_columns(
    data: bytes, key: KeyColumns, metric: Metric, *, max_rows: int | None = None
) -> np.ndarray | None:
    """A well-formed ``id,prediction`` file as values in key order, or None."""
    table = _read_table(data, PREDICTION_HEADER)
    if table is None or table.num_rows != len(key):
        return None
    if max_rows is not None and table.num_rows > max_rows:
        return None
    ids = table.column("id").combine_chunks()
    cells = table.column("prediction")
    del table
    if _max_length(cells) + key.max_id_bytes + 3 > MAX_LINE_BYTES:
        return None  # a line may be too long: the precise reader says which
    values = _values(_strip(cells), metric, expected=False, classes=key.classes)
    if values is None:
        return None
    if pc.all(pc.equal(ids, key.ids)).as_py():
        return values  # already in key order
    # Unseen ids get codes from len(key) on; the key's own are 0..len(key)-1.
    codes = pc.dictionary_encode(pa.concat_arrays([key.ids, ids]))
    if len(codes.dictionary) != len(key):
        return None  # an id the key does not have
    positions = codes.indices.to_numpy()[len(key) :]
    seen = np.zeros(len(key), dtype=bool)
    seen[positions] = True
    if not seen.all():
        return None  # an id twice, so another one missing
    aligned = np.empty(len(key), dtype=values.dtype)
    aligned[positions] = values
    return aligned


def _read_table(data: bytes, header: tuple[str, ...]) -> pa.Table | None:
    if not data or _head_problems(data[:CHUNK_SIZE]) or b"\x00" in data or b'"' in data:
        return None
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    first = _FIRST_LINE.match(data, start)
    try:
        text = first.group(1).decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Without quotes, a CSV line splits at its commas.
    if tuple(cell.strip().lower() for cell in text.split(",")) != header:
        return None
    body = memoryview(data)[first.end() :]
    if not body:
        return None
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(body),
            read_options=pa_csv.ReadOptions(column_names=list(header)),
            parse_options=pa_csv.ParseOptions(quote_char=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None  # a wrong column count, invalid UTF-8, ...
    for name in header:
        # The precise reader cannot trust a cell holding a replacement character.
        if pc.any(pc.match_substring(table.column(name), "\ufffd")).as_py():
            return None
    return table


def _values(
    cells, metric: Metric, *, expected: bool, classes: frozenset | None = None
) -> np.ndarray | None:
    """Stripped cells parsed for the metric, or None when one would be refused."""
    parse = metric.parse_expected if expected else metric.parse_value
    if metric.dtype is object:
        if (
            classes is not None
            and not pc.all(
                pc.is_in(cells, value_set=pa.array(sorted(classes), type=pa.string()))
            ).as_py()
        ):
            return None
        values = np.empty(len(cells), dtype=object)
        try:
            values[:] = [parse(text) for text in cells.to_pylist()]
        except ValueError:  # InvalidValue
            return None
        return values
    try:
        numbers = pc.cast(cells, pa.float64()).to_numpy()
    except (pa.ArrowException, ValueError):
        return None
    if not np.isfinite(numbers).all():
        return None
    if metric.kind == MetricKind.PROBABILITY:
        allowed = (numbers == 0) | (numbers == 1) if expected else (numbers >= 0) & (numbers <= 1)
        if not allowed.all():
            return None
    return numbers


def _strip(cells) -> pa.Array:
    stripped = pc.utf8_trim(cells, characters=PYTHON_WHITESPACE)
    return stripped.combine_chunks() if isinstance(stripped, pa.ChunkedArray) else stripped


def _max_length(cells) -> int:
    longest = pc.max(pc.binary_length(cells)).as_py()
    return longest or 0
