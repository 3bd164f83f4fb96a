"""A well-formed CSV file read by Arrow a block of lines at a time.

Memory follows the block, not the file: a worker scoring a file of millions
of rows holds a few MB of it at once. Whatever might read differently from
the precise reader (``readers.py``) raises ``NotSure``, and the precise
reader takes the file:

- the header is compared as the precise reader compares it;
- a file with a double quote, a NUL byte, a byte-order mark other than
  UTF-8's, markup or invalid UTF-8 is left to the precise reader;
- a line longer than ``MAX_LINE_BYTES`` is too.
"""

import codecs
import itertools
import re
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from .readers import CHUNK_SIZE, MAX_LINE_BYTES, _head_problems

# Bytes read at once. Arrow parses a block in parts of PARSE_BYTES on
# several threads; the block's text and its columns are what is held.
BLOCK_BYTES = 1024 * 1024
PARSE_BYTES = 256 * 1024
# The characters str.strip() removes, for Arrow's trim to remove the same.
PYTHON_WHITESPACE = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
_FIRST_LINE = re.compile(rb"([^\r\n]*)(\r\n|\r|\n|$)")
_REPLACEMENT_CHARACTER = "\ufffd".encode()


class NotSure(Exception):
    """The file may not read as the precise reader reads it: leave it to that one."""


def string_tables(fileobj, header: tuple[str, ...]) -> Iterator[pa.Table]:
    """The rows below ``header``, as tables of string columns, a block at a time.

    Reading starts at the beginning of a seekable file. This checks the
    file's bytes and its header; the caller checks the cells.
    """
    blocks = _line_blocks(fileobj)
    first = next(blocks, None)
    if first is None:
        raise NotSure  # an empty file
    options = _options(header)
    for block in itertools.chain([_below_header(first, header)], blocks):
        table = _parse(block, options) if len(block) else None
        if table is not None and table.num_rows:
            yield table


def strip(cells) -> pa.Array:
    """Each cell without what ``str.strip`` would remove."""
    stripped = pc.utf8_trim(cells, characters=PYTHON_WHITESPACE)
    return stripped.combine_chunks() if isinstance(stripped, pa.ChunkedArray) else stripped


def max_length(cells) -> int:
    """The length of the longest cell, in bytes."""
    return pc.max(pc.binary_length(cells)).as_py() or 0


def _line_blocks(fileobj) -> Iterator[bytes | memoryview]:
    """The file's bytes in blocks of whole lines (the last one may lack its
    line ending)."""
    if fileobj.seekable():
        fileobj.seek(0)
    pending = b""
    while chunk := fileobj.read(BLOCK_BYTES):
        data = pending + chunk if pending else chunk
        # The whole of ``data``: a character may straddle two chunks.
        if b"\x00" in data or b'"' in data or _REPLACEMENT_CHARACTER in data:
            raise NotSure
        end = max(data.rfind(b"\n"), data.rfind(b"\r")) + 1
        if len(data) - end > MAX_LINE_BYTES:
            raise NotSure  # the precise reader says which line is too long
        pending = data[end:]
        if end:
            yield memoryview(data)[:end]
    if pending:
        yield pending


def _below_header(block, header: tuple[str, ...]):
    """The first block without its header, if the header is ``header``."""
    if _head_problems(bytes(block[:CHUNK_SIZE])):
        raise NotSure
    start = len(codecs.BOM_UTF8) if bytes(block[:3]) == codecs.BOM_UTF8 else 0
    first = _FIRST_LINE.match(block, start)
    try:
        text = first.group(1).decode("utf-8")
    except UnicodeDecodeError:
        raise NotSure from None
    # Without quotes, a CSV line splits at its commas.
    if tuple(cell.strip().lower() for cell in text.split(",")) != header:
        raise NotSure
    return block[first.end() :]


def _options(header: tuple[str, ...]) -> dict:
    return dict(
        read_options=pa_csv.ReadOptions(column_names=list(header), block_size=PARSE_BYTES),
        parse_options=pa_csv.ParseOptions(quote_char=False),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _parse(block, options: dict) -> pa.Table:
    try:
        return pa_csv.read_csv(pa.py_buffer(block), **options)
    except (pa.ArrowException, ValueError):
        raise NotSure from None  # a wrong column count, invalid UTF-8, ...
