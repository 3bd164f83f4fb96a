"""P4: a 100,000-row leaderboard exported as CSV through the writer, against
PostgreSQL's own ``COPY (SELECT ...) TO STDOUT WITH CSV`` of the same rows;
peak memory at 10,000 and 100,000 rows (CSV and XLSX) above idle."""

import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.contrib.auth.models import Group
from django.db import connection

from league.exports import services
from league.models import User
from tests.factories import PhaseFactory, bulk_leaderboard

SIZES = (10_000, 100_000)
MEMORY_BAR_MB = 50
BAR = 0.3

# The leaderboard's rows in SQL: rank, team, its members' countries, score,
# entries, last submission, in the leaderboard's order.
COPY_SQL = """
COPY (
  SELECT rank() OVER (ORDER BY tb.best_public_score DESC) AS rank,
         t.name,
         (SELECT string_agg(DISTINCT p.nationality, ' ')
            FROM teams_membership m JOIN teams_profile p ON p.user_id = m.user_id
           WHERE m.team_id = t.id) AS countries,
         tb.best_public_score, tb.scored_count, tb.last_submitted_at
    FROM submissions_teambest tb
    JOIN teams_registration r ON r.id = tb.registration_id
    JOIN teams_team t ON t.id = r.team_id
   WHERE tb.phase_id = {phase_id} AND tb.best_public_score IS NOT NULL
   ORDER BY tb.best_public_score DESC, tb.best_submitted_at, tb.id
) TO STDOUT WITH CSV HEADER
"""


class _Sink:
    """A file that only counts what is written to it."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)
        return len(data)


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def _exporter() -> User:
    user = User.objects.create(username="p4-exporter")
    user.groups.add(Group.objects.get(name="Organizers"))
    return user


def _export(user, phase, format: str) -> services.Export:
    return services.export_check(
        user=user, dataset_name="phase-leaderboard", params={"phase": phase.pk}, format=format
    )


def _csv_seconds(export) -> tuple[float, int]:
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in services.stream_chunks(export))
    return time.perf_counter() - started, size


def _copy_seconds(phase) -> tuple[float, int]:
    sink = _Sink()
    connection.ensure_connection()
    started = time.perf_counter()
    with connection.connection.cursor() as cursor:
        cursor.copy_expert(COPY_SQL.format(phase_id=int(phase.pk)), sink)
    return time.perf_counter() - started, sink.size


def _memory(export, *, xlsx: bool) -> dict:
    """Peak memory above idle while writing: RSS (VmHWM) and Python's own (tracemalloc)."""
    gc.collect()
    idle = _rss_mb("VmRSS")
    _reset_peak_rss()
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        if xlsx:
            services.write_file(export, target)
        else:
            for chunk in services.stream_chunks(export):
                target.write(chunk)
        seconds = time.perf_counter() - started
        size = target.tell()
    rss = _rss_mb("VmHWM") - idle
    python_peak = None
    if not xlsx:  # Python's own peak (tracemalloc is slow: CSV only)
        gc.collect()
        tracemalloc.start()
        for _chunk in services.stream_chunks(export):
            pass
        python_peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    figures = {
        "rss_mb": round(rss, 1),
        "python_mb": python_peak,
        "seconds": round(seconds, 2),
        "bytes": size,
    }
    print(f"P4: {figures}", flush=True)
    return figures


def run(env: dict) -> dict:
    user = _exporter()
    phases = {}
    for rows in SIZES:
        started = time.perf_counter()
        phases[rows] = PhaseFactory()
        bulk_leaderboard(phases[rows], rows, tag=f"p4-{rows}")
        print(f"P4: {rows:,} rows created in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics after bulk inserts, as in production
    big = phases[SIZES[-1]]
    export = _export(user, big, "csv")
    # Warm both paths once (plans, caches), then take the best of two.
    _csv_seconds(export), _copy_seconds(big)
    writer = min(_csv_seconds(export) for _ in range(2))
    copy = min(_copy_seconds(big) for _ in range(2))
    ratio = copy[0] / writer[0]
    print(f"P4: writer {writer[0]:.2f} s, COPY {copy[0]:.2f} s: ratio {ratio:.2f}", flush=True)
    memory = {}
    for rows, phase in phases.items():
        for format in ("csv", "xlsx"):
            memory[f"{format} {rows:,}"] = _memory(
                _export(user, phase, format), xlsx=format == "xlsx"
            )
    for label, figures in memory.items():
        print(
            f"P4: {label} rows: peak RSS +{figures['rss_mb']} MB, Python peak "
            f"{figures['python_mb']} MB, {figures['seconds']} s, {figures['bytes']:,} bytes"
        )
    flat = all(m["rss_mb"] < MEMORY_BAR_MB for m in memory.values())
    rows = SIZES[-1]
    return {
        "id": "P4",
        "what": f"{rows:,}-row leaderboard CSV through the writer vs COPY; memory at "
        f"{', '.join(f'{s:,}' for s in SIZES)} rows (CSV, XLSX)",
        "baseline": f"COPY {copy[0]:.2f} s ({rows / copy[0]:,.0f} rows/s, {copy[1]:,} bytes)",
        "measured": f"writer {writer[0]:.2f} s ({rows / writer[0]:,.0f} rows/s, "
        f"{writer[1]:,} bytes); peak RSS above idle "
        + ", ".join(f"{label} +{m['rss_mb']} MB" for label, m in memory.items()),
        "ratio": round(ratio, 2),
        "bar": BAR,
        "passed": ratio >= BAR and flat,
        "details": {"memory": memory, "writer_seconds": writer[0], "copy_seconds": copy[0]},
    }
