"""Pure rules of the final standings: normalisation, the blend, the tie rule,
medals, the track's best cross-border team and the hash of the inputs.
No Django models, no database.

The blend (method ``METHOD_VERSION``):

- the automated score is a team's private score from the finals (the last
  phase); it is normalised to [0, 1] among the ranked teams, either by rank,
  1 − (rank − 1) / (n − 1) with equal scores sharing the better rank, or by
  min–max, (x − worst) / (best − worst), which respects the metric's direction;
- the judged score is normalised by the rubric's scale,
  (score − lowest) / (highest − lowest);
- blended = automated weight × automated + judges' weight × judged. A challenge
  with only automated (or only judged) scores uses that one alone; a team
  without one of the two scores counts 0 for it;
- ties: an equal blended score ranks the higher judged score first, then the
  earlier best submission, then the earlier registration (lower id).
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from league.errors import Violation

METHOD_VERSION = "blend-1"
RANK = "rank"
MINMAX = "minmax"
MEDALS = ("gold", "silver", "bronze")
# Blended scores closer than this are equal (floating-point noise).
DIGITS = 9


@dataclass(frozen=True)
class Candidate:
    """One verified registration with whatever scores it has."""

    registration_id: int
    team: str
    automated: float | None = None  # the private score, raw, on the metric's scale
    judged: float | None = None  # the judged score, raw, on the rubric's scale
    submitted_at: str | None = None  # ISO time of the best submission (tie rule)
    countries: tuple[str, ...] = ()
    cross_border: bool = False
    individual: bool = False


@dataclass(frozen=True)
class Method:
    automated_weight: float
    judges_weight: float
    normalisation: str = RANK
    higher_is_better: bool = True
    judged_min: float = 0.0
    judged_max: float = 1.0
    gold: int = 1
    silver: int = 1
    bronze: int = 1

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Standing:
    rank: int
    registration_id: int
    team: str
    automated: float | None
    automated_normalised: float | None
    judged: float | None
    judged_normalised: float | None
    blended: float
    medal: str  # "gold", "silver", "bronze" or ""
    submitted_at: str | None
    countries: tuple[str, ...]
    cross_border: bool
    individual: bool

    def as_dict(self) -> dict:
        data = asdict(self)
        data["countries"] = list(self.countries)
        return data


def normalise_rank(values: Mapping[int, float], *, higher_is_better: bool) -> dict[int, float]:
    """1 − (rank − 1) / (n − 1), standard competition ranks ("1, 1, 3");
    a single value gets 1."""
    n = len(values)
    if n == 0:
        return {}
    ordered = sorted(values.values(), reverse=higher_is_better)
    first_rank = {}
    for position, value in enumerate(ordered, start=1):
        first_rank.setdefault(value, position)
    if n == 1:
        return dict.fromkeys(values, 1.0)
    return {key: 1 - (first_rank[value] - 1) / (n - 1) for key, value in values.items()}


def normalise_minmax(values: Mapping[int, float], *, higher_is_better: bool) -> dict[int, float]:
    """(x − worst) / (best − worst): the best gets 1, the worst 0, whichever
    way the metric points; all equal: 1 each."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high == low:
        return dict.fromkeys(values, 1.0)
    if higher_is_better:
        return {key: (value - low) / (high - low) for key, value in values.items()}
    return {key: (high - value) / (high - low) for key, value in values.items()}


def normalise_judged(value: float, *, lowest: float, highest: float) -> float:
    """A judged score on the rubric's scale mapped onto [0, 1]."""
    if highest <= lowest:
        raise ValueError("the rubric's scale is empty")
    return min(1.0, max(0.0, (value - lowest) / (highest - lowest)))


def rubric_scale(criteria: Iterable[tuple[float, int, int]]) -> tuple[float, float]:
    """The lowest and highest weighted total of a rubric, from each
    criterion's (weight, lowest score, highest score)."""
    criteria = list(criteria)
    if not criteria:
        return 0.0, 1.0
    return (
        sum(weight * low for weight, low, _high in criteria),
        sum(weight * high for weight, _low, high in criteria),
    )


def effective_weights(method: Method, *, has_automated: bool, has_judged: bool):
    """The weights used: both as set when both kinds of score exist (and are
    weighted); otherwise the one kind that exists counts alone."""
    use_automated = has_automated and method.automated_weight > 0
    use_judged = has_judged and method.judges_weight > 0
    if use_automated and use_judged:
        return method.automated_weight, method.judges_weight
    if use_automated or (has_automated and not has_judged):
        return 1.0, 0.0
    if use_judged or has_judged:
        return 0.0, 1.0
    return 0.0, 0.0


