"""A greedy baseline (for the benchmark) and the check of every constraint."""

from collections import Counter
from collections.abc import Iterable

import numpy as np

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.
from judging.assignment.network import _Prepared
from judging.assignment.problem import Assignment, AssignmentInfeasible, AssignmentProblem
from judging.assignment.reasons import Reason, _reason


def greedy_assignment(problem: AssignmentProblem) -> Assignment:
    """A baseline: entries with the fewest candidates first, each takes its best free judges.

    It may leave entries short; ``check_assignment`` then says so.
    """
    prepared = _Prepared(problem)
    if prepared.kept_violations:
        raise AssignmentInfeasible(prepared.kept_violations)
    cap_left = prepared.cap_left.copy()
    region_left = dict(prepared.region_left)
    country_left = dict(prepared.country_left)
    affinity = prepared.affinity
    candidates = prepared.allowed.sum(axis=1)
    pairs = []
    for e in np.argsort(candidates, kind="stable"):
        need = prepared.need[e]
        if need <= 0:
            continue
        for j in np.argsort(-affinity[e], kind="stable"):
            if need == 0:
                break
            if not prepared.allowed[e, j] or cap_left[j] <= 0:
                continue
            region_key = (e, prepared.region_of[j])
            country_key = (e, prepared.country_of[j])
            if region_key in region_left and region_left[region_key] <= 0:
                continue
            if country_key in country_left and country_left[country_key] <= 0:
                continue
            if region_key in region_left:
                region_left[region_key] -= 1
            if country_key in country_left:
                country_left[country_key] -= 1
            cap_left[j] -= 1
            need -= 1
            pairs.append((int(e), int(j)))
    return prepared.result(pairs)


def check_assignment(problem: AssignmentProblem, pairs: Iterable[tuple[int, int]]) -> list[Reason]:
    """Every constraint the pairs (entry id, judge id) break; empty when all hold."""
    entries = {e.id: e for e in problem.entries}
    judges = {j.id: j for j in problem.judges}
    forbidden = {(c.entry_id, c.judge_id): c.reason for c in problem.conflicts}
    pairs = list(pairs)
    problems = []
    seen = set()
    panel = Counter()
    load = Counter()
    by_region = Counter()
    by_country = Counter()
    for entry_id, judge_id in pairs:
        if entry_id not in entries or judge_id not in judges:
            problems.append(_reason("unknown_pair", entry=entry_id, judge=judge_id))
            continue
        if (entry_id, judge_id) in seen:
            problems.append(_reason("duplicate_pair", entry=entry_id, judge=judge_id))
            continue
        seen.add((entry_id, judge_id))
        if (entry_id, judge_id) in forbidden:
            problems.append(
                _reason(
                    "conflict",
                    entry=entry_id,
                    judge=judge_id,
                    reason=forbidden[entry_id, judge_id],
                )
            )
        judge = judges[judge_id]
        panel[entry_id] += 1
        load[judge_id] += 1
        if judge.region:
            by_region[entry_id, judge.region] += 1
        if judge.country:
            by_country[entry_id, judge.country] += 1
    for entry_id in entries:
        if panel[entry_id] != problem.judges_per_entry:
            problems.append(
                _reason(
                    "panel_size",
                    entry=entry_id,
                    judges=panel[entry_id],
                    needed=problem.judges_per_entry,
                )
            )
    for judge_id, judge in judges.items():
        if load[judge_id] > judge.cap:
            problems.append(_reason("over_cap", judge=judge_id, load=load[judge_id], cap=judge.cap))
    if problem.region_limit is not None:
        for (entry_id, region), n in sorted(by_region.items()):
            if n > problem.region_limit:
                problems.append(
                    _reason(
                        "region_spread",
                        entry=entry_id,
                        region=region,
                        judges=n,
                        limit=problem.region_limit,
                    )
                )
    for entry_id, limits in problem.country_limits.items():
        for country, limit in limits.items():
            if by_country[entry_id, country] > limit:
                problems.append(
                    _reason(
                        "country_spread",
                        entry=entry_id,
                        country=country,
                        judges=by_country[entry_id, country],
                        limit=limit,
                    )
                )
    for entry_id, judge_id in problem.keep:
        if (entry_id, judge_id) not in seen:
            problems.append(_reason("kept_pair_missing", entry=entry_id, judge=judge_id))
    return problems
