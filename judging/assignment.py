"""Judge assignment as a minimum-cost flow. No Django: plain data in, plain data out.

The network (one unit of flow is one judge reviewing one entry)::

    source → entry (capacity: judges it still needs)
           → (entry, region) (capacity: region spread limit, if any)
           → (entry, country) (capacity: nationality spread limit, if any)
           → judge (capacity 1; no arc where a conflict exists; cost −affinity)
           → sink (capacity: what is left of the judge's cap)

A maximum flow of value R × entries at minimum cost is the assignment; a smaller
maximum flow means no assignment exists, and the minimum cut says why
(``AssignmentInfeasible``). The flow is solved with OR-Tools' ``SimpleMinCostFlow``,
chosen by benchmark (P5 in ``make bench``, see docs/quality.md): on 2,000 entries ×
300 judges it solves in about a second where scipy's HiGHS on the same LP takes
several and networkx's network simplex far longer.

Reviews already started survive a re-run: pass them as ``keep``; they count
against caps, spread limits and the entry's R, and are part of the result.

Messages are ``Reason`` objects: a stable code, parameters and an English
template, so the Django layer can translate each code.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.
AFFINITY_SCALE = 1000
DEFAULT_NOISE = 0.05

# Constraint codes used in ``EntryShortfall.removed`` besides conflict reasons.
CAPS_EXHAUSTED = "caps_exhausted"
SPREAD_LIMIT = "spread_limit"


@dataclass(frozen=True)
class Entry:
    id: int
    team_id: int | None = None
    # Countries of the team's members (nationality rule, for information).
    countries: frozenset[str] = frozenset()
    # The challenge's industry and keywords, matched against judges' expertise.
    keywords: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Judge:
    id: int
    cap: int
    # The key of the region spread limit (a region or a country, as the caller chooses).
    region: str = ""
    # Nationality, the key of per-entry country limits.
    country: str = ""
    expertise: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Conflict:
    """A forbidden (entry, judge) pair and why (a code of ``judging.conflicts``)."""

    entry_id: int
    judge_id: int
    reason: str
    # What the reason is about, e.g. the shared country code or e-mail domain.
    detail: str = ""


@dataclass(frozen=True)
class Reason:
    """One part of an explanation: a stable code, its parameters, an English template."""

    code: str
    params: dict[str, Any]
    template: str

    @property
    def message(self) -> str:
        return self.template.format(**{k: _show(v) for k, v in self.params.items()})

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params, "message": self.message}


@dataclass(frozen=True)
class EntryShortfall:
    """An entry that cannot get the judges it needs, even with no other entry competing."""

    entry_id: int
    needed: int
    available: int
    # Judges removed from this entry's candidates, by constraint (conflict reason
    # codes, ``caps_exhausted``, ``spread_limit``).
    removed: dict[str, int]

    @property
    def lacking(self) -> int:
        return self.needed - self.available


class AssignmentInfeasible(Exception):
    """No assignment meets every constraint; ``reasons`` say which and by how much."""

    def __init__(
        self,
        reasons: Sequence[Reason],
        *,
        shortfalls: Sequence[EntryShortfall] = (),
        required: int = 0,
        possible: int = 0,
    ):
        self.reasons = tuple(reasons)
        self.shortfalls = tuple(shortfalls)
        self.required = required
        self.possible = possible
        super().__init__(" ".join(r.message for r in self.reasons))

    @property
    def lacking(self) -> int:
        return self.required - self.possible

    def as_dict(self) -> dict:
        return {
            "required": self.required,
            "possible": self.possible,
            "reasons": [r.as_dict() for r in self.reasons],
            "shortfalls": [
                {
                    "entry_id": s.entry_id,
                    "needed": s.needed,
                    "available": s.available,
                    "removed": s.removed,
                }
                for s in self.shortfalls
            ],
        }


@dataclass(frozen=True)
class AssignmentProblem:
    entries: Sequence[Entry]
    judges: Sequence[Judge]
    judges_per_entry: int
    conflicts: Iterable[Conflict] = ()
    # At most this many judges of one ``Judge.region`` per entry.
    region_limit: int | None = None
    # entry id → {country: at most this many judges of that nationality}.
    country_limits: Mapping[int, Mapping[str, int]] = field(default_factory=dict)
    # (entry id, judge id) pairs to keep: reviews already started.
    keep: Iterable[tuple[int, int]] = ()
    seed: int = 0
    # Size of the seeded random term added to affinities to spread load.
    noise: float = DEFAULT_NOISE


@dataclass(frozen=True)
class Assignment:
    pairs: tuple[tuple[int, int], ...]  # (entry id, judge id), sorted
    total_affinity: float
    load: dict[int, int]  # judge id → entries assigned (every judge listed)

    def panel(self, entry_id: int) -> list[int]:
        return [j for e, j in self.pairs if e == entry_id]


@dataclass(frozen=True)
class FlowNetwork:
    """The flow network as arrays, so solvers can be compared on the same input."""

    num_nodes: int
    source: int
    sink: int
    tails: np.ndarray
    heads: np.ndarray
    capacities: np.ndarray
    costs: np.ndarray
    required: int
    # Arcs [pair_start, pair_start + len(pair_entries)) are the (entry, judge) arcs.
    pair_start: int
    pair_entries: np.ndarray  # entry index per pair arc
    pair_judges: np.ndarray  # judge index per pair arc


def assign_judges(problem: AssignmentProblem) -> Assignment:
    """The assignment of maximum total affinity, or ``AssignmentInfeasible``."""
    prepared = _Prepared(problem)
    network = prepared.network()
    flows = solve_min_cost_flow(network)
    assigned = int(flows[network.pair_start : network.pair_start + len(network.pair_entries)].sum())
    if assigned < network.required:
        raise prepared.explain(network, possible=assigned)
    chosen = flows[network.pair_start : network.pair_start + len(network.pair_entries)] > 0
    return prepared.result(
        zip(
            network.pair_entries[chosen].tolist(), network.pair_judges[chosen].tolist(), strict=True
        )
    )


def flow_network(problem: AssignmentProblem) -> FlowNetwork:
    """The problem's flow network, for comparing solvers on the same input."""
    return _Prepared(problem).network()


