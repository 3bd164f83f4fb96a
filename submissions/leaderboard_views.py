"""The leaderboard page: the board, its filters and the score chart.

The rows and the chart are the page's costly parts: both are kept, rendered,
while the board's page is cached (see ``leaderboards.CACHE_SECONDS``), per
language (and time zone for the rows), and fetched in one cache round trip.
Only the viewer's own row is rendered for each viewer.
"""

from dataclasses import replace
from functools import cache as memoize
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from league import charts, local_cache
from league.errors import ApplicationError, NotFound
from submissions import selectors

ROW_TEMPLATE = "submissions/_leaderboard_row.html"


@require_GET
def leaderboard(request, phase_id: int):
    """The phase's leaderboard with its filters; a bad filter is named and ignored."""
    try:
        phase = selectors.phase_get_cached(phase_id=phase_id)
    except NotFound as exc:
        raise Http404 from exc
    status, problem = 200, None
    try:
        wanted = selectors.board_filter(request.GET)
    except ApplicationError as exc:
        status, problem, wanted = 400, exc.message, selectors.BoardFilter()
    board = selectors.leaderboard(phase=phase, user=request.user, board_filter=wanted)
    rows_html, chart = _rows_and_chart(phase, board)
    context = {
        "phase": phase,
        "board": board,
        "problem": problem,
        "countries": _board_countries(translation.get_language()),
        "query": _board_query(wanted),
        "chart": chart,
        "rows_html": rows_html,
        "own_row_html": _rows_html(board, [board.own_row])[0] if board.own_row else "",
    }
    return render(request, "submissions/leaderboard.html", context, status=status)


def _rows_html(board, rows) -> list[str]:
    """Each row's ``<tr>``, its labels translated once for all of them."""
    row_template = get_template(ROW_TEMPLATE)
    labels = {
        "t_rank": _("Rank"),
        "t_team": _("Team"),
        "t_countries": _("Countries"),
        "t_score": _("Score"),
        "t_private_score": _("Private score"),
        "t_scored_entries": _("Scored entries"),
        "t_last_submission": _("Last submission"),
        "t_your_team": _("Your team"),
        "t_cross_border": _("Cross-border"),
    }
    return [row_template.render({"board": board, "row": row, **labels}) for row in rows]


def _rows_and_chart(phase, board) -> tuple[str, str]:
    """The rows' HTML and the chart's SVG, rendered afresh only when the
    cache does not hold them for this version of the board."""
    with_chart = board.visible and not board.own_only
    if board.cache_key is None:
        rows = _rows_html(board, board.rows)
        return _joined(rows), _score_chart(phase, board.version) if with_chart else ""
    language = translation.get_language()
    rows_key = f"{board.cache_key}:html:{language}:{timezone.get_current_timezone_name()}"
    chart_key = f"leaderboard:{phase.pk}:{board.version}:svg:{language}"
    found = local_cache.shared_get_many([rows_key, chart_key] if with_chart else [rows_key])
    fresh = {}
    rows = found.get(rows_key)
    if rows is None:
        rows = fresh[rows_key] = _rows_html(board, [replace(r, is_own=False) for r in board.rows])
    chart = found.get(chart_key, "") if with_chart else ""
    if with_chart and not chart:
        chart = fresh[chart_key] = _score_chart(phase, board.version)
    if fresh:
        cache.set_many(fresh, selectors.BOARD_CACHE_SECONDS)
    own = [i for i, row in enumerate(board.rows) if row.is_own]
    if own:  # the viewer's own team, marked as theirs, on the page
        rows = [*rows]
        rows[own[0]] = _rows_html(board, [board.rows[own[0]]])[0]
    return _joined(rows), mark_safe(chart)  # noqa: S308  (built by league.charts, escaped)


def _joined(rows: list[str]) -> str:
    return mark_safe("".join(rows))  # noqa: S308  (rendered by the row template, escaped there)


def _score_chart(phase, version) -> str:
    history = selectors.score_history(phase=phase, version=version)
    return charts.step_lines(
        [charts.Series(name, points) for name, points in history],
        title=_("Best public score over time: the top 10 teams"),
        description=_(
            "A step line per team: its best public score so far, from its scored submissions."
        ),
        y_label=_("Best public score"),
        empty_text=_("No scored submissions yet."),
    )


@memoize
def _board_countries(language: str) -> list[tuple[str, str]]:
    """The country filter's choices, named in ``language`` (the active one)."""
    return selectors.board_countries()


def _board_query(wanted) -> str:
    """The filters as a query string, for the pages' links."""
    params = {"region": wanted.region, "country": wanted.country, "q": wanted.search}
    return urlencode({k: v for k, v in params.items() if v})
