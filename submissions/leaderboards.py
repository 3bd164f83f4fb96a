"""The public leaderboard of a phase: one ranked query, filters that never re-rank.

Teams are ranked over every team of the phase (standard competition ranking,
"1, 1, 3"; among equal scores the earlier submission first). Filters (region
mix, a member's country, a part of the team's name) and pages are applied
after ranking, so a row always shows its overall rank. Two queries whatever
the number of teams or the filters: the ranked page (with the viewer's own
row and the number of matching teams), and the names and members' countries
of the rows shown.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_countries import countries

from league import local_cache, reference_data
from league.errors import ApplicationError
from league.metrics import higher_is_better
from league.models import CountryRegion, LeaderboardVisibility, Phase, Region, RegionBasis
from submissions import ranking, rules
from submissions.models import Submission, SubmissionStatus, TeamBest
from teams import rules as team_rules
from teams.models import Membership, Profile, Registration, Team

LEADERBOARD_SIZE = 50
REGION_FILTERS = ("china", "asean", "cross_border")
MAX_SEARCH = 80
MAX_PAGE = 100_000


@dataclass(frozen=True)
class BoardFilter:
    """What the viewer asked for: all optional; ``page`` counts from 1."""

    region: str = ""
    country: str = ""
    search: str = ""
    page: int = 1

    @property
    def active(self) -> bool:
        return bool(self.region or self.country or self.search)


def board_filter(params) -> BoardFilter:
    """The filter from query parameters; a clear error for each bad value.
    An empty value means no filter (the page's form sends them)."""
    region = params.get("region") or ""
    if region and region not in REGION_FILTERS:
        raise ApplicationError(
            _("Unknown region filter “%(value)s”: use china, asean or cross_border.")
            % {"value": region[:20]},
            code="invalid",
        )
    country = params.get("country") or ""
    if country and (len(country) != 2 or not country.isascii() or not country.isalpha()):
        raise ApplicationError(
            _("A country is a two-letter code such as CN or VN."), code="invalid"
        )
    search = params.get("q") or ""
    if any(ord(c) < 32 or ord(c) == 127 for c in search):
        raise ApplicationError(_("Search for printable characters only."), code="invalid")
    if len(search) > MAX_SEARCH:
        raise ApplicationError(
            _("Search for at most %(max)d characters of a team's name.") % {"max": MAX_SEARCH},
            code="invalid",
        )
    raw_page = params.get("page") or "1"
    if not (raw_page.isascii() and raw_page.isdigit()) or not 1 <= int(raw_page) <= MAX_PAGE:
        raise ApplicationError(_("A page is a whole number from 1."), code="invalid")
    return BoardFilter(
        region=region, country=country.upper(), search=search.strip(), page=int(raw_page)
    )


@dataclass
class LeaderboardRow:
    rank: int
    registration_id: int
    team: str
    countries: list[str]
    score: float
    private_score: float | None
    entries: int
    last_submitted_at: datetime | None
    best_submitted_at: datetime | None
    is_own: bool
    # Members' countries grouped by region: China first, then ASEAN, then
    # the rest ("CN + VN, TH"), and whether the team is cross-border.
    region_groups: list[list[str]] = field(default_factory=list)
    cross_border: bool = False


@dataclass
class Leaderboard:
    phase: Phase
    rows: list[LeaderboardRow]
    own_row: LeaderboardRow | None  # set when the viewer's team is outside the rows
    shows_private: bool
    visible: bool
    higher_is_better: bool
    # How a team's private score is chosen; stated once private scores show.
    finals_rule: str | None = None
    filter: BoardFilter = field(default_factory=BoardFilter)
    matched: int = 0  # teams matching the filter (all ranked teams without one)
    size: int = LEADERBOARD_SIZE
    region_basis: str = RegionBasis.NATIONALITY
    own_only: bool = False  # each team sees only its own row until the reveal
    # The key its shared rows are cached under (None when not shared), and
    # the board's version in the cache then.
    cache_key: str | None = None
    version: int | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.matched // self.size))


def _ranked_sql(*, higher: bool, basis_column: str, board_filter: BoardFilter, own_only: bool):
    """The SQL of the ranked page and its parameters' order (see ``leaderboard``)."""
    tables = {
        "reg": ranking.table(Registration),
        "team": ranking.table(Team),
        "m": ranking.table(Membership),
        "p": ranking.table(Profile),
        "cr": ranking.table(CountryRegion),
    }
    member_in = (
        "EXISTS (SELECT 1 FROM {m} m JOIN {p} p ON p.user_id = m.user_id "
        "LEFT JOIN {cr} cr ON cr.country = p.{basis} "
        "WHERE m.team_id = reg.team_id AND {cond})"
    )

    def exists(cond: str) -> str:
        return member_in.format(**tables, basis=basis_column, cond=cond)

    where, params = ["1 = 1"], []
    if board_filter.region == "china":
        where += [
            exists("cr.region = %s"),
            "NOT " + exists("(cr.region IS NULL OR cr.region <> %s)"),
        ]
        params += [Region.CHINA, Region.CHINA]
    elif board_filter.region == "asean":
        where += [
            exists("cr.region = %s"),
            "NOT " + exists("(cr.region IS NULL OR cr.region <> %s)"),
        ]
        params += [Region.ASEAN, Region.ASEAN]
    elif board_filter.region == "cross_border":
        where += [exists("cr.region = %s"), exists("cr.region = %s")]
        params += [Region.CHINA, Region.ASEAN]
    if board_filter.country:
        where.append(exists(f"p.{basis_column} = %s"))
        params.append(board_filter.country)
    if board_filter.search:
        escaped = (
            board_filter.search.upper()
            .replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_")
        )
        where.append("UPPER(team.name) LIKE %s ESCAPE '\\'")
        params.append(f"%{escaped}%")
    # Only table names and fixed fragments are formatted in; values are parameters.
    sql = f"""
        WITH ranked AS ({ranking.ranked_sql(higher=higher)}), matching AS (
            SELECT ranked.*, COUNT(*) OVER () AS matched,
                   ROW_NUMBER() OVER (ORDER BY ranked.position) AS shown_position
            FROM ranked
            JOIN {tables["reg"]} reg ON reg.id = ranked.registration_id
            JOIN {tables["team"]} team ON team.id = reg.team_id
            WHERE {" AND ".join(where)}
        ), own AS (
            SELECT reg.id FROM {tables["reg"]} reg JOIN {tables["m"]} m ON m.team_id = reg.team_id
            WHERE reg.challenge_id = %s AND m.user_id = %s
        )
        SELECT id, registration_id, best_public_score, best_private_score, best_submitted_at,
               scored_count, last_submitted_at, rank, position, matched, 0 AS is_own
        FROM matching
        WHERE {"1 = 0" if own_only else "shown_position > %s AND shown_position <= %s"}
        UNION ALL
        SELECT id, registration_id, best_public_score, best_private_score, best_submitted_at,
               scored_count, last_submitted_at, rank, position, NULL, 1
        FROM ranked WHERE registration_id IN (SELECT id FROM own)
        ORDER BY 9, 11
    """  # noqa: S608
    return sql, params


# A page of a board is shared by every viewer for at most this long; a new
# score (``board_changed``) makes the next read compute it afresh. Team names
# and members' countries on it may lag a change by as long.
CACHE_SECONDS = 30


def _version_key(phase_id: int) -> str:
    return f"leaderboard:{phase_id}:version"


def board_changed(*, phase_id: int) -> None:
    """A team's standing in the phase changed: cached pages are out of date."""
    try:
        cache.incr(_version_key(phase_id))
    except ValueError:
        cache.set(_version_key(phase_id), 1, None)


def _page_key(phase, version, board_filter: BoardFilter, size, higher, basis, revealed) -> str:
    search = hashlib.sha256(board_filter.search.encode()).hexdigest()[:16]
    return (
        f"leaderboard:{phase.pk}:{version}:{int(higher)}:{basis}:{int(revealed)}:"
        f"{board_filter.region}:{board_filter.country}:{search}:{board_filter.page}:{size}"
    )


def _own_key(phase, version, user, higher: bool, column: str) -> str | None:
    if not user.pk:
        return None
    return f"leaderboard:{phase.pk}:{version}:own:{user.pk}:{int(higher)}:{column}"


def _own_row(*, phase, user, rows, higher: bool, column: str, key, found) -> LeaderboardRow | None:
    """The viewer's row when the page came from the cache (marked on the page
    when it is there), itself cached per viewer like the pages: ``found`` is
    what the cache held under ``key``."""
    if key is None:
        return None
    if found is None:
        found = _own_standing(phase=phase, user=user, higher=higher, column=column) or False
        cache.set(key, found, CACHE_SECONDS)
    if not found:
        return None
    for row in rows:
        if row.registration_id == found.registration_id:
            row.is_own = True
            return None
    return replace(found)


def _own_standing(*, phase, user, higher: bool, column: str) -> LeaderboardRow | None:
    """The viewer's team's row: one query for its rank (counted over the
    board's index), one for its names and countries."""
    sql = f"""
        SELECT tb.id, tb.registration_id, tb.best_public_score, tb.best_private_score,
               tb.best_submitted_at, tb.scored_count, tb.last_submitted_at,
               {ranking.rank_of_sql(higher=higher)}
        FROM {ranking.table(TeamBest)} tb
        JOIN {ranking.table(Registration)} reg ON reg.id = tb.registration_id
        JOIN {ranking.table(Membership)} m ON m.team_id = reg.team_id
        WHERE tb.phase_id = %s AND reg.challenge_id = %s AND m.user_id = %s
          AND tb.best_public_score IS NOT NULL
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [phase.pk, phase.challenge_id, user.pk])
        found = cursor.fetchone()
    if found is None:
        return None
    teams = _teams(registration_ids=[found[1]], column=column)
    return _row(found, teams, revealed=True, is_own=True)


def _as_datetime(value):
    """A raw query's datetime: SQLite answers naive UTC text."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def leaderboard(
    *,
    phase: Phase,
    user,
    size: int = LEADERBOARD_SIZE,
    board_filter: BoardFilter | None = None,
) -> Leaderboard:
    """Page ``board_filter.page`` of the teams matching the filter (``size`` a
    page) and the viewer's own row, ranked over all teams of the phase."""
    board_filter = board_filter or BoardFilter()
    higher = higher_is_better(phase.challenge.metric)
    visibility = phase.leaderboard_visibility
    revealed = phase.private_scores_visible
    basis = phase.challenge.track.region_basis
    board_visible = revealed or visibility == LeaderboardVisibility.PUBLIC
    own_only = not board_visible and visibility == LeaderboardVisibility.TEAMS_ONLY
    if not board_visible and not own_only:
        return Leaderboard(
            phase, [], None, False, False, higher, None, board_filter, 0, size, basis
        )
    column = ranking.basis_column(basis)
    key = version = None
    if not own_only:
        # One round trip for the version, one for the page and the own row.
        version = cache.get(_version_key(phase.pk), 0)
        key = _page_key(phase, version, board_filter, size, higher, basis, revealed)
        own_key = _own_key(phase, version, user, higher, column)
        found = local_cache.shared_get_many([k for k in (key, own_key) if k])
        cached = found.get(key)
        if cached is not None:
            rows, matched = [replace(row) for row in cached[0]], cached[1]
            own_row = _own_row(
                phase=phase,
                user=user,
                rows=rows,
                higher=higher,
                column=column,
                key=own_key,
                found=found.get(own_key),
            )
            if own_row is not None and not revealed:
                own_row.private_score = None
            board = _board(
                phase, rows, own_row, revealed, higher, board_filter, matched, size, basis
            )
            board.cache_key, board.version = key, version
            return board
    sql, filter_params = _ranked_sql(
        higher=higher, basis_column=column, board_filter=board_filter, own_only=own_only
    )
    first = (board_filter.page - 1) * size
    params = [phase.pk, *filter_params, phase.challenge_id, user.pk or 0]
    if not own_only:
        params += [first, first + size]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    # The own row appears twice when it is on the page: keep the page's copy.
    own_ids = {r[1] for r in found if r[10]}
    page_rows = [r for r in found if not r[10]]
    page_ids = {r[1] for r in page_rows}
    own_rows = [r for r in found if r[10] and r[1] not in page_ids]
    matched = next((r[9] for r in page_rows), 0) if not own_only else len(own_rows)
    teams = _teams(registration_ids=[r[1] for r in page_rows + own_rows], column=column)

    def as_row(r) -> LeaderboardRow:
        return _row(r, teams, revealed=revealed, is_own=r[1] in own_ids)

    if own_only:
        rows, own_row = [as_row(r) for r in own_rows], None
    else:
        rows = [as_row(r) for r in page_rows]
        own_row = as_row(own_rows[0]) if own_rows else None
        shared = [replace(row, is_own=False) for row in rows]
        cache.set(key, (shared, matched), CACHE_SECONDS)
    board = _board(
        phase, rows, own_row, revealed, higher, board_filter, matched, size, basis, own_only
    )
    board.cache_key, board.version = key, version
    return board


