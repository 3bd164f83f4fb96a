"""Pure rules of the challenge page: which phase is current, what the Submit
button says, who may download the data, and HTTP byte ranges. No database,
no request."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from league.errors import Violation
from submissions import rules


def current_phase(phases: list, now: datetime):
    """The open phase, else the next to open, else the last one; None without phases.

    ``phases`` are objects with ``opens_at`` and ``closes_at``, in opening order."""
    if not phases:
        return None
    for phase in phases:
        if phase.opens_at <= now <= phase.closes_at:
            return phase
    upcoming = [p for p in phases if p.opens_at > now]
    return upcoming[0] if upcoming else phases[-1]


@dataclass(frozen=True)
class SubmitState:
    """What the Submit button does: lead to ``phase_id``'s submit page, or
    say what is missing (``code``, ``message``) and where to fix it (``fix``:
    a URL name the page links to)."""

    code: str
    message: str = ""
    fix: str = ""
    phase_id: int | None = None

    @property
    def ready(self) -> bool:
        return self.code == "ready"


def submit_state(
    *,
    authenticated: bool,
    has_team: bool,
    registration_status: str | None,
    rejection_reason: str = "",
    phase,
    now: datetime,
) -> SubmitState:
    """The first thing that keeps the viewer from submitting, in the order
    they would meet it; ``phase`` is ``current_phase`` of the challenge."""
    if not authenticated:
        return SubmitState(
            "sign_in", str(_("Sign in to take part in this challenge.")), "account_login"
        )
    if registration_status is None:
        if not has_team:
            return SubmitState(
                "no_team",
                str(_("Create a team or join one first; then register it for this challenge.")),
                "teams:my-teams",
            )
        return SubmitState(
            "not_registered",
            str(
                _(
                    "Your team is not registered for this challenge: "
                    "its captain registers it on the team page."
                )
            ),
            "teams:my-teams",
        )
    problems = rules.registration_violations(
        registered=True, status=registration_status, rejection_reason=rejection_reason
    )
    if problems:
        return SubmitState(problems[0].code, str(problems[0].message), "teams:my-teams")
    if phase is None:
        return SubmitState("no_phase", str(_("No phase has been announced yet.")))
    window = rules.window_violations(opens_at=phase.opens_at, closes_at=phase.closes_at, now=now)
    if window:
        return SubmitState(window[0].code, str(window[0].message), phase_id=phase.pk)
    return SubmitState("ready", phase_id=phase.pk)


def data_access_violations(
    *,
    authenticated: bool,
    organizer: bool,
    open_to_everyone: bool,
    registered: bool,
    has_terms: bool,
    accepted_terms: bool,
) -> list[Violation]:
    """Why the viewer may not download the challenge's data (empty: they may).
    Organizers may always; others need the data to be open to everyone or a
    registered team, and to have accepted the terms once, if there are any."""
    if organizer:
        return []
    if not authenticated:
        return [Violation("sign_in_required", _("Sign in to download the data."))]
    if not open_to_everyone and not registered:
        return [
            Violation(
                "data_for_registered_teams",
                _(
                    "The data of this challenge is for members of registered teams: "
                    "register your team first."
                ),
            )
        ]
    if has_terms and not accepted_terms:
        return [
            Violation(
                "terms_not_accepted",
                _("Accept the terms of this challenge before downloading its data."),
            )
        ]
    return []


class RangeNotSatisfiable(Exception):
    """A Range header that names no byte of the file (HTTP 416)."""


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte (inclusive) of a single ``bytes=`` range.

    None when the whole file is to be sent: no header, another unit, several
    ranges, or a header this parser does not understand (RFC 9110 lets a
    server ignore Range). RangeNotSatisfiable when the range starts past the
    end of the file or is empty."""
    header = (header or "").strip()
    if not header.lower().startswith("bytes="):
        return None
    spec = header[6:].strip()
    if "," in spec or "-" not in spec:
        return None
    first, _dash, last = (part.strip() for part in spec.partition("-"))
    if not (first.isdigit() or first == "") or not (last.isdigit() or last == ""):
        return None
    if first == "":
        if last == "":
            return None
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable()
        return max(0, size - suffix), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable()
    return start, end


def next_deadline(phase, now: datetime) -> tuple[str, datetime]:
    """The next instant that matters in a phase: ("opens" | "closes" | "closed", instant)."""
    if phase.opens_at > now:
        return "opens", phase.opens_at
    if phase.closes_at >= now:
        return "closes", phase.closes_at
    return "closed", phase.closes_at
