"""Pure writers: (columns, rows) → CSV, XLSX or JSON, in constant memory.

Rows are any iterable of sequences, read once and never held whole: CSV and
JSON are yielded in chunks of many rows, XLSX goes through openpyxl's
write-only workbook. Text a spreadsheet would read as a formula is
neutralised in CSV and XLSX (see :func:`neutralise`).
"""

import csv
import datetime as dt
import decimal
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import IO, Any

from django.utils.encoding import force_str

# Rows gathered before a chunk is yielded (CSV and JSON).
CHUNK_ROWS = 500
BOM = "\ufeff".encode()
# A text cell starting with one of these is a formula to Excel, LibreOffice
# and Google Sheets (CSV injection); a leading apostrophe makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run.

    Only text is touched: numbers (also negative ones), dates and None come
    back as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _text_cell(value: Any) -> str:
    """One CSV cell: numbers as written, datetimes as ISO 8601, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(force_str(value))


def _titles(columns: Sequence) -> list[str]:
    return [force_str(column.title) for column in columns]


def csv_stream(columns: Sequence, rows: Iterable[Sequence], *, bom: bool) -> Iterator[bytes]:
    """UTF-8 CSV (with a byte-order mark when ``bom``), header = column titles."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_titles(columns))
    head = buffer.getvalue().encode()
    yield (BOM + head) if bom else head
    iterator = iter(rows)
    while batch := list(islice(iterator, CHUNK_ROWS)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_csv_batch(batch))
        yield buffer.getvalue().encode()


def _csv_batch(batch: list[Sequence]) -> Iterable[Sequence]:
    """The rows of ``batch`` as :func:`_text_cell` writes them, converted a
    column at a time: a column of numbers, or of text no spreadsheet would
    run, goes to the CSV writer as it is."""
    if len(set(map(len, batch))) != 1:
        return [[_text_cell(value) for value in row] for row in batch]
    columns = list(zip(*batch, strict=True))
    converted = [_csv_column(column) for column in columns]
    if all(new is old for new, old in zip(converted, columns, strict=True)):
        return batch
    return zip(*converted, strict=True)


# Cells the CSV writer already writes as _text_cell would: None as "", numbers with str().
_AS_THEY_ARE = frozenset({type(None), int, float, decimal.Decimal})
# A text cell that starts with a formula prefix, in the cells joined by NULs.
_FORMULA_START = re.compile("\x00[" + re.escape("".join(FORMULA_PREFIXES)) + "]")


def _csv_column(column: tuple) -> Sequence:
    kinds = set(map(type, column))
    if kinds <= _AS_THEY_ARE:
        return column
    if kinds <= {str, type(None)}:
        if _FORMULA_START.search("\x00" + "\x00".join(filter(None, column))):
            return [neutralise(value) for value in column]
        return column
    if kinds <= {bool, type(None)}:
        return [None if value is None else ("true" if value else "false") for value in column]
    if kinds <= {dt.datetime, type(None)} or kinds <= {dt.date, type(None)}:
        return [None if value is None else value.isoformat() for value in column]
    return [_text_cell(value) for value in column]


def _xlsx_cell(value: Any) -> Any:
    """A typed XLSX cell: numbers stay numbers, aware datetimes become naive UTC."""
    if value is None or isinstance(value, bool | int | float | decimal.Decimal):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    return neutralise(force_str(value))


def xlsx_write(
    columns: Sequence, rows: Iterable[Sequence], fileobj: IO[bytes], *, title: str = ""
) -> None:
    """An XLSX workbook of one sheet into ``fileobj``; times are in UTC.

    The header names the zone ("… (UTC)") of every column that holds a
    datetime, as the cells themselves carry none.
    """
    from openpyxl import Workbook  # imported here: only exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    iterator = iter(rows)
    first = next(iterator, None)
    titles = _titles(columns)
    if first is not None:
        titles = [
            f"{name} (UTC)" if isinstance(value, dt.datetime) else name
            for name, value in zip(titles, first, strict=False)
        ] + titles[len(first) :]
    sheet.append(titles)
    if first is not None:
        sheet.append([_xlsx_cell(value) for value in first])
        for row in iterator:
            sheet.append([_xlsx_cell(value) for value in row])
    workbook.save(fileobj)


def _sheet_title(title: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\ .
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in force_str(title)).strip()
    return cleaned[:31] or "Export"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return force_str(value)


def json_stream(columns: Sequence, rows: Iterable[Sequence], *, meta: Mapping) -> Iterator[bytes]:
    """``{"meta": ..., "columns": [keys], "rows": [{key: value}, ...]}``, streamed.

    JSON is data, not a spreadsheet: values are not neutralised.
    """
    keys = [column.key for column in columns]
    encode = json.JSONEncoder(ensure_ascii=False, default=force_str).encode
    head = '{"meta": ' + encode(dict(meta)) + ', "columns": ' + encode(keys) + ', "rows": ['
    parts = [head]
    separator = ""
    for row in rows:
        record = {key: _json_value(value) for key, value in zip(keys, row, strict=False)}
        parts.append(separator + encode(record))
        separator = ", "
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts).encode()
            parts = []
    parts.append("]}")
    yield "".join(parts).encode()
