"""Judge assignment: hand-made cases, then random small instances (hypothesis)
checked against a brute-force search."""

import itertools
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.assignment import (
    TEMPLATES,
    AssignmentInfeasible,
    AssignmentProblem,
    Conflict,
    Entry,
    Judge,
    affinity_matrix,
    assign_judges,
    check_assignment,
    greedy_assignment,
)


def problem(entries, judges, r, **kwargs):
    kwargs.setdefault("noise", 0)
    return AssignmentProblem(entries=entries, judges=judges, judges_per_entry=r, **kwargs)


HEALTH = Entry(1, keywords=frozenset({"health"}))
ENERGY = Entry(2, keywords=frozenset({"Energy"}))
A = Judge(10, cap=2, region="China", expertise=frozenset({"health"}))
B = Judge(11, cap=2, region="China", expertise=frozenset({"energy "}))
C = Judge(12, cap=2, region="Mekong", expertise=frozenset())


def test_every_entry_gets_its_judges_with_expertise_matched():
    p = problem([HEALTH, ENERGY], [A, B, C], 2)
    result = assign_judges(p)
    assert check_assignment(p, result.pairs) == []
    assert (1, 10) in result.pairs and (2, 11) in result.pairs
    # A on health (1) + B on energy (1); the others add 0.
    assert result.total_affinity == pytest.approx(2)
    assert sum(result.load.values()) == 4


def test_a_conflicted_judge_is_never_assigned():
    p = problem([HEALTH, ENERGY], [A, B, C], 2, conflicts=[Conflict(1, 10, "same_organisation")])
    result = assign_judges(p)
    assert result.panel(1) == [11, 12]
    assert check_assignment(p, result.pairs) == []


def test_started_reviews_are_kept():
    p = problem([HEALTH, ENERGY], [A, B, C], 2, keep=[(1, 12), (2, 12)])
    result = assign_judges(p)
    assert result.panel(1) == [10, 12] and result.panel(2) == [11, 12]
    assert result.load[12] == 2


def test_region_spread_limit():
    # A and B are both of China: at most one of them per entry, so C serves both.
    p = problem([HEALTH, ENERGY], [A, B, C], 2, region_limit=1)
    result = assign_judges(p)
    assert result.panel(1) == [10, 12] and result.panel(2) == [11, 12]


def test_country_limit_from_the_nationality_rule():
    judges = [Judge(20 + i, cap=1, country="VN" if i < 2 else "TH") for i in range(3)]
    p = problem([Entry(1)], judges, 2, country_limits={1: {"VN": 1}})
    panel = assign_judges(p).panel(1)
    assert 22 in panel and len(panel) == 2


def test_the_flow_beats_greedy_where_greedy_takes_the_wrong_judge():
    # e1 likes A and B equally (1, 1); e2 likes A (1) more than B (0.5). Caps 1.
    # Greedy serves e1 first with A, leaving B to e2: 1.5. The optimum is 2.
    e1 = Entry(1, keywords=frozenset({"x"}))
    e2 = Entry(2, keywords=frozenset({"x", "y"}))
    a = Judge(10, cap=1, expertise=frozenset({"x", "y"}))
    b = Judge(11, cap=1, expertise=frozenset({"x"}))
    p = problem([e1, e2], [a, b], 1)
    assert greedy_assignment(p).total_affinity == pytest.approx(1.5)
    assert assign_judges(p).total_affinity == pytest.approx(2)