def _row(r, teams: dict, *, revealed: bool, is_own: bool) -> LeaderboardRow:
    name, countries, groups, cross = teams.get(r[1], ("", [], [], False))
    return LeaderboardRow(
        rank=r[7],
        registration_id=r[1],
        team=name,
        countries=countries,
        score=r[2],
        private_score=r[3] if revealed else None,
        entries=r[5],
        last_submitted_at=_as_datetime(r[6]),
        best_submitted_at=_as_datetime(r[4]),
        is_own=is_own,
        region_groups=groups,
        cross_border=cross,
    )


def _board(
    phase, rows, own_row, revealed, higher, board_filter, matched, size, basis, own_only=False
) -> Leaderboard:
    finals_rule = rules.finals_rule(max_finals=phase.max_final_selections) if revealed else None
    return Leaderboard(
        phase,
        rows,
        own_row,
        revealed,
        True,
        higher,
        finals_rule,
        board_filter,
        matched,
        size,
        basis,
        own_only,
    )


REGION_ORDER = {Region.CHINA: 0, Region.ASEAN: 1}


def _teams(*, registration_ids: list[int], column: str) -> dict[int, tuple]:
    """Name, members' countries, countries grouped by region and the
    cross-border flag per registration, in one query."""
    if not registration_ids:
        return {}
    marks = ", ".join(["%s"] * len(registration_ids))
    # Only table names and fixed fragments are formatted in; values are parameters.
    sql = f"""
        SELECT DISTINCT reg.id, team.name, p.{column}, cr.region
        FROM {ranking.table(Registration)} reg
        JOIN {ranking.table(Team)} team ON team.id = reg.team_id
        LEFT JOIN {ranking.table(Membership)} m ON m.team_id = team.id
        LEFT JOIN {ranking.table(Profile)} p ON p.user_id = m.user_id
        LEFT JOIN {ranking.table(CountryRegion)} cr ON cr.country = p.{column}
        WHERE reg.id IN ({marks})
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, registration_ids)
        found = cursor.fetchall()
    names: dict[int, str] = {}
    members: dict[int, dict[str, str]] = {}
    for registration_id, name, country, region in found:
        names[registration_id] = name
        if country:
            members.setdefault(registration_id, {})[str(country).upper()] = region or Region.OTHER
    return {rid: _mix(name, members.get(rid, {})) for rid, name in names.items()}


def _mix(name: str, regions: dict[str, str]) -> tuple:
    groups: dict[int, list[str]] = {}
    for country, region in regions.items():
        groups.setdefault(REGION_ORDER.get(region, 2), []).append(country)
    ordered = [sorted(groups[k]) for k in sorted(groups)]
    cross = team_rules.is_cross_border(set(regions.values()))
    return name, sorted(regions), ordered, cross


def board_countries() -> list[tuple[str, str]]:
    """China's and ASEAN's countries (code, name) offered by the page's country
    filter, without a query; the filter itself takes any country code."""
    codes = reference_data.CHINA_REGION | reference_data.ASEAN_REGION
    return sorted(((code, str(countries.name(code))) for code in codes), key=lambda r: r[1])


def score_history(
    *, phase: Phase, teams: int = 10, version: int | None = None
) -> list[tuple[str, list]]:
    """The best public score over time of the top ``teams`` teams, one query:
    per team (in rank order) its name and the points where its best improved.
    Cached like the board's pages."""
    if version is None:  # the board's version, unless the caller just read it
        version = cache.get(_version_key(phase.pk), 0)
    key = f"leaderboard:{phase.pk}:{version}:chart:{teams}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    higher = higher_is_better(phase.challenge.metric)
    score = F("best_public_score")
    top = (
        TeamBest.objects.filter(phase=phase, best_public_score__isnull=False)
        .order_by(score.desc() if higher else score.asc(), "best_submitted_at", "id")
        .values("registration_id")[:teams]
    )
    found = (
        Submission.objects.filter(
            phase=phase,
            status=SubmissionStatus.SCORED,
            public_score__isnull=False,
            registration_id__in=Subquery(top),
        )
        .order_by("created_at", "id")
        .values_list("registration_id", "registration__team__name", "created_at", "public_score")
    )
    lines: dict[int, tuple[str, list]] = {}
    for registration_id, name, when, value in found:
        _, points = lines.setdefault(registration_id, (name, []))
        if not points or (value > points[-1][1] if higher else value < points[-1][1]):
            points.append((when, value))
    best = {rid: points[-1][1] for rid, (_, points) in lines.items()}
    ordered = sorted(lines, key=lambda rid: -best[rid] if higher else best[rid])
    history = [lines[rid] for rid in ordered]
    cache.set(key, history, CACHE_SECONDS)
    return history
