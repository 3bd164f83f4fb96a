"""Pure rules for the league's own configuration. No writes, no requests."""

import zoneinfo
from datetime import datetime
from decimal import Decimal
from functools import cache

from django.utils.translation import gettext_lazy as _

from league.errors import Violation
from league.metrics import METRICS
from league.timefmt import when


@cache
def available_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def track_setting_errors(
    *,
    min_members: int,
    max_members: int,
    allowed_participant_types: list,
    allowed_organisation_types: list,
    allows_individual_entries: bool,
) -> dict:
    errors: dict[str, list] = {}
    if min_members is not None and max_members is not None and max_members < min_members:
        errors.setdefault("max_members", []).append(
            _("The maximum number of members must be at least the minimum.")
        )
    if allows_individual_entries and min_members and min_members > 1:
        errors.setdefault("min_members", []).append(
            _("A track with individual entries must allow teams of one.")
        )
    if not allowed_participant_types:
        errors.setdefault("allowed_participant_types", []).append(
            _("Allow at least one participant type.")
        )
    if not allowed_organisation_types:
        errors.setdefault("allowed_organisation_types", []).append(
            _("Allow at least one organisation type.")
        )
    return errors


def challenge_setting_errors(
    *,
    automated_weight: Decimal | None,
    judges_weight: Decimal | None,
    evaluation_mode: str,
    metric: str,
    allowed_extensions: list,
) -> dict:
    errors: dict[str, list] = {}
    weights = [automated_weight, judges_weight]
    if any(w is not None and not (0 <= w <= 1) for w in weights):
        errors.setdefault("automated_weight", []).append(_("Each weight lies between 0 and 1."))
    elif None not in weights and automated_weight + judges_weight != 1:
        errors.setdefault("judges_weight", []).append(
            _("The weights of the automated and the judges' score must sum to 1.")
        )
    if evaluation_mode in ("prediction", "code") and metric not in METRICS:
        errors.setdefault("metric", []).append(
            _("Choose one of the metrics: %(names)s.") % {"names": ", ".join(METRICS)}
        )
    if evaluation_mode == "review" and automated_weight:
        errors.setdefault("automated_weight", []).append(
            _("A review-only challenge has no automated score; set its weight to 0.")
        )
    if not isinstance(allowed_extensions, list) or any(
        not isinstance(e, str) or not e.startswith(".") for e in allowed_extensions
    ):
        errors.setdefault("allowed_extensions", []).append(
            _('List extensions with their dot, for example [".csv"].')
        )
    return errors


def phase_setting_errors(
    *,
    opens_at: datetime | None,
    closes_at: datetime | None,
    daily_limit: int | None,
    total_limit: int | None,
    siblings: list[tuple[str, datetime, datetime]],
) -> dict:
    """Every problem with a phase's settings; ``siblings`` are the other
    phases of the same challenge as (name, opens_at, closes_at)."""
    errors: dict[str, list] = {}
    if opens_at and closes_at:
        if closes_at <= opens_at:
            errors.setdefault("closes_at", []).append(_("A phase closes after it opens."))
        else:
            for name, other_opens, other_closes in siblings:
                if opens_at < other_closes and other_opens < closes_at:
                    errors.setdefault("opens_at", []).append(
                        _("This phase overlaps the phase “%(name)s” of the same challenge.")
                        % {"name": name}
                    )
    if daily_limit is not None and total_limit is not None and daily_limit > total_limit:
        errors.setdefault("daily_limit", []).append(
            _("The daily limit cannot exceed the total limit.")
        )
    return errors


def phase_is_open(opens_at: datetime, closes_at: datetime, at: datetime) -> bool:
    """Open from ``opens_at`` to ``closes_at``, both inclusive to the second."""
    return opens_at <= at and at.replace(microsecond=0) <= closes_at


def private_reveal_violations(*, closes_at: datetime, now: datetime) -> list[Violation]:
    """Private scores are revealed only after the deadline: before it, teams
    could tune their last submissions on the private split."""
    if now.replace(microsecond=0) <= closes_at:
        return [
            Violation(
                "phase_still_open",
                _(
                    "This phase is open until %(when)s; its private scores can be revealed "
                    "once it has closed."
                )
                % {"when": when(closes_at)},
                {"closes_at": closes_at.isoformat()},
            )
        ]
    return []
