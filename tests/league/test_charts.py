"""The SVG charts: well-formed, titled, labelled, escaped, scaled to fit."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

from league import charts

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str):
    return ET.fromstring(svg)  # noqa: S314  (our own output)


def test_step_lines_draw_one_titled_path_per_team_with_a_legend():
    start = datetime(2026, 11, 2, tzinfo=UTC)
    svg = charts.step_lines(
        [
            charts.Series("Mekong <Minds>", [(start, 0.5), (start + timedelta(days=2), 0.8)]),
            charts.Series("Great Wall", [(start + timedelta(days=1), 0.6)]),
        ],
        title="Best score & time",
        description="Two teams.",
        y_label="Score",
        empty_text="Nothing yet.",
    )
    root = parse(svg)
    assert root.get("role") == "img" and root.get("viewBox").startswith("0 0 640 ")
    assert root.find(f"{NS}title").text == "Best score & time"
    assert root.find(f"{NS}desc").text == "Two teams."
    paths = root.findall(f"{NS}path")
    assert [p.find(f"{NS}title").text for p in paths] == ["Mekong <Minds>: 0.8", "Great Wall: 0.6"]
    assert paths[0].get("d").startswith("M") and "V" in paths[0].get("d")
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "Mekong <Minds>" in texts and "2026-11-02" in texts and "2026-11-04" in texts
    assert "<Minds>" not in svg  # escaped in the markup


def test_bars_label_every_bar_and_scale_to_the_largest():
    root = parse(
        charts.bars(
            [("China", 40), ("ASEAN", 20), ("Other", 0)],
            title="Teams",
            description="By region.",
            empty_text="Nothing yet.",
        )
    )
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert widths[0] == 2 * widths[1] and widths[2] == 0
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["China", "40", "ASEAN", "20", "Other", "0"]


def test_empty_charts_say_so():
    for svg in (
        charts.bars([], title="T", description="D", empty_text="Nothing yet."),
        charts.step_lines([], title="T", description="D", y_label="Y", empty_text="Nothing yet."),
    ):
        root = parse(svg)
        assert [t.text for t in root.iter(f"{NS}text")] == ["Nothing yet."]
