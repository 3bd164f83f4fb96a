"""The pure writers: what a spreadsheet or a JSON reader gets from them."""

import csv
import datetime as dt
import io
import json

from openpyxl import load_workbook

from league.exports.registry import Column
from league.exports.writers import csv_stream, json_stream, neutralise, xlsx_write

COLUMNS = [Column("team", "Team"), Column("score", "Score"), Column("at", "Last submission")]
AT = dt.datetime(2026, 5, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ROWS = [
    ("智能制造队", 0.91, AT),
    ("ทีมปัญญาประดิษฐ์", -1.5, None),
    ("Đội Trí Tuệ Nhân Tạo", 3, AT),
    ('=HYPERLINK("http://x")', 0, AT),
]


def test_neutralise_prefixes_text_a_spreadsheet_would_run():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("Team 1") == "Team 1"
    assert neutralise("") == ""


def test_neutralise_leaves_numbers_dates_and_none_alone():
    assert neutralise(-3) == -3
    assert neutralise(-0.5) == -0.5
    assert neutralise(None) is None
    assert neutralise(AT) == AT


def _csv(bom: bool) -> bytes:
    return b"".join(csv_stream(COLUMNS, iter(ROWS), bom=bom))


def test_csv_with_bom_opens_in_utf8_sig_with_every_script_and_formula_neutralised():
    data = _csv(bom=True)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Team", "Score", "Last submission"]
    assert [r[0] for r in rows[1:]] == [
        "智能制造队",
        "ทีมปัญญาประดิษฐ์",
        "Đội Trí Tuệ Nhân Tạo",
        '\'=HYPERLINK("http://x")',
    ]
    assert rows[2][1] == "-1.5"  # a negative number is not a formula
    assert rows[1][2] == "2026-05-01T12:30:00+08:00"
    assert rows[2][2] == ""


def test_csv_writes_each_kind_of_cell_the_same_whatever_its_neighbours():
    """Columns are converted a batch at a time: a formula deep in a batch of
    plain names, a column mixing numbers and text, flags and short rows."""
    columns = [Column("a", "A"), Column("b", "B"), Column("c", "C")]
    rows = [(f"Team {i}", i, i % 2 == 0) for i in range(600)]
    rows[550] = ("-2+3", "@SUM(A1)", None)
    rows[551] = (None, -4.5, True)
    rows[552] = ("short",)
    data = b"".join(csv_stream(columns, iter(rows), bom=False)).decode()
    table = list(csv.reader(io.StringIO(data)))
    assert table[1] == ["Team 0", "0", "true"]
    assert table[2] == ["Team 1", "1", "false"]
    assert table[551] == ["'-2+3", "'@SUM(A1)", ""]
    assert table[552] == ["", "-4.5", "true"]
    assert table[553] == ["short"]
    assert table[600] == ["Team 599", "599", "false"]


def test_csv_without_bom_starts_with_the_header():
    assert _csv(bom=False).startswith(b"Team,Score")


def test_csv_yields_many_rows_per_chunk():
    rows = (("t", i, None) for i in range(1200))
    chunks = list(csv_stream(COLUMNS, rows, bom=False))
    assert len(chunks) == 1 + 3  # header, 500, 500, 200
    assert sum(c.count(b"\r\n") for c in chunks) == 1201


def test_xlsx_keeps_types_utc_times_and_neutralises_text():
    buffer = io.BytesIO()
    xlsx_write(COLUMNS, iter(ROWS), buffer, title="Leaderboard: phase 1")
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Team", "Score", "Last submission (UTC)")
    assert values[1] == ("智能制造队", 0.91, dt.datetime(2026, 5, 1, 4, 30))
    assert values[2][1] == -1.5
    assert values[3][0] == "Đội Trí Tuệ Nhân Tạo"
    assert values[4][0] == '\'=HYPERLINK("http://x")'
    assert sheet.title == "Leaderboard  phase 1"


def test_json_is_one_object_with_meta_keys_and_rows():
    data = b"".join(json_stream(COLUMNS, iter(ROWS), meta={"dataset": "x"}))
    document = json.loads(data)
    assert document["meta"] == {"dataset": "x"}
    assert document["columns"] == ["team", "score", "at"]
    assert document["rows"][0] == {
        "team": "智能制造队",
        "score": 0.91,
        "at": "2026-05-01T12:30:00+08:00",
    }
    assert document["rows"][3]["team"] == '=HYPERLINK("http://x")'


def test_json_of_no_rows_is_valid():
    data = b"".join(json_stream(COLUMNS, iter([]), meta={}))
    assert json.loads(data)["rows"] == []
