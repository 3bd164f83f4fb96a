"""The one ranking of a phase's teams: the leaderboard page, its API and the
exports all read it from here.

Standard competition ranking ("1, 1, 3") by the split's score in the
metric's direction; among equal scores the earlier best submission comes
first, then the older row (``position``). Teams without a score on the split
are not ranked.
"""

from collections.abc import Iterator

from django.db import connection

from league.models import CountryRegion, Region, RegionBasis
from submissions.models import TeamBest
from teams.models import Membership, Profile, Registration, Team

SPLIT_COLUMNS = {"public": "best_public_score", "private": "best_private_score"}
# Rows fetched from the server-side cursor at a time: few round trips, and
# memory that does not grow with the board.
FETCH_ROWS = 5000


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def basis_column(basis: str) -> str:
    """The profile's column whose country counts under the track's region basis."""
    return "residence" if basis == RegionBasis.RESIDENCE else "nationality"


def _score(split: str) -> str:
    return SPLIT_COLUMNS[split]


def ranked_sql(*, higher: bool, split: str = "public") -> str:
    """A query (for a ``WITH ranked AS (...)``) of the phase's TeamBest rows
    with a score on ``split``, each with its ``rank`` and ``position``.
    It takes one parameter: the phase's id."""
    score = f"tb.{_score(split)}"
    order = f"{score} {'DESC' if higher else 'ASC'}"
    # Only table and column names are formatted in; the phase is a parameter.
    return f"""
        SELECT tb.id, tb.registration_id, tb.best_public_score, tb.best_private_score,
               tb.best_submitted_at, tb.scored_count, tb.last_submitted_at,
               RANK() OVER (ORDER BY {order}) AS rank,
               ROW_NUMBER() OVER (ORDER BY {order}, tb.best_submitted_at ASC, tb.id ASC)
                   AS position
        FROM {table(TeamBest)} tb
        WHERE tb.phase_id = %s AND {score} IS NOT NULL
    """  # noqa: S608


def rank_of_sql(*, higher: bool, alias: str = "tb") -> str:
    """The public rank of row ``alias`` alone, as ``ranked_sql`` gives it
    (one more than the teams with a better score), counted over the board's
    index instead of ranking every team."""
    better = ">" if higher else "<"
    return (
        f"(SELECT COUNT(*) FROM {table(TeamBest)} b WHERE b.phase_id = {alias}.phase_id "  # noqa: S608
        f"AND b.best_public_score {better} {alias}.best_public_score) + 1"
    )


def ranked_count(*, phase_id: int, split: str = "public") -> int:
    """How many teams the ranking of ``split`` holds."""
    return TeamBest.objects.filter(phase_id=phase_id, **{f"{_score(split)}__isnull": False}).count()


def _standings_sql(*, higher: bool, split: str, basis_column: str) -> str:
    """The ranked rows with each team's name, members' countries (distinct,
    in order), members counted per region and the cross-border flag. The
    members' facts are grouped once for the challenge's teams and joined by
    hash: a subquery per team would cost an index lookup per row."""
    region = "COALESCE(cr.region, %s)"
    counts = ", ".join(
        f"COUNT(*) FILTER (WHERE {region} = %s) AS n{i}" for i in range(len(Region.choices))
    )
    mix = ", ".join(
        f"CASE WHEN f.n{i} > 0 THEN %s || ' ' || f.n{i}::text END"
        for i in range(len(Region.choices))
    )
    china = [value for value, _ in Region.choices].index(Region.CHINA)
    asean = [value for value, _ in Region.choices].index(Region.ASEAN)
    country = f'UPPER(p.{basis_column}) COLLATE "C"'
    scores = "ranked.best_private_score, " if split == "private" else ""
    # Only table names and fixed fragments are formatted in; values are parameters.
    return f"""
        WITH ranked AS ({ranked_sql(higher=higher, split=split)}),
        facts AS (
            SELECT m.team_id, {counts},
                   string_agg(DISTINCT {country}, ' ' ORDER BY {country}) AS countries
            FROM {table(Membership)} m
            JOIN {table(Registration)} entered ON entered.team_id = m.team_id
            JOIN {table(Profile)} p ON p.user_id = m.user_id
            LEFT JOIN {table(CountryRegion)} cr ON cr.country = UPPER(p.{basis_column})
            WHERE entered.challenge_id = %s AND p.{basis_column} <> ''
            GROUP BY m.team_id
        )
        SELECT ranked.rank, team.name, COALESCE(f.countries, ''), concat_ws(', ', {mix}),
               COALESCE(f.n{china} > 0 AND f.n{asean} > 0, FALSE),
               {scores}ranked.best_public_score, ranked.scored_count, ranked.last_submitted_at
        FROM ranked
        JOIN {table(Registration)} reg ON reg.id = ranked.registration_id
        JOIN {table(Team)} team ON team.id = reg.team_id
        LEFT JOIN facts f ON f.team_id = reg.team_id
        ORDER BY ranked.position
    """  # noqa: S608


def standings(
    *,
    phase_id: int,
    challenge_id: int,
    higher: bool,
    split: str,
    basis_column: str,
    region_labels: dict,
) -> Iterator[tuple]:
    """The ranked teams of the phase, streamed from a server-side cursor in
    one query: rank, team, countries, region mix ("China 2, ASEAN 1" with
    ``region_labels``), cross-border, [private score,] public score,
    entries, last submission."""
    values = [value for value, _ in Region.choices]
    params = [
        phase_id,
        *[p for value in values for p in (Region.OTHER, value)],
        challenge_id,
        *[region_labels[value] for value in values],
    ]
    sql = _standings_sql(higher=higher, split=split, basis_column=basis_column)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(FETCH_ROWS):
            yield from batch
