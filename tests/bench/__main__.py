"""`make bench`: run the benchmarks, print a table, write var/bench/report.json."""

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime

from tests.bench.environment import REPORT_DIR, prepare

BENCHMARKS = ("P1", "P2", "P2b", "P3", "P4", "P5")
# These need neither PostgreSQL nor Redis.
DATABASE_FREE = frozenset({"P2b", "P5"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help=f"some of {', '.join(BENCHMARKS)}")
    args = parser.parse_args()
    unknown = set(args.only) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    selected = args.only or BENCHMARKS
    env = prepare() if set(selected) - DATABASE_FREE else {}
    from tests.bench import assignment, bigfile

    runners = {"P2b": bigfile.run, "P5": assignment.run}
    if env:
        from tests.bench import burst, exports, leaderboard, pipeline

        runners |= {
            "P1": leaderboard.run,
            "P2": pipeline.run,
            "P3": burst.run,
            "P4": exports.run,
        }
    results = [runners[name](env) for name in selected]
    print(f"\n{'id':<4} {'ratio':>6} {'bar':>5}  {'ok':<4} what / measured / baseline")
    for r in results:
        print(
            f"{r['id']:<4} {r['ratio']:>6} {_bar(r):>5}  "
            f"{'yes' if r['passed'] else 'NO':<4} {r['what']}"
        )
        print(f"{'':<22}{r['measured']}  vs  {r['baseline']}")
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(UTC).isoformat(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "commit": _commit(),
        "results": results,
    }
    (REPORT_DIR / "report.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"\nreport: {REPORT_DIR / 'report.json'}")
    return 0 if all(r["passed"] for r in results) else 1


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _bar(result: dict) -> str:
    """A bar is a floor (≥) unless the result says it is a ceiling (≤)."""
    return ("≤" if result.get("bar_kind") == "at most" else "≥") + str(result["bar"])


if __name__ == "__main__":
    sys.exit(main())
