"""Solving: the minimum-cost flow (OR-Tools), chosen by benchmark."""

import numpy as np

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.
from judging.assignment.network import _Prepared
from judging.assignment.problem import Assignment, AssignmentProblem, FlowNetwork


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
