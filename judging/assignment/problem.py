"""What an assignment problem and its answer are made of."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.
from judging.assignment.reasons import Reason

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