def blend(candidates: Iterable[Candidate], method: Method) -> list[Standing]:
    """The ranked standings: normalise, blend, order by the tie rule, give medals."""
    candidates = [c for c in candidates if c.automated is not None or c.judged is not None]
    automated = {c.registration_id: c.automated for c in candidates if c.automated is not None}
    normalise = normalise_minmax if method.normalisation == MINMAX else normalise_rank
    automated_n = normalise(automated, higher_is_better=method.higher_is_better)
    judged_n = {
        c.registration_id: normalise_judged(
            c.judged, lowest=method.judged_min, highest=method.judged_max
        )
        for c in candidates
        if c.judged is not None
    }
    w_auto, w_judged = effective_weights(
        method, has_automated=bool(automated), has_judged=bool(judged_n)
    )
    scored = []
    for c in candidates:
        a = automated_n.get(c.registration_id)
        j = judged_n.get(c.registration_id)
        value = w_auto * (a or 0.0) + w_judged * (j or 0.0)
        scored.append((c, a, j, round(value, DIGITS)))
    scored.sort(
        key=lambda row: tie_key(row[3], row[2], row[0].submitted_at, row[0].registration_id)
    )
    medals = medal_list(method)
    return [
        Standing(
            rank=position,
            registration_id=c.registration_id,
            team=c.team,
            automated=c.automated,
            automated_normalised=a,
            judged=c.judged,
            judged_normalised=j,
            blended=value,
            medal=medals[position - 1] if position <= len(medals) else "",
            submitted_at=c.submitted_at,
            countries=tuple(c.countries),
            cross_border=c.cross_border,
            individual=c.individual,
        )
        for position, (c, a, j, value) in enumerate(scored, start=1)
    ]


def tie_key(blended: float, judged: float | None, submitted_at: str | None, registration_id: int):
    """Higher blended first; then higher judged; then the earlier best
    submission (none: last); then the lower registration id."""
    return (
        -blended,
        -(judged if judged is not None else -1.0),
        submitted_at is None,
        submitted_at or "",
        registration_id,
    )


def medal_list(method: Method) -> list[str]:
    """The medal of each position from the top: gold ones, then silver, then bronze."""
    return ["gold"] * method.gold + ["silver"] * method.silver + ["bronze"] * method.bronze


def best_cross_border(rows: Iterable[Mapping]) -> Mapping | None:
    """The track's best cross-border team, from the rows of its challenges'
    published standings: the best rank; then the higher blended score; then
    the lower registration id. None when no cross-border team is ranked."""
    eligible = [row for row in rows if row.get("cross_border")]
    if not eligible:
        return None
    return min(eligible, key=lambda r: (r["rank"], -r["blended"], r["registration_id"]))


def inputs_sha256(payload) -> str:
    """SHA-256 of the canonical JSON of the inputs (sorted keys, no spaces)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def canonical_inputs(
    candidates: Sequence[Candidate], method: Method, talent_awards: Sequence[Mapping]
) -> dict:
    """Everything a version depends on, in a stable order."""
    return {
        "method_version": METHOD_VERSION,
        "method": method.as_dict(),
        "candidates": [
            {**asdict(c), "countries": list(c.countries)}
            for c in sorted(candidates, key=lambda c: c.registration_id)
        ],
        "talent_awards": sorted(talent_awards, key=lambda a: (a["registration_id"], a["person"])),
    }


def method_summary(method: Mapping, *, weights: tuple[float, float], finals_rule: str) -> list[str]:
    """The method of a published version, in words, in the current language."""
    w_auto, w_judged = weights
    lines = []
    if w_auto and w_judged:
        lines.append(
            _(
                "Blended score = %(auto)s%% automated score + %(judged)s%% judges' score, "
                "each normalised to 0–1."
            )
            % {"auto": _percent(w_auto), "judged": _percent(w_judged)}
        )
    elif w_judged:
        lines.append(_("The standings use the judges' score alone, normalised to 0–1."))
    else:
        lines.append(_("The standings use the automated score alone, normalised to 0–1."))
    if w_auto:
        if method["normalisation"] == MINMAX:
            lines.append(
                _(
                    "Automated score: min–max, (score − worst) / (best − worst), so the best "
                    "team gets 1 and the worst 0 (the metric's direction respected)."
                )
            )
        else:
            lines.append(
                _(
                    "Automated score: by rank, 1 − (rank − 1) / (n − 1) among the n ranked "
                    "teams; equal scores share the better rank."
                )
            )
        lines.append(finals_rule)
    if w_judged:
        lines.append(
            _("Judges' score: mapped from the rubric's scale (%(low)s to %(high)s) onto 0–1.")
            % {"low": _number(method["judged_min"]), "high": _number(method["judged_max"])}
        )
    if w_auto and w_judged:
        lines.append(_("A team without one of the two scores counts 0 for it."))
    lines.append(
        _(
            "Ties: an equal blended score ranks the higher judges' score first, then the "
            "earlier best submission, then the earlier registration."
        )
    )
    return lines


def _percent(weight: float) -> str:
    return _number(round(weight * 100, 1))


def _number(value: float) -> str:
    return f"{value:g}"


def publish_violations(*, rows: int, unrevealed: bool) -> list:
    """Why the standings may not be published now (empty: they may)."""
    found = []
    if unrevealed:
        found.append(
            Violation(
                "standings_before_reveal",
                _(
                    "The private scores of the finals are not revealed yet: reveal them "
                    "(Phases → “Reveal private scores now”) before publishing the standings."
                ),
            )
        )
    if rows == 0:
        found.append(
            Violation(
                "standings_empty",
                _("No verified team has a score yet: there are no standings to publish."),
            )
        )
    return found
