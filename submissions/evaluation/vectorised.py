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
from numpy.lib.stride_tricks import as_strided

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
        # The ids' fingerprints, sorted, and the key row of each: a join on
        # id by sorting numbers rather than hashing strings.
        prints = _fingerprints(ids)
        self.order = _sort_order(prints)
        self.sorted_prints = prints[self.order]
        self.prints_unique = not (self.sorted_prints[1:] == self.sorted_prints[:-1]).any()

    @property
    def private(self) -> np.ndarray:
        return ~self.public

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays = (self.expected, self.public, self.order, self.sorted_prints)
        return self.ids.nbytes + sum(array.nbytes for array in arrays)

    def positions_of(self, ids: pa.Array) -> np.ndarray | None:
        """The key row of each id, or None unless the ids are the key's, each once."""
        if not self.prints_unique or len(ids) != len(self):
            return None
        prints = _fingerprints(ids)
        order = _sort_order(prints)
        if not np.array_equal(prints[order], self.sorted_prints):
            return None  # an unknown id, or one twice
        positions = np.empty(len(ids), dtype=np.int64)
        positions[order] = self.order
        # Equal fingerprints, then equal ids: no collision can pass.
        if not _same_strings(ids, self.ids, positions):
            return None
        return positions


def read_key_columns(data: bytes, metric: Metric) -> KeyColumns | None:
    """A well-formed ``id,expected,split`` file as columns, or None."""
    table = _read_table(data, ANSWER_KEY_HEADER)
    if table is None or table.num_rows == 0:
        return None
    if sum(_max_length(table.column(name)) for name in ANSWER_KEY_HEADER) + 4 > MAX_LINE_BYTES:
        return None  # a line may be too long: the precise reader says which
    ids = _strip(table.column("id"))
    if not pc.all(pc.greater(pc.binary_length(ids), 0)).as_py():
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
    key = KeyColumns(ids, expected, public, metric)
    # Unique fingerprints mean unique ids; a shared one may be a duplicate id,
    # which the precise reader names.
    return key if key.prints_unique else None


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
    positions = key.positions_of(ids)
    if positions is None:
        return None
    aligned = np.empty(len(key), dtype=values.dtype)
    aligned[positions] = values
    return aligned


def _read_table(data: bytes, header: tuple[str, ...]) -> pa.Table | None:
    if not data or _head_problems(data[:CHUNK_SIZE]) or b"\x00" in data or b'"' in data:
        return None
    if "\ufffd".encode() in data:
        return None  # the precise reader cannot trust a cell holding one
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


_ALL_ONES = np.uint64(0xFFFFFFFFFFFFFFFF)


def _fingerprints(ids: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string, computed eight bytes at a time over many
    rows at once: each string's bytes, word by word, mixed into its length."""
    offsets, words = _layout(ids)
    prints = np.empty(len(ids), dtype=np.uint64)
    for part in _parts(len(ids)):
        starts, lengths = _starts_and_lengths(offsets, part)
        found = _mix(lengths.astype(np.uint64))
        for word in range(0, int(lengths.max(initial=0)), 8):
            active, value = _word(words, starts, lengths, word)
            found = np.where(active, _mix(found ^ value), found)
        prints[part] = found
    return prints


def _same_strings(ids: pa.Array, other: pa.Array, rows: np.ndarray) -> bool:
    """Whether ``ids[i] == other[rows[i]]`` for every i, byte for byte."""
    offsets, words = _layout(ids)
    other_offsets, other_words = _layout(other)
    other_starts_all = other_offsets[:-1]
    other_lengths_all = np.diff(other_offsets)
    for part in _parts(len(ids)):
        starts, lengths = _starts_and_lengths(offsets, part)
        other_starts = other_starts_all[rows[part]].astype(np.int64)
        if not np.array_equal(lengths, other_lengths_all[rows[part]]):
            return False
        for word in range(0, int(lengths.max(initial=0)), 8):
            _, mine = _word(words, starts, lengths, word)
            _, theirs = _word(other_words, other_starts, lengths, word)
            if not np.array_equal(mine, theirs):
                return False
    return True


# Rows handled at once: their temporary arrays stay a few tens of MB.
_ROWS_AT_ONCE = 1 << 18


def _parts(count: int) -> list[slice]:
    return [slice(begin, begin + _ROWS_AT_ONCE) for begin in range(0, count, _ROWS_AT_ONCE)]


def _layout(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The strings' offsets, and their bytes read as a little-endian word at
    every byte position (a view of one padded copy)."""
    count = len(strings)
    _, offsets_buffer, data_buffer = strings.buffers()
    offsets = np.frombuffer(
        offsets_buffer, dtype=np.int32, count=count + 1, offset=strings.offset * 4
    )
    end = int(offsets[-1])
    padded = np.zeros(end // 8 + 2, dtype=np.uint64)  # eight zero bytes past the end
    if data_buffer is not None and end:
        padded.view(np.uint8)[:end] = np.frombuffer(data_buffer, dtype=np.uint8, count=end)
    return offsets, as_strided(padded, shape=(end + 1,), strides=(1,), writeable=False)


def _starts_and_lengths(offsets: np.ndarray, part: slice) -> tuple[np.ndarray, np.ndarray]:
    ends = offsets[1:][part].astype(np.int64)
    starts = offsets[:-1][part].astype(np.int64)
    return starts, ends - starts


def _word(words, starts, lengths, word: int) -> tuple[np.ndarray, np.ndarray]:
    """Which strings reach the ``word``-th byte, and their bytes from there
    (at most eight; zero past a string's end)."""
    inside = np.clip(lengths - word, 0, 8)
    active = inside > 0
    value = words[np.where(active, starts + word, 0)]
    shift = (np.minimum(inside, 7) * 8).astype(np.uint64)
    value &= np.where(inside >= 8, _ALL_ONES, (np.uint64(1) << shift) - np.uint64(1))
    return active, value


def _sort_order(prints: np.ndarray) -> np.ndarray:
    """``np.argsort(prints)``, faster: numpy sorts plain numbers several times
    faster than it argsorts them, so each number carries its row in its low
    bits; the few rows whose high bits tie are then ordered by the full number."""
    count = len(prints)
    bits = max(1, (count - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    packed = (prints & ~low) | np.arange(count, dtype=np.uint64)
    packed.sort()
    order = (packed & low).astype(np.int64)
    high = packed & ~low
    del packed
    ties = high[1:] == high[:-1]
    if ties.any():
        rows = np.flatnonzero(np.append(ties, False) | np.insert(ties, 0, False))
        order[rows] = order[rows][np.lexsort((prints[order[rows]], high[rows]))]
    return order


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves about half the output bits."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values
