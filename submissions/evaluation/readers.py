"""Streaming readers for answer keys and prediction files.

Both work on a binary file object (a Django ``File`` or an open file), read
it in chunks and keep only the parsed columns. They report every problem
they can find in one pass, then raise one ``EvaluationError``.
"""

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from league.errors import Violation

from .errors import MAX_EXAMPLES, InvalidValue, Problems, excerpt, violation
from .metrics import Metric, parse_number

CHUNK_SIZE = 64 * 1024
# A longer line means a file that is not a CSV of predictions; stop before
# it fills the memory.
MAX_LINE_BYTES = 1024 * 1024
PREDICTION_HEADER = ("id", "prediction")
ANSWER_KEY_HEADER = ("id", "expected", "split")
SPLITS = ("public", "private")
# Enough to spot a typing or case difference; a long list would bury the line.
MAX_SHOWN_CLASSES = 10

# UTF-32 first: its little-endian BOM begins with UTF-16's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<!--", b"<table")
# Shown as typed; a tab as the escape that data people know.
_OTHER_DELIMITERS = {";": ";", "\t": "\\t", "|": "|"}


@dataclass(frozen=True, eq=False)
class AnswerKey:
    ids: list[str]
    expected: list[str]  # raw cells; each metric parses its own
    lines: np.ndarray  # the line of each row, for messages about the key
    public: np.ndarray  # bool mask, aligned to ``ids``
    index: dict[str, int] = field(repr=False)  # id -> position

    @property
    def private(self) -> np.ndarray:
        return ~self.public

    def __len__(self) -> int:
        return len(self.ids)


def sniff_csv_upload(fileobj, *, max_bytes_to_check: int = 65536) -> list[Violation]:
    """The problems visible in the first bytes of an upload, before it is stored.

    Rewinds the file afterwards.
    """
    try:
        head = fileobj.read(max_bytes_to_check)
    finally:
        fileobj.seek(0)
    found = _head_problems(head)
    if found:
        return found
    if len(head) == max_bytes_to_check:
        # Check whole lines only: a line, even a character, may straddle the cut.
        end = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if end < 0:
            return [violation("wrong_header", expected=",".join(PREDICTION_HEADER), found="…")]
        head = head[: end + 1]
    problems = Problems()
    records = _data_records(io.BytesIO(head), PREDICTION_HEADER, problems, _looks_like_a_prediction)
    if b"\x00" in head or not _is_utf8(head):
        for _ in records:
            pass  # reading the lines is the check: their encoding, then the header
    else:
        # Every line is UTF-8 without a NUL (a line break never falls inside a
        # character), and a record of 64 KB cannot break the csv module: only
        # the header is left to check.
        next(records, None)
    return problems.violations()


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_answer_key(fileobj) -> AnswerKey:
    """Read ``id,expected,split``: unique ids, each row public or private."""
    problems = Problems()
    ids: list[str] = []
    expected: list[str] = []
    lines: list[int] = []
    public: list[bool] = []
    index: dict[str, int] = {}
    for line, cells in _data_records(fileobj, ANSWER_KEY_HEADER, problems, _looks_like_a_key_row):
        if len(cells) != len(ANSWER_KEY_HEADER):
            _wrong_column_count(problems, line, cells, ANSWER_KEY_HEADER)
            continue
        row_id, value, split = (cell.strip() for cell in cells)
        if not row_id:
            problems.add("missing_id", line=line)
            continue
        if row_id in index:
            first_line = lines[index[row_id]]
            problems.add("duplicate_ids", line=line, id=excerpt(row_id), first_line=first_line)
            continue
        if not value:
            problems.add("missing_expected", line=line)
        if split.lower() not in SPLITS:
            problems.add("wrong_split", line=line, value=excerpt(split))
        index[row_id] = len(ids)
        ids.append(row_id)
        expected.append(value)
        lines.append(line)
        public.append(split.lower() == "public")
    if not problems.stopped and not any(public):
        problems.add("no_public_rows")
    problems.raise_if_any()
    return AnswerKey(ids, expected, np.array(lines), np.array(public, dtype=bool), index)