def test_entries_short_of_non_conflicted_judges_are_named_with_the_country_to_avoid():
    entries = [Entry(i) for i in (14, 22, 31)] + [Entry(40)]
    judges = [Judge(j, cap=4, country="VN" if j < 3 else "TH") for j in range(1, 6)]
    # Entries 14, 22, 31: judges 1 and 2 (Vietnamese) and 3 are conflicted → 2 left.
    conflicts = [Conflict(e, j, "shared_nationality", "VN") for e in (14, 22, 31) for j in (1, 2)]
    conflicts += [Conflict(e, 3, "same_organisation") for e in (14, 22, 31)]
    p = problem(entries, judges, 3, conflicts=conflicts)
    with pytest.raises(AssignmentInfeasible) as caught:
        assign_judges(p)
    error = caught.value
    assert error.required == 12 and error.possible == 9 and error.lacking == 3
    first = error.reasons[0]
    assert first.code == "entries_short"
    assert first.params["entries"] == [14, 22, 31]
    assert (first.params["count"], first.params["available"], first.params["needed"]) == (3, 2, 3)
    # Distinct judges: 1 and 2 by nationality, 3 by organisation.
    assert first.params["removed"] == {"same_organisation": 1, "shared_nationality": 2}
    assert error.shortfalls[0].removed == {"same_organisation": 1, "shared_nationality": 2}
    assert str(error).startswith("3 entries can get only 2 of the 3 judges they need")
    hints = [(r.code, r.params) for r in error.reasons[1:]]
    assert hints == [
        ("add_judges_outside", {"countries": ["VN"]}),
        ("add_judges", {"reason": "same_organisation"}),
    ]
    assert "Add judges from outside VN." in str(error)
    assert [s.entry_id for s in error.shortfalls] == [14, 22, 31]


def test_caps_too_small_for_all_entries_together():
    entries = [Entry(i) for i in range(1, 5)]
    judges = [Judge(j, cap=2) for j in range(10, 13)]
    p = problem(entries, judges, 2)  # 8 places, caps 6
    with pytest.raises(AssignmentInfeasible) as caught:
        assign_judges(p)
    codes = [r.code for r in caught.value.reasons]
    assert codes == ["judges_full", "raise_caps"]
    assert caught.value.reasons[0].params["lacking"] == 2
    assert caught.value.reasons[0].params["judges"] == [10, 11, 12]


def test_a_started_review_that_breaks_a_rule_is_reported():
    p = problem(
        [HEALTH],
        [A, B, C],
        1,
        conflicts=[Conflict(1, 10, "team_member")],
        keep=[(1, 10)],
    )
    with pytest.raises(AssignmentInfeasible) as caught:
        assign_judges(p)
    assert [r.code for r in caught.value.reasons] == ["kept_pair_conflicted"]


def test_check_assignment_names_every_broken_constraint():
    p = problem(
        [HEALTH, ENERGY],
        [A, B, Judge(12, cap=1)],
        2,
        conflicts=[Conflict(1, 10, "same_organisation")],
        region_limit=1,
        keep=[(2, 10)],
    )
    broken = check_assignment(p, [(1, 10), (1, 11), (1, 12), (1, 12), (2, 12)])
    assert sorted(r.code for r in broken) == [
        "conflict",
        "duplicate_pair",
        "kept_pair_missing",
        "over_cap",
        "panel_size",
        "panel_size",
        "region_spread",
    ]


# -- random small instances --------------------------------------------------


@st.composite
def instances(draw):
    n_entries = draw(st.integers(1, 4))
    n_judges = draw(st.integers(1, 5))
    r = draw(st.integers(1, 3))
    words = ["a", "b", "c"]
    entries = [
        Entry(i + 1, keywords=frozenset(draw(st.sets(st.sampled_from(words)))))
        for i in range(n_entries)
    ]
    judges = [
        Judge(
            100 + j,
            cap=draw(st.integers(0, 4)),
            region=draw(st.sampled_from(["X", "Y", ""])),
            expertise=frozenset(draw(st.sets(st.sampled_from(words)))),
        )
        for j in range(n_judges)
    ]
    pairs = [(e.id, j.id) for e in entries for j in judges]
    forbidden = draw(st.sets(st.sampled_from(pairs))) if pairs else set()
    conflicts = [
        Conflict(e, j, draw(st.sampled_from(["same_organisation", "team_member"])))
        for e, j in sorted(forbidden)
    ]
    region_limit = draw(st.sampled_from([None, 1, 2]))
    # Started reviews: a few allowed pairs that respect every limit.
    keep, panel, load, regions = [], Counter(), Counter(), Counter()
    judge_of = {j.id: j for j in judges}
    for e, j in draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)):
        region = judge_of[j].region
        if (
            (e, j) not in forbidden
            and panel[e] < r
            and load[j] < judge_of[j].cap
            and (region_limit is None or not region or regions[e, region] < region_limit)
        ):
            keep.append((e, j))
            panel[e] += 1
            load[j] += 1
            regions[e, region] += 1
    return AssignmentProblem(
        entries=entries,
        judges=judges,
        judges_per_entry=r,
        conflicts=conflicts,
        region_limit=region_limit,
        keep=keep,
        seed=draw(st.integers(0, 3)),
    )


