"""P2b: one big prediction file (1,000,000 and 5,000,000 rows) scored by the
league's reader against a minimal vectorised reference (pyarrow read, join
on id, the scikit-learn metric), each in a fresh process, with its peak memory.

``python -m tests.bench.bigfile`` runs it alone.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from tests.bench.environment import REPORT_DIR, ROOT

SIZES = (1_000_000, 5_000_000)
ORDERS = ("key order", "shuffled")
METRIC = "rmse"
BAR = 0.5
REPEATS = 2
MEMORY_BAR = 5  # peak growth of the scoring process, in multiples of the file's size


def run(env: dict | None = None) -> dict:
    folder = REPORT_DIR / "p2b-files"
    cases = []
    for rows in SIZES:
        key, files = write_files(folder, rows)
        for order, predictions in zip(ORDERS, files, strict=True):
            ours, reference = _best_of(REPEATS, key, predictions)
            size = predictions.stat().st_size
            cases.append(
                {
                    "rows": rows,
                    "order": order,
                    "file_mb": round(size / 1e6, 1),
                    "key_mb": round(key.stat().st_size / 1e6, 1),
                    "league_s": round(ours["seconds"], 2),
                    "league_again_s": round(ours["again_seconds"], 2),
                    "reference_s": round(reference["seconds"], 2),
                    "ratio": round(reference["seconds"] / ours["seconds"], 2),
                    "league_peak_mb": round(ours["peak_growth"] / 1e6, 1),
                    "reference_peak_mb": round(reference["peak_growth"] / 1e6, 1),
                    "league_peak_x_file": round(ours["peak_growth"] / size, 2),
                    "league_peak_x_both_files": round(
                        ours["peak_growth"] / (size + key.stat().st_size), 2
                    ),
                    "same_score": abs(ours["public"] - reference["public"]) < 1e-9
                    and abs(ours["private"] - reference["private"]) < 1e-9,
                }
            )
    for case in cases:
        print(
            f"  P2b {case['rows']:>9,} rows, {case['order']:<9} {case['file_mb']:>6} MB: "
            f"league {case['league_s']} s (key cached {case['league_again_s']} s), "
            f"reference {case['reference_s']} s, ratio {case['ratio']}; peak +"
            f"{case['league_peak_mb']} MB = {case['league_peak_x_file']}× the file, "
            f"{case['league_peak_x_both_files']}× file and key "
            f"(reference +{case['reference_peak_mb']} MB)"
        )
    ratio = min(case["ratio"] for case in cases)
    worst = max(cases, key=lambda case: case["league_peak_x_file"])
    slowest = min(cases, key=lambda case: case["ratio"])
    return {
        "id": "P2b",
        "what": f"one file of {', '.join(f'{r:,}' for r in SIZES)} rows ({METRIC}), "
        "key order and shuffled; lowest ratio shown",
        "baseline": f"pyarrow read + join + scikit-learn {slowest['reference_s']} s "
        f"({slowest['rows']:,} rows, {slowest['order']})",
        "measured": f"league reader {slowest['league_s']} s; peak memory at most "
        f"{worst['league_peak_x_file']}× the file",
        "ratio": ratio,
        "bar": BAR,
        "passed": ratio >= BAR
        and worst["league_peak_x_file"] < MEMORY_BAR
        and all(case["same_score"] for case in cases),
        "details": {"cases": cases},
    }


def write_files(folder: Path, rows: int) -> tuple[Path, list[Path]]:
    """An answer key and two prediction files (key order, shuffled), made once."""
    folder.mkdir(parents=True, exist_ok=True)
    key = folder / f"key-{rows}.csv"
    files = [folder / f"predictions-{rows}-{order.replace(' ', '-')}.csv" for order in ORDERS]
    if key.exists() and all(path.exists() for path in files):
        return key, files
    rng = np.random.default_rng(rows)
    ids = np.char.add("r", np.arange(rows).astype(str))
    truth = np.char.mod("%.3f", rng.uniform(0, 100, rows))
    split = np.where(np.arange(rows) % 3, "public", "private")
    _write_csv(key, "id,expected,split", ids, truth, split)
    guess = np.char.mod("%.3f", rng.uniform(0, 100, rows))
    _write_csv(files[0], "id,prediction", ids, guess)
    order = rng.permutation(rows)
    _write_csv(files[1], "id,prediction", ids[order], guess[order])
    return key, files


def _write_csv(path: Path, header: str, *columns) -> None:
    lines = columns[0]
    for column in columns[1:]:
        lines = np.char.add(np.char.add(lines, ","), column)
    with path.open("w") as out:
        out.write(header + "\n")
        for start in range(0, len(lines), 500_000):
            out.write("\n".join(lines[start : start + 500_000].tolist()) + "\n")


def _best_of(repeats: int, key: Path, predictions: Path) -> tuple[dict, dict]:
    """Each reader ``repeats`` times, alternating, so that a busy moment of the
    machine hits both; the fastest run of each."""
    runs = {"league": [], "reference": []}
    for _ in range(repeats):
        for reader, found in runs.items():
            found.append(_in_subprocess(reader, key, predictions))
    return tuple(min(found, key=lambda run: run["seconds"]) for found in runs.values())


def _in_subprocess(reader: str, key: Path, predictions: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.bigfile", reader, str(key), str(predictions)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _score_league(key: Path, predictions: Path) -> tuple[float, float]:
    from submissions.evaluation.scoring import score_predictions

    with key.open("rb") as key_file, predictions.open("rb") as prediction_file:
        scores = score_predictions(
            answer_key_file=key_file, prediction_file=prediction_file, metric_name=METRIC
        )
    return scores.public, scores.private


def _score_reference(key: Path, predictions: Path) -> tuple[float, float]:
    import pyarrow.compute as pc
    import pyarrow.csv as pa_csv
    from sklearn.metrics import root_mean_squared_error

    joined = pa_csv.read_csv(key).join(pa_csv.read_csv(predictions), "id")
    expected = joined.column("expected").to_numpy()
    predicted = joined.column("prediction").to_numpy()
    public = pc.equal(joined.column("split"), "public").to_numpy(zero_copy_only=False)
    return (
        root_mean_squared_error(expected[public], predicted[public]),
        root_mean_squared_error(expected[~public], predicted[~public]),
    )


def _small_files(folder: Path) -> tuple[Path, Path]:
    key, predictions = folder / "small-key.csv", folder / "small-predictions.csv"
    key.write_text(
        "id,expected,split\n"
        + "".join(f"s{i},{i},{'public' if i % 3 else 'private'}\n" for i in range(1000))
    )
    predictions.write_text("id,prediction\n" + "".join(f"s{i},{i + 1}\n" for i in range(1000)))
    return key, predictions


def _memory(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in bytes. Not ru_maxrss:
    that one keeps the peak of the process that started this one."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


def _measure(reader: str, key: Path, predictions: Path) -> dict:
    """Run in a fresh process: the scoring's time and its peak memory above
    the process's size once everything is imported."""
    import django

    django.setup()
    import pyarrow.compute
    import pyarrow.csv  # noqa: F401
    import sklearn.metrics  # noqa: F401

    import submissions.evaluation.scoring  # noqa: F401
    from submissions.worker_limits import return_freed_memory

    # Both readers in a process set up as the worker sets up its pool processes.
    return_freed_memory()
    score = _score_league if reader == "league" else _score_reference
    # A long-lived worker has its thread pools and allocator arenas already:
    # score a small file first, so that the peak below is the big file's.
    score(*_small_files(key.parent))
    before = _memory("VmRSS")
    started = time.perf_counter()
    public, private = score(key, predictions)
    seconds = time.perf_counter() - started
    peak = _memory("VmHWM")
    started = time.perf_counter()
    score(key, predictions)  # the league's reader has the key cached now
    again = time.perf_counter() - started
    return {
        "seconds": seconds,
        "again_seconds": again,
        "peak_growth": peak - before,
        "public": public,
        "private": private,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4:
        reader, key_path, predictions_path = sys.argv[1:]
        print(json.dumps(_measure(reader, Path(key_path), Path(predictions_path))))
    else:
        outcome = run()
        print(json.dumps({k: v for k, v in outcome.items() if k != "details"}, indent=2))