def parse_expected(key: AnswerKey, *, metric: Metric) -> np.ndarray:
    """The key's expected cells as the metric reads them, aligned to key order."""
    problems = Problems()
    values = np.empty(len(key), dtype=metric.dtype)
    for position, text in enumerate(key.expected):
        try:
            values[position] = metric.parse_expected(text)
        except InvalidValue as error:
            problems.add(
                "invalid_expected_value",
                line=int(key.lines[position]),
                metric=metric.name,
                problem=error.code,
            )
    problems.raise_if_any()
    return values


def read_predictions(
    fileobj,
    *,
    key: AnswerKey,
    metric: Metric,
    max_rows: int | None = None,
    classes: frozenset[str] | None = None,
) -> np.ndarray:
    """Read ``id,prediction`` into an array aligned to the key's order.

    Each id of the key must appear exactly once, and no other id. With
    ``classes`` (a label metric), every prediction must be one of them: a
    stray ``NaN`` would otherwise count as one more class.
    """
    problems = Problems()
    shown_classes = _shown_classes(classes) if classes is not None else ""
    values = np.empty(len(key), dtype=metric.dtype)
    # 0 while an id is unseen; kept per key row, so memory follows the key,
    # not the upload.
    first_lines = np.zeros(len(key), dtype=np.int64)

    def looks_like_data(cells: list[str]) -> bool:
        return cells[0].strip() in key.index

    records = _data_records(fileobj, PREDICTION_HEADER, problems, looks_like_data)
    for rows, (line, cells) in enumerate(records, start=1):
        if max_rows is not None and rows > max_rows:
            problems.stop("too_many_rows", limit=max_rows)
            break
        row_id = cells[0].strip()
        position = key.index.get(row_id)
        if len(cells) != len(PREDICTION_HEADER):
            _wrong_column_count(problems, line, cells, PREDICTION_HEADER)
        elif "\ufffd" in cells[0] or "\ufffd" in cells[1]:
            pass  # reported as wrong_encoding; neither cell can be trusted
        elif not row_id:
            problems.add("missing_id", line=line)
        elif position is None:
            problems.add("unknown_ids", line=line, id=excerpt(row_id))
        elif first_lines[position]:
            first_line = int(first_lines[position])
            problems.add("duplicate_ids", line=line, id=excerpt(row_id), first_line=first_line)
        else:
            try:
                value = metric.parse_value(cells[1])
            except InvalidValue as error:
                problems.add(error.code, line=line, value=excerpt(cells[1].strip()))
            else:
                if classes is not None and value not in classes:
                    problems.add(
                        "unknown_label", line=line, value=excerpt(value), classes=shown_classes
                    )
                values[position] = value
        if position is not None and not first_lines[position]:
            first_lines[position] = line  # present, even if reported above: not missing
    if not problems.stopped:
        missing = np.flatnonzero(first_lines == 0)
        if missing.size:
            examples = ", ".join(f"“{excerpt(key.ids[i])}”" for i in missing[:MAX_EXAMPLES])
            problems.add("missing_ids", count=int(missing.size), examples=examples)
    problems.raise_if_any()
    return values


def label_classes(expected: np.ndarray) -> frozenset[str]:
    """The classes a label prediction may name: those of the answer key."""
    return frozenset(expected.tolist())


def _shown_classes(classes: frozenset[str]) -> str:
    listed = sorted(classes)
    shown = ", ".join(excerpt(c) for c in listed[:MAX_SHOWN_CLASSES])
    return shown + (", …" if len(listed) > MAX_SHOWN_CLASSES else "")


def _data_records(
    fileobj, header: tuple[str, ...], problems: Problems, looks_like_data: Callable
) -> Iterator[tuple[int, list[str]]]:
    """The records below the header; the first record too when it is data."""
    records = _records(fileobj, problems)
    first = next(records, None)
    if first is None:
        if not problems.stopped:
            problems.stop("empty_file")
        return
    verdict = _check_header(first[1], header, problems, looks_like_data)
    if verdict == "stop":
        return
    yield from itertools.chain([first] if verdict == "data" else [], records)


