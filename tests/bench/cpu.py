"""CPU time spent by each kind of process on this machine during a stretch of
a benchmark (Linux ``/proc``): where a run's cores went, web server, database,
broker or the benchmark's own clients. Elsewhere it measures nothing."""

import os
from pathlib import Path

PROC = Path("/proc")


def snapshot() -> dict[tuple[int, str], float]:
    """CPU seconds (user + system) of every process so far, by (pid, kind)."""
    if not PROC.is_dir():
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    me = os.getpid()
    seconds = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        seconds[(pid, _kind(pid, me, name, command))] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def spent(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds spent between two snapshots, by kind of process."""
    by_kind: dict[str, float] = {}
    for key, total in after.items():
        by_kind[key[1]] = by_kind.get(key[1], 0.0) + total - before.get(key, 0.0)
    return by_kind


def _kind(pid: int, me: int, name: str, command: str) -> str:
    if pid == me:
        return "clients"
    if "gunicorn" in command:
        return "web"
    if name.startswith("postgres") or command.startswith("postgres"):
        return "database"
    if name.startswith("redis"):
        return "broker"
    return "other"