def brute_force_best(p: AssignmentProblem) -> float | None:
    """The best total affinity over every valid assignment, None if there is none."""
    entries = sorted(p.entries, key=lambda e: e.id)
    judges = sorted(p.judges, key=lambda j: j.id)
    affinity = affinity_matrix(p)
    ei = {e.id: i for i, e in enumerate(entries)}
    ji = {j.id: i for i, j in enumerate(judges)}
    keep = set(p.keep)
    best = None

    def search(i, chosen):
        nonlocal best
        if i == len(entries):
            if not check_assignment(p, chosen):
                total = sum(affinity[ei[e], ji[j]] for e, j in chosen)
                best = total if best is None else max(best, total)
            return
        kept = [j.id for j in judges if (entries[i].id, j.id) in keep]
        others = [j.id for j in judges if j.id not in kept]
        load = Counter(j for _, j in chosen)
        others = [j for j in others if load[j] < judges[ji[j]].cap]
        for extra in itertools.combinations(others, p.judges_per_entry - len(kept)):
            search(i + 1, chosen + [(entries[i].id, j) for j in (*kept, *extra)])

    search(0, [])
    return best


def short_entry_could_not_be_covered_alone(p: AssignmentProblem, entry_id: int) -> bool:
    """No set of judges gives this entry its panel, even with no other entry."""
    alone = AssignmentProblem(
        entries=[e for e in p.entries if e.id == entry_id],
        judges=[
            Judge(
                j.id,
                cap=j.cap - sum(1 for e, k in p.keep if k == j.id and e != entry_id),
                region=j.region,
                expertise=j.expertise,
            )
            for j in p.judges
        ],
        judges_per_entry=p.judges_per_entry,
        conflicts=[c for c in p.conflicts if c.entry_id == entry_id],
        region_limit=p.region_limit,
        keep=[(e, j) for e, j in p.keep if e == entry_id],
    )
    return brute_force_best(alone) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_instances_hold_every_constraint_and_match_brute_force(p):
    best = brute_force_best(p)
    try:
        result = assign_judges(p)
    except AssignmentInfeasible as error:
        assert best is None, "the solver gave up on an instance that has a solution"
        assert error.reasons
        for reason in error.reasons:
            assert reason.code in TEMPLATES
            assert reason.message
        explained = sum(
            r.params["lacking"] for r in error.reasons if r.code in ("entries_short", "judges_full")
        )
        if error.required:  # kept reviews that break a rule explain themselves
            assert 0 < error.lacking == explained
        for shortfall in error.shortfalls:
            assert shortfall.available < shortfall.needed
            assert short_entry_could_not_be_covered_alone(p, shortfall.entry_id)
        return
    assert best is not None
    assert check_assignment(p, result.pairs) == []
    panels = Counter(e for e, _ in result.pairs)
    assert all(panels[e.id] == p.judges_per_entry for e in p.entries)
    assert set(p.keep) <= set(result.pairs)
    # Costs are rounded to 1/1000 of affinity: the optimum up to that rounding.
    assert result.total_affinity >= best - 0.001 * len(result.pairs)
    greedy = greedy_assignment(p)
    if not check_assignment(p, greedy.pairs):
        assert result.total_affinity >= greedy.total_affinity - 0.001 * len(result.pairs)


def test_the_judging_core_runs_without_django():
    # The solver, the conflict rules and the score arithmetic are benchmarked and
    # reused outside Django: importing them must not import Django.
    import subprocess
    import sys

    code = (
        "import sys, judging.assignment, judging.conflicts, judging.scoring;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