def _check_header(cells: list[str], expected: tuple[str, ...], problems: Problems, looks_like_data):
    """Whether the first record is the header ("header"), data below a
    missing header ("data"), or too wrong to read on ("stop")."""
    if tuple(cell.strip().lower() for cell in cells) == expected:
        return "header"
    wanted = ",".join(expected)
    if len(cells) == 1 and len(expected) > 1:
        delimiter = next((d for d in _OTHER_DELIMITERS if d in cells[0]), None)
        if delimiter:
            shown = _OTHER_DELIMITERS[delimiter]
            problems.stop("wrong_delimiter", delimiter=shown, expected=wanted)
            return "stop"
    found = excerpt(",".join(cells))
    if len(cells) == len(expected) and looks_like_data(cells):
        problems.add("missing_header", expected=wanted, found=found)
        return "data"
    if len(cells) != len(expected):
        problems.stop("wrong_header", expected=wanted, found=found)
        return "stop"
    problems.add("wrong_header", expected=wanted, found=found)
    return "header"


def _looks_like_a_prediction(cells: list[str]) -> bool:
    try:
        parse_number(cells[1])
    except InvalidValue:
        return False
    return True


def _looks_like_a_key_row(cells: list[str]) -> bool:
    return cells[-1].strip().lower() in SPLITS


def _wrong_column_count(problems: Problems, line: int, cells: list, header: tuple) -> None:
    problems.add(
        "wrong_column_count",
        line=line,
        found=len(cells),
        expected_count=len(header),
        expected=",".join(header),
    )


def _records(fileobj, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(first line, cells) of each CSV record, skipping blank lines."""
    reader = csv.reader(_text_lines(fileobj, problems))
    last_line = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error:
        # Outside strict mode the csv module fails only on a field past its
        # size limit: in practice a double quote that never closes.
        problems.stop("malformed_csv", line=last_line + 1)


def _text_lines(fileobj, problems: Problems) -> Iterator[str]:
    """Each line decoded from UTF-8, its line ending kept for the csv module.

    A line that is not UTF-8 is reported and read on with replacement
    characters, so that the rest of the file is still checked. Reading starts
    at the beginning of a seekable file, wherever an earlier reader left it.
    """
    if fileobj.seekable():
        fileobj.seek(0)
    head = fileobj.read(CHUNK_SIZE)
    for problem in _head_problems(head):
        problems.stop(problem.code, **problem.params)
    if problems.stopped:
        return
    offset = 0
    for number, raw in enumerate(_raw_lines(fileobj, head, problems), start=1):
        start = offset
        offset += len(raw)
        if number == 1 and raw.startswith(codecs.BOM_UTF8):  # Excel writes one
            raw = raw[len(codecs.BOM_UTF8) :]
            start += len(codecs.BOM_UTF8)
        if b"\x00" in raw:
            problems.stop("binary_file", offset=start + raw.index(b"\x00"))
            return
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.add("wrong_encoding", line=number, offset=start + error.start)
            yield raw.decode("utf-8", errors="replace")


def _raw_lines(fileobj, head: bytes, problems: Problems) -> Iterator[bytes]:
    """Lines ending in \\n, \\r\\n or \\r, read chunk by chunk."""
    pending = b""
    chunk = head
    count = 0
    while chunk:
        lines = (pending + chunk).splitlines(keepends=True)
        # The last line may go on in the next chunk; after a \r, a \n may.
        pending = b"" if lines[-1].endswith(b"\n") else lines.pop()
        count += len(lines)
        yield from lines
        if len(pending) > MAX_LINE_BYTES:
            problems.stop("line_too_long", line=count + 1, limit=MAX_LINE_BYTES)
            return
        chunk = fileobj.read(CHUNK_SIZE)
    if pending:
        yield pending


def _head_problems(head: bytes) -> list[Violation]:
    """Problems visible in a file's first bytes, each making the rest moot."""
    if not head:
        return [violation("empty_file")]
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return [violation("utf16_bom", encoding=encoding)]
    if b"\x00" in head:
        return [violation("binary_file", offset=head.index(b"\x00"))]
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:16].lower()
    if start.startswith(_MARKUP_STARTS):
        return [violation("html_file")]
    return []
