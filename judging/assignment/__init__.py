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

from judging.assignment.baseline import check_assignment, greedy_assignment
from judging.assignment.network import affinity_matrix
from judging.assignment.problem import (
    CAPS_EXHAUSTED,
    SPREAD_LIMIT,
    Assignment,
    AssignmentInfeasible,
    AssignmentProblem,
    Conflict,
    Entry,
    EntryShortfall,
    FlowNetwork,
    Judge,
)
from judging.assignment.reasons import TEMPLATES, Reason
from judging.assignment.solve import assign_judges, flow_network, solve_min_cost_flow

__all__ = [
    "CAPS_EXHAUSTED",
    "SPREAD_LIMIT",
    "TEMPLATES",
    "Assignment",
    "AssignmentInfeasible",
    "AssignmentProblem",
    "Conflict",
    "Entry",
    "EntryShortfall",
    "FlowNetwork",
    "Judge",
    "Reason",
    "affinity_matrix",
    "assign_judges",
    "check_assignment",
    "flow_network",
    "greedy_assignment",
    "solve_min_cost_flow",
]
