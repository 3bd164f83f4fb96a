"""64-bit fingerprints of Arrow strings, and an index of them: how the
vectorised reader finds a prediction's row of the answer key by numbers
rather than by hashing strings one at a time."""

import numpy as np
import pyarrow as pa
from numpy.lib.stride_tricks import as_strided

# The mask that keeps a word's first n bytes, for n from 0 to 8.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
# Rows handled at once: their temporary arrays stay a few MB.
ROWS_AT_ONCE = 1 << 16


def fingerprints(ids: pa.Array) -> np.ndarray:
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


class PrintIndex:
    """Fingerprints sorted, with a directory by their top bits: finding one
    takes a few memory reads (a binary search over millions of rows would
    take twenty, each likely a cache miss)."""

    def __init__(self, prints: np.ndarray):
        count = len(prints)
        self.order = sort_order(prints)  # the row of each sorted fingerprint
        self.sorted = prints[self.order]
        self.unique = not (self.sorted[1:] == self.sorted[:-1]).any()
        # One to two fingerprints per bucket, on average.
        bits = max(1, (count - 1).bit_length() - 1)
        self._shift = np.uint64(64 - bits)
        self.starts = np.zeros((1 << bits) + 1, dtype=np.int64 if count >= 2**31 else np.int32)
        for part in _parts(count):
            buckets = (self.sorted[part] >> self._shift).astype(np.int64)
            first = int(buckets[0])
            self.starts[first + 1 : int(buckets[-1]) + 2] += np.bincount(buckets - first)
        np.cumsum(self.starts, out=self.starts)

    @property
    def nbytes(self) -> int:
        return self.order.nbytes + self.sorted.nbytes + self.starts.nbytes

    def rows_of(self, prints: np.ndarray) -> np.ndarray | None:
        """The row of each fingerprint, or None when one is not in the index."""
        buckets = (prints >> self._shift).view(np.int64)
        found = self.starts[buckets]
        ends = self.starts[buckets + 1]
        if not (found < ends).all():
            return None  # an empty bucket
        # Most fingerprints are the first of their bucket; step on for the rest.
        waiting = np.flatnonzero(self.sorted[found] != prints)
        while waiting.size:
            found[waiting] += 1
            candidates = found[waiting]
            if not (candidates < ends[waiting]).all():
                return None  # past its bucket's end: not in the index
            waiting = waiting[self.sorted[candidates] != prints[waiting]]
        return self.order[found]


def sort_order(prints: np.ndarray) -> np.ndarray:
    """``np.argsort(prints)``, faster and smaller: numpy sorts plain numbers
    several times faster than it argsorts them, so each number carries its
    row in its low bits; the few rows whose high bits tie are then ordered by
    the full number. Rows are int32 when they fit."""
    count = len(prints)
    bits = max(1, (count - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    packed = np.arange(count, dtype=np.uint64)
    packed |= prints & ~low
    packed.sort()
    order = (packed & low).astype(np.int32 if bits < 32 else np.int64)
    packed &= ~low  # the high bits alone
    ties = packed[1:] == packed[:-1]
    if ties.any():
        rows = np.flatnonzero(np.append(ties, False) | np.insert(ties, 0, False))
        order[rows] = order[rows][np.lexsort((prints[order[rows]], packed[rows]))]
    return order


def _parts(count: int) -> list[slice]:
    return [slice(begin, begin + ROWS_AT_ONCE) for begin in range(0, count, ROWS_AT_ONCE)]


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
    value &= _LOW_BYTES[inside]
    return active, value


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit moves about half the output bits."""
    values = values ^ (values >> np.uint64(30))
    values *= np.uint64(0xBF58476D1CE4E5B9)
    values ^= values >> np.uint64(27)
    values *= np.uint64(0x94D049BB133111EB)
    values ^= values >> np.uint64(31)
    return values
