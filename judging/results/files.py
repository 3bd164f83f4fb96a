"""The exported files of the standings (CSV with a byte-order mark for Excel,
XLSX, JSON), written with the league's export writers."""

import io

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from league.exports.registry import Column
from league.exports.writers import csv_stream, json_stream, xlsx_write

COLUMNS = [
    Column("rank", _("Rank")),
    Column("medal", _("Medal")),
    Column("team", _("Team")),
    Column("countries", _("Countries")),
    Column("cross_border", _("Cross-border")),
    Column("automated", _("Private score")),
    Column("automated_normalised", _("Automated score, normalised")),
    Column("judged", _("Judges' score")),
    Column("judged_normalised", _("Judges' score, normalised")),
    Column("blended", _("Blended score")),
]
MEDAL_LABELS = {
    "gold": pgettext_lazy("medal", "Gold"),
    "silver": pgettext_lazy("medal", "Silver"),
    "bronze": pgettext_lazy("medal", "Bronze"),
}
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ("application/json", "json"),
}


def table_rows(rows: list[dict]) -> list[list]:
    """The frozen rows as the exports' cells, in the order of ``COLUMNS``."""
    return [
        [
            row["rank"],
            str(MEDAL_LABELS[row["medal"]]) if row["medal"] else "",
            row["team"],
            " ".join(row["countries"]),
            row["cross_border"],
            row["automated"],
            row["automated_normalised"],
            row["judged"],
            row["judged_normalised"],
            row["blended"],
        ]
        for row in rows
    ]


def render(rows: list[dict], *, meta: dict, title: str) -> dict[str, bytes]:
    """Every format's bytes, from the same rows."""
    cells = table_rows(rows)
    xlsx = io.BytesIO()
    xlsx_write(COLUMNS, cells, xlsx, title=title)
    return {
        "csv": b"".join(csv_stream(COLUMNS, cells, bom=True)),
        "xlsx": xlsx.getvalue(),
        "json": b"".join(json_stream(COLUMNS, cells, meta=meta)),
    }