def solve_min_cost_flow(network: FlowNetwork) -> np.ndarray:
    """Flow on every arc of a maximum flow of minimum cost (OR-Tools)."""
    from ortools.graph.python import min_cost_flow

    solver = min_cost_flow.SimpleMinCostFlow()
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.costs
    )
    solver.set_node_supply(network.source, network.required)
    solver.set_node_supply(network.sink, -network.required)
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow solver failed with status {status}")
    return np.asarray(solver.flows(arcs), dtype=np.int64)


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


TEMPLATES = {
    "entries_short": (
        "{count} entries can get only {available} of the {needed} judges they need "
        "(entries {entries}; judges removed: {removed})."
    ),
    "judges_full": (
        "{count} entries compete for the same {judge_count} judges, "
        "who lack {lacking} places between them (entries {entries})."
    ),
    "raise_caps": "Raise judges' caps.",
    "relax_spread": (
        "Raise the limit of {limit} judges per region, or add judges from other regions."
    ),
    "add_judges_outside": "Add judges from outside {countries}.",
    "add_judges": "Add judges without a conflict ({reason}).",
    "kept_pair_conflicted": (
        "Judge {judge} has started reviewing entry {entry} but has a conflict ({reason})."
    ),
    "kept_over_panel_size": "Entry {entry} has more started reviews than its {needed} judges.",
    "kept_over_cap": "Judge {judge} has more started reviews than their cap of {cap}.",
    "kept_over_region_limit": (
        "Entry {entry} has more than {limit} started reviews by judges of {region}."
    ),
    "kept_over_country_limit": (
        "Entry {entry} has more than {limit} started reviews by judges from {country}."
    ),
    "unknown_pair": "Entry {entry} or judge {judge} is not part of the problem.",
    "duplicate_pair": "Judge {judge} is assigned twice to entry {entry}.",
    "conflict": "Judge {judge} is assigned to entry {entry} despite a conflict ({reason}).",
    "panel_size": "Entry {entry} has {judges} judges instead of {needed}.",
    "over_cap": "Judge {judge} has {load} entries, over their cap of {cap}.",
    "region_spread": "Entry {entry} has {judges} judges of {region}, over the limit of {limit}.",
    "country_spread": (
        "Entry {entry} has {judges} judges from {country}, over the limit of {limit}."
    ),
    "kept_pair_missing": "The started review of judge {judge} on entry {entry} was dropped.",
}


def _reason(code: str, **params: Any) -> Reason:
    return Reason(code=code, params=params, template=TEMPLATES[code])


def _unique(reasons: list[Reason]) -> list[Reason]:
    seen, unique = set(), []
    for r in reasons:
        key = (r.code, repr(sorted(r.params.items())))
        if key not in seen:
            seen.add(key)
            unique.append(r)
    return unique


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        shown = ", ".join(str(v) for v in value[:10])
        return shown + (f" and {len(value) - 10} more" if len(value) > 10 else "")
    if isinstance(value, dict):
        return ", ".join(f"{v} by {k.replace('_', ' ')}" for k, v in value.items())
    return str(value)


def _norm(word: str) -> str:
    return word.strip().casefold()
