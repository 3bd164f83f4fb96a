"""The problem as index arrays and as a flow network; the minimum cut's explanation."""

from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.
from judging.assignment.problem import (
    AFFINITY_SCALE,
    CAPS_EXHAUSTED,
    SPREAD_LIMIT,
    Assignment,
    AssignmentInfeasible,
    AssignmentProblem,
    EntryShortfall,
    FlowNetwork,
)
from judging.assignment.reasons import Reason, _reason, _unique


def affinity_matrix(problem: AssignmentProblem) -> np.ndarray:
    """Affinity of every (entry, judge), entries and judges in increasing id order.

    The share of the entry's keywords found in the judge's expertise (0 to 1), plus
    a seeded random term in [0, noise) so that ties go different ways between
    challenges and load spreads.
    """
    entries = sorted(problem.entries, key=lambda e: e.id)
    judges = sorted(problem.judges, key=lambda j: j.id)
    vocabulary = {}
    for judge in judges:
        for word in judge.expertise:
            vocabulary.setdefault(_norm(word), len(vocabulary))
    entry_words = np.zeros((len(entries), max(1, len(vocabulary))), dtype=np.float64)
    entry_sizes = np.ones(len(entries))
    for e, entry in enumerate(entries):
        words = {_norm(w) for w in entry.keywords}
        entry_sizes[e] = max(1, len(words))
        for word in words:
            if word in vocabulary:
                entry_words[e, vocabulary[word]] = 1
    judge_words = np.zeros((len(judges), max(1, len(vocabulary))), dtype=np.float64)
    for j, judge in enumerate(judges):
        for word in judge.expertise:
            judge_words[j, vocabulary[_norm(word)]] = 1
    matches = entry_words @ judge_words.T / entry_sizes[:, None]
    rng = np.random.default_rng(problem.seed)
    return matches + problem.noise * rng.random(matches.shape)


