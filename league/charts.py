"""Small, accessible SVG charts drawn on the server: pure functions from data
to an SVG string. No scripts, no external loads; every text is escaped.

Each chart has a ``<title>`` and a ``<desc>`` (read by screen readers, via
``role="img"`` and ``aria-labelledby``), labelled axes or bars, and a
``viewBox`` so that it scales down to a 390 px phone.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape as _escape
from zlib import crc32

# Colours readable on white and distinct for up to ten lines.
PALETTE = (
    "#0b6e4f",
    "#1f77b4",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#ff7f0e",
)


def escape(text) -> str:
    return _escape(str(text), {'"': "&quot;"})


@dataclass(frozen=True)
class Series:
    """One line: a label and its points (x as a datetime, y a number)."""

    label: str
    points: Sequence[tuple[datetime, float]]


def _fmt(value: float) -> str:
    return f"{value:.4g}"


def _open(title: str, description: str, width: int, height: int) -> tuple[str, list[str]]:
    n = crc32(title.encode())  # ids unique on a page that shows several charts
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title-{n} chart-desc-{n}" '
        f'font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="chart-title-{n}">{escape(title)}</title>'
        f'<desc id="chart-desc-{n}">{escape(description)}</desc>'
    )
    return head, []


def step_lines(
    series: Sequence[Series],
    *,
    title: str,
    description: str,
    y_label: str,
    empty_text: str,
    width: int = 640,
    height: int = 320,
) -> str:
    """A step line per series (the value holds until the next point), a
    legend under the plot, the y axis labelled with its low and high values
    and the x axis with the first and last dates."""
    head, parts = _open(title, description, width, height + 20 * ((len(series) + 1) // 2))
    points = [p for s in series for p in s.points]
    if not points:
        parts.append(f'<text x="10" y="30">{escape(empty_text)}</text>')
        return head + "".join(parts) + "</svg>"
    left, right, top, bottom = 56, width - 12, 16, height - 40
    xs = [p[0].timestamp() for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    if x1 == x0:
        x1 = x0 + 1
    if y1 == y0:
        y0, y1 = y0 - 1, y1 + 1

    def sx(t: float) -> float:
        return left + (t - x0) / (x1 - x0) * (right - left)

    def sy(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    parts.append(
        f'<g stroke="#d8dde3"><line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}"/></g>'
    )
    parts.append(
        f'<g fill="#5b6470"><text x="{left - 4}" y="{sy(y1) + 4:.1f}" text-anchor="end">'
        f"{_fmt(y1)}</text>"
        f'<text x="{left - 4}" y="{sy(y0) + 4:.1f}" text-anchor="end">{_fmt(y0)}</text>'
        f'<text x="{left}" y="{bottom + 16}">{escape(_day(min(p[0] for p in points)))}</text>'
        f'<text x="{right}" y="{bottom + 16}" text-anchor="end">'
        f"{escape(_day(max(p[0] for p in points)))}</text>"
        f'<text x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {(top + bottom) / 2:.1f})">{escape(y_label)}</text></g>'
    )
    for i, line in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        ordered = sorted(line.points, key=lambda p: p[0])
        if not ordered:
            continue
        path, previous_y = [], None
        for when, value in ordered:
            x, y = sx(when.timestamp()), sy(value)
            if previous_y is None:
                path.append(f"M{x:.1f},{y:.1f}")
            else:
                path.append(f"H{x:.1f}V{y:.1f}")
            previous_y = y
        path.append(f"H{right:.1f}")
        parts.append(
            f'<path d="{"".join(path)}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(line.label)}: {_fmt(ordered[-1][1])}</title></path>"
        )
        lx = 12 + (i % 2) * (width // 2)
        ly = height + 20 * (i // 2)
        parts.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{lx + 18}" y="{ly}">{escape(_short(line.label, 36))}</text>'
        )
    return head + "".join(parts) + "</svg>"


def bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    empty_text: str,
    width: int = 640,
    unit: str = "",
) -> str:
    """Horizontal bars, one a line: its label on the left, its value at the end."""
    row = 22
    height = max(1, len(items)) * row + 8
    head, parts = _open(title, description, width, height)
    if not items:
        parts.append(f'<text x="10" y="16">{escape(empty_text)}</text>')
        return head + "".join(parts) + "</svg>"
    label_width, value_width = 170, 70
    largest = max(value for _, value in items) or 1
    span = width - label_width - value_width
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        length = max(0.0, value / largest * span)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(_short(label, 24))}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}">'
            f"{escape(_fmt(value))}{escape(unit)}</text>"
        )
    return head + "".join(parts) + "</svg>"


def _short(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _day(when: datetime) -> str:
    return when.strftime("%Y-%m-%d")
