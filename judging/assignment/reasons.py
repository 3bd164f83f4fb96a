"""Explanations: a stable code, its parameters and an English template, so the
Django layer can translate each code."""

from dataclasses import dataclass
from typing import Any

# Affinities are floats in [0, 1 + noise]; the solver wants integer costs.


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