class _Prepared:
    """The problem as index arrays: entries and judges in increasing id order."""

    def __init__(self, problem: AssignmentProblem):
        if problem.judges_per_entry < 1:
            raise ValueError("judges_per_entry must be at least 1")
        self.problem = problem
        self.entries = sorted(problem.entries, key=lambda e: e.id)
        self.judges = sorted(problem.judges, key=lambda j: j.id)
        self.entry_index = {e.id: i for i, e in enumerate(self.entries)}
        self.judge_index = {j.id: i for i, j in enumerate(self.judges)}
        if len(self.entry_index) != len(self.entries) or len(self.judge_index) != len(self.judges):
            raise ValueError("entry and judge ids must be unique")
        n_entries, n_judges = len(self.entries), len(self.judges)
        self.r = problem.judges_per_entry
        self.affinity = affinity_matrix(problem)

        self.reasons = defaultdict(list)  # (e, j) → [(reason, detail)]
        for c in problem.conflicts:
            if c.entry_id in self.entry_index and c.judge_id in self.judge_index:
                key = (self.entry_index[c.entry_id], self.judge_index[c.judge_id])
                self.reasons[key].append((c.reason, c.detail))
        self.allowed = np.ones((n_entries, n_judges), dtype=bool)
        for e, j in self.reasons:
            self.allowed[e, j] = False

        regions = sorted({j.region for j in self.judges if j.region})
        countries = sorted({j.country for j in self.judges if j.country})
        self.region_names = regions
        self.region_of = [regions.index(j.region) if j.region else -1 for j in self.judges]
        self.region_of = np.asarray(self.region_of, dtype=np.int64)
        self.country_of = np.asarray(
            [countries.index(j.country) if j.country else -1 for j in self.judges], dtype=np.int64
        )
        self.country_names = countries

        self.kept = []
        kept_violations = []
        for entry_id, judge_id in dict.fromkeys(problem.keep):
            if entry_id not in self.entry_index or judge_id not in self.judge_index:
                raise ValueError(f"kept pair ({entry_id}, {judge_id}) names an unknown entry/judge")
            e, j = self.entry_index[entry_id], self.judge_index[judge_id]
            if (e, j) in self.reasons:
                kept_violations.append(
                    _reason(
                        "kept_pair_conflicted",
                        entry=entry_id,
                        judge=judge_id,
                        reason=self.reasons[e, j][0][0],
                    )
                )
            self.kept.append((e, j))
            self.allowed[e, j] = False  # never twice the same judge

        self.need = np.full(n_entries, self.r, dtype=np.int64)
        self.cap_left = np.asarray([j.cap for j in self.judges], dtype=np.int64)
        kept_region = Counter()
        kept_country = Counter()
        for e, j in self.kept:
            self.need[e] -= 1
            self.cap_left[j] -= 1
            kept_region[e, self.region_of[j]] += 1
            kept_country[e, self.country_of[j]] += 1

        # Remaining room per (entry, region) and (entry, country) where a limit applies.
        self.region_left = {}
        if problem.region_limit is not None:
            used = self.allowed[:, self.region_of >= 0]
            rows, cols = np.nonzero(used)
            judge_regions = self.region_of[self.region_of >= 0][cols]
            for e, r in set(zip(rows.tolist(), judge_regions.tolist(), strict=True)):
                self.region_left[e, r] = problem.region_limit - kept_region[e, r]
            for (e, r), n in kept_region.items():
                if r >= 0:
                    self.region_left[e, r] = problem.region_limit - n
        self.country_left = {}
        for entry_id, limits in problem.country_limits.items():
            if entry_id not in self.entry_index:
                continue
            e = self.entry_index[entry_id]
            for country, limit in limits.items():
                if country in countries:
                    c = countries.index(country)
                    self.country_left[e, c] = limit - kept_country[e, c]
        if self.country_left and problem.region_limit is not None:
            # The network nests countries inside regions: a country's judges must
            # share one region.
            for c, name in enumerate(countries):
                if len(set(self.region_of[self.country_of == c].tolist())) > 1:
                    raise ValueError(
                        f"judges of {name} are in several regions: a nationality limit "
                        "and a region limit together need one region per country"
                    )

        for e in np.nonzero(self.need < 0)[0]:
            kept_violations.append(
                _reason("kept_over_panel_size", entry=self.entries[e].id, needed=self.r)
            )
        for j in np.nonzero(self.cap_left < 0)[0]:
            kept_violations.append(
                _reason("kept_over_cap", judge=self.judges[j].id, cap=self.judges[j].cap)
            )
        for (e, r), left in sorted(self.region_left.items()):
            if left < 0:
                kept_violations.append(
                    _reason(
                        "kept_over_region_limit",
                        entry=self.entries[e].id,
                        region=regions[r],
                        limit=problem.region_limit,
                    )
                )
        for (e, c), left in sorted(self.country_left.items()):
            if left < 0:
                kept_violations.append(
                    _reason(
                        "kept_over_country_limit",
                        entry=self.entries[e].id,
                        country=countries[c],
                        limit=left + kept_country[e, c],
                    )
                )
        self.kept_violations = kept_violations

    def network(self) -> FlowNetwork:
        if self.kept_violations:
            raise AssignmentInfeasible(self.kept_violations)
        n_entries, n_judges = len(self.entries), len(self.judges)
        source, sink = 0, 1
        entry_node = 2 + np.arange(n_entries)
        judge_node = 2 + n_entries + np.arange(n_judges)
        next_node = 2 + n_entries + n_judges
        tails, heads, caps, costs = [], [], [], []

        def add(t, h, c, cost=None):
            t, h, c = np.atleast_1d(t), np.atleast_1d(h), np.atleast_1d(c)
            tails.append(t)
            heads.append(h)
            caps.append(c)
            costs.append(np.zeros(len(t), dtype=np.int64) if cost is None else cost)

        wanted = self.need > 0
        add(np.full(wanted.sum(), source), entry_node[wanted], self.need[wanted])

        pe, pj = np.nonzero(self.allowed & wanted[:, None] & (self.cap_left > 0)[None, :])
        parent = entry_node[pe]
        if self.region_left:
            keys = sorted(self.region_left)
            node_of = {key: next_node + i for i, key in enumerate(keys)}
            next_node += len(keys)
            add(
                entry_node[[e for e, _ in keys]],
                np.asarray([node_of[k] for k in keys]),
                np.asarray([self.region_left[k] for k in keys]),
            )
            limited = self.region_of[pj] >= 0
            parent = parent.copy()
            parent[limited] = [
                node_of[k]
                for k in zip(
                    pe[limited].tolist(), self.region_of[pj[limited]].tolist(), strict=True
                )
            ]
            region_parent = node_of
        else:
            region_parent = {}
        if self.country_left:
            keys = sorted(self.country_left)
            node_of = {key: next_node + i for i, key in enumerate(keys)}
            next_node += len(keys)
            country_judges = {}
            for e, c in keys:
                members = np.nonzero(self.country_of == c)[0]
                region = int(self.region_of[members[0]]) if len(members) else -1
                country_judges[e, c] = region_parent.get((e, region), entry_node[e])
            add(
                np.asarray([country_judges[k] for k in keys]),
                np.asarray([node_of[k] for k in keys]),
                np.asarray([self.country_left[k] for k in keys]),
            )
            country_keys = list(zip(pe.tolist(), self.country_of[pj].tolist(), strict=True))
            parent = np.asarray(
                [node_of.get(k, p) for k, p in zip(country_keys, parent.tolist(), strict=True)],
                dtype=np.int64,
            )
        pair_start = sum(len(t) for t in tails)
        add(
            parent,
            judge_node[pj],
            np.ones(len(pe), dtype=np.int64),
            -np.rint(self.affinity[pe, pj] * AFFINITY_SCALE).astype(np.int64),
        )
        add(judge_node, np.full(n_judges, sink), np.maximum(self.cap_left, 0))
        return FlowNetwork(
            num_nodes=next_node,
            source=source,
            sink=sink,
            tails=np.concatenate(tails).astype(np.int64),
            heads=np.concatenate(heads).astype(np.int64),
            capacities=np.concatenate(caps).astype(np.int64),
            costs=np.concatenate(costs).astype(np.int64),
            required=int(self.need[wanted].sum()),
            pair_start=pair_start,
            pair_entries=pe,
            pair_judges=pj,
        )

    def result(self, index_pairs: Iterable[tuple[int, int]]) -> Assignment:
        chosen = list(self.kept) + list(index_pairs)
        load = {j.id: 0 for j in self.judges}
        pairs = []
        total = 0.0
        for e, j in chosen:
            pairs.append((self.entries[e].id, self.judges[j].id))
            load[self.judges[j].id] += 1
            total += float(self.affinity[e, j])
        return Assignment(pairs=tuple(sorted(pairs)), total_affinity=total, load=load)

    # -- explaining infeasibility -------------------------------------------------

    def available(self, e: int) -> int:
        """Judges entry ``e`` could still get if no other entry competed for them."""
        usable = self.allowed[e] & (self.cap_left > 0)
        total = 0
        by_region = Counter()
        groups = Counter(
            zip(self.region_of[usable].tolist(), self.country_of[usable].tolist(), strict=True)
        )
        for (r, c), n in groups.items():
            if (e, c) in self.country_left:
                n = min(n, max(0, self.country_left[e, c]))
            by_region[r] += n
        for r, n in by_region.items():
            if (e, r) in self.region_left:
                n = min(n, max(0, self.region_left[e, r]))
            total += n
        return total

    def removed(self, e: int) -> dict[str, int]:
        removed = Counter()
        for j in range(len(self.judges)):
            for reason in {r for r, _ in self.reasons.get((e, j), ())}:
                removed[reason] += 1
        usable = self.allowed[e] & (self.cap_left > 0)
        removed[CAPS_EXHAUSTED] = int((self.allowed[e] & (self.cap_left <= 0)).sum())
        removed[SPREAD_LIMIT] = int(usable.sum()) - self.available(e)
        return {k: v for k, v in sorted(removed.items()) if v}

    def explain(self, network: FlowNetwork, *, possible: int) -> AssignmentInfeasible:
        from ortools.graph.python import max_flow

        solver = max_flow.SimpleMaxFlow()
        solver.add_arcs_with_capacity(network.tails, network.heads, network.capacities)
        solver.solve(network.source, network.sink)
        source_side = set(solver.get_source_side_min_cut())
        n_entries = len(self.entries)
        blocked = [e for e in range(n_entries) if 2 + e in source_side and self.need[e] > 0]
        shortfalls = []
        for e in blocked:
            available = self.available(e)
            if available < self.need[e]:
                shortfalls.append(
                    EntryShortfall(
                        entry_id=self.entries[e].id,
                        needed=int(self.need[e]),
                        available=available,
                        removed=self.removed(e),
                    )
                )
        reasons = []
        groups = defaultdict(list)
        for s in shortfalls:
            groups[s.available, s.needed].append(s)
        for (available, needed), group in sorted(groups.items()):
            # Distinct judges removed from at least one entry of the group, by cause.
            removed_judges = defaultdict(set)
            details = Counter()
            spread = 0
            for s in group:
                e = self.entry_index[s.entry_id]
                for j in range(len(self.judges)):
                    for reason, detail in self.reasons.get((e, j), ()):
                        removed_judges[reason].add(j)
                        if detail:
                            details[reason, detail] += 1
                full = np.nonzero(self.allowed[e] & (self.cap_left <= 0))[0]
                removed_judges[CAPS_EXHAUSTED].update(full.tolist())
                spread = max(spread, s.removed.get(SPREAD_LIMIT, 0))
            removed = Counter({k: len(v) for k, v in sorted(removed_judges.items()) if v})
            if spread:
                removed[SPREAD_LIMIT] = spread
            reasons.append(
                _reason(
                    "entries_short",
                    count=len(group),
                    entries=[s.entry_id for s in group],
                    available=available,
                    needed=needed,
                    lacking=sum(s.lacking for s in group),
                    removed=dict(removed),
                )
            )
            reasons.extend(self._hints(removed, details))
        individual = sum(s.lacking for s in shortfalls)
        collective = network.required - possible - individual
        if collective > 0:
            short_ids = {s.entry_id for s in shortfalls}
            competing = [self.entries[e].id for e in blocked]
            competing = [i for i in competing if i not in short_ids] or competing
            full = [
                self.judges[j].id
                for j in range(len(self.judges))
                if 2 + n_entries + j in source_side and self.cap_left[j] > 0
            ]
            reasons.append(
                _reason(
                    "judges_full",
                    count=len(competing),
                    entries=competing,
                    judge_count=len(full),
                    judges=full,
                    lacking=collective,
                )
            )
            spread_cut = any(
                network.tails[a] in source_side and network.heads[a] not in source_side
                for a in range(int((self.need > 0).sum()), network.pair_start)
            )
            reasons.append(_reason("raise_caps", judges=full))
            if spread_cut:
                reasons.append(_reason("relax_spread", limit=self.problem.region_limit))
        return AssignmentInfeasible(
            reasons, shortfalls=shortfalls, required=network.required, possible=possible
        )

    def _hints(self, removed: Counter, details: Counter) -> list[Reason]:
        hints = []
        for cause, _n in removed.most_common():
            if cause == CAPS_EXHAUSTED:
                hints.append(_reason("raise_caps", judges=[]))
            elif cause == SPREAD_LIMIT:
                hints.append(_reason("relax_spread", limit=self.problem.region_limit))
            elif cause == "shared_nationality":
                countries = [d for (r, d), _ in details.most_common() if r == cause]
                hints.append(
                    _reason("add_judges_outside", countries=countries)
                    if countries
                    else _reason("add_judges", reason=cause)
                )
            else:
                hints.append(_reason("add_judges", reason=cause))
        return _unique(hints)


def _norm(word: str) -> str:
    return word.strip().casefold()
