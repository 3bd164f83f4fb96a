"""Reads of the challenge page, its data downloads and "My challenges".

They live here, not in league, because they need the viewer's team and
registration (teams) and the submit rules and quotas (submissions)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from league import selectors as league_selectors
from league.errors import Violation
from league.models import (
    Challenge,
    ChallengeFile,
    EvaluationMode,
    FileKind,
    OrganisationType,
    ParticipantType,
    Phase,
)
from submissions import challenge_rules, rules
from submissions.challenge_text import metric_summary
from submissions.models import Submission
from submissions.modes import REGISTRY
from teams import rules as team_rules
from teams import selectors as teams_selectors
from teams.models import ACTIVE_REGISTRATION_STATUSES, Membership, Registration

# Who may download every challenge's data without registering or accepting terms.
SEES_EVERY_DATA_FILE = "league.view_challengefile"
# A sample submission is quoted on the page when it is a CSV of at most this size.
SAMPLE_QUOTE_MAX_BYTES = 1024 * 1024
SAMPLE_QUOTE_LINES = 6


def _registration(*, user, challenge: Challenge) -> Registration | None:
    return teams_selectors.registration_of_user(user=user, challenge_id=challenge.pk)


def data_access(
    *, user, challenge: Challenge, registration: Registration | None = None
) -> list[Violation]:
    """Why ``user`` may not download the challenge's data; empty if they may.
    Registered: a member of a team with an active (not rejected) registration."""
    if registration is None:
        registration = _registration(user=user, challenge=challenge)
    return challenge_rules.data_access_violations(
        authenticated=user.is_authenticated,
        organizer=user.is_authenticated and user.has_perm(SEES_EVERY_DATA_FILE),
        open_to_everyone=challenge.data_open_to_everyone,
        registered=registration is not None and registration.status in ACTIVE_REGISTRATION_STATUSES,
        has_terms=bool(challenge.terms.strip()),
        accepted_terms=league_selectors.terms_accepted_at(user=user, challenge=challenge)
        is not None,
    )


def submit_state(
    *, user, challenge: Challenge, phases: list[Phase], registration: Registration | None
) -> challenge_rules.SubmitState:
    now = timezone.now()
    has_team = registration is not None or (
        user.is_authenticated and Membership.objects.filter(user=user).exists()
    )
    return challenge_rules.submit_state(
        authenticated=user.is_authenticated,
        has_team=has_team,
        registration_status=registration.status if registration else None,
        rejection_reason=registration.rejection_reason if registration else "",
        phase=challenge_rules.current_phase(phases, now),
        now=now,
    )


def submit_state_for(*, user, challenge: Challenge) -> challenge_rules.SubmitState:
    return submit_state(
        user=user,
        challenge=challenge,
        phases=league_selectors.challenge_phases(challenge=challenge),
        registration=_registration(user=user, challenge=challenge),
    )


def track_rules(*, challenge: Challenge) -> dict:
    """The track's team rules as the team checklist words them, plus the
    participant and organisation types it takes."""
    track = challenge.track
    checks = team_rules.team_checklist(
        members=[],
        table=teams_selectors.region_table(),
        track=team_rules.TrackRules.of(track),
    )
    participant = dict(ParticipantType.choices)
    organisation = dict(OrganisationType.choices)
    return {
        "labels": [check.label for check in checks],
        "basis": team_rules.basis_label(track.region_basis),
        "participant_types": [
            participant[v] for v in track.allowed_participant_types or () if v in participant
        ],
        "organisation_types": [
            organisation[v] for v in track.allowed_organisation_types or () if v in organisation
        ],
    }


def sample_lines(*, files: list[ChallengeFile]) -> list[str]:
    """The first lines of the sample submission when it is a small CSV."""
    sample = next(
        (
            f
            for f in files
            if f.kind == FileKind.SAMPLE_SUBMISSION
            and f.download_name.lower().endswith(".csv")
            and f.size <= SAMPLE_QUOTE_MAX_BYTES
        ),
        None,
    )
    if sample is None:
        return []
    try:
        with sample.file.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return []
    lines = head.decode("utf-8", errors="replace").splitlines()
    return lines[:SAMPLE_QUOTE_LINES]


@dataclass
class ChallengePage:
    challenge: Challenge
    phases: list
    current: Phase | None
    files: list
    access: list
    terms_accepted_at: datetime | None
    registration: Registration | None
    submit: challenge_rules.SubmitState
    metric: dict | None
    page_text: object
    sample: list
    rules: dict
    finals_rule: str
    next_reset: datetime | None


def challenge_page(*, user, challenge: Challenge) -> ChallengePage:
    """Everything the challenge page shows, for this viewer."""
    now = timezone.now()
    phases = league_selectors.challenge_phases(challenge=challenge)
    current = challenge_rules.current_phase(phases, now)
    files = league_selectors.challenge_files(challenge=challenge)
    registration = _registration(user=user, challenge=challenge)
    mode = REGISTRY.get(challenge.evaluation_mode)
    return ChallengePage(
        challenge=challenge,
        phases=phases,
        current=current,
        files=files,
        access=data_access(user=user, challenge=challenge, registration=registration),
        terms_accepted_at=league_selectors.terms_accepted_at(user=user, challenge=challenge),
        registration=registration,
        submit=submit_state(
            user=user, challenge=challenge, phases=phases, registration=registration
        ),
        metric=metric_summary(challenge.metric)
        if challenge.evaluation_mode != EvaluationMode.REVIEW
        else None,
        page_text=mode.page_text(challenge, current) if mode else None,
        sample=sample_lines(files=files)
        if challenge.evaluation_mode == EvaluationMode.PREDICTION
        else [],
        rules=track_rules(challenge=challenge),
        finals_rule=rules.finals_rule(max_finals=current.max_final_selections) if current else "",
        next_reset=rules.next_reset(now, current.limit_zone) if current else None,
    )


# ---------------------------------------------------------------- My challenges


@dataclass
class MyChallenge:
    registration: Registration
    phase: Phase | None
    deadline: tuple[str, datetime] | None
    quota: rules.Quota | None
    submit: challenge_rules.SubmitState


def quotas_for(*, pairs: list[tuple[Registration, Phase]], now: datetime | None = None) -> dict:
    """``quota_for`` of many (registration, phase) pairs in one query, keyed
    by (registration id, phase id)."""
    now = now or timezone.now()
    if not pairs:
        return {}
    starts = {phase.pk: rules.day_start(now, phase.limit_zone) for _r, phase in pairs}
    today = Q()
    for phase_id, start in starts.items():
        today |= Q(phase_id=phase_id, created_at__gte=start)
    wanted = Q()
    for registration, phase in pairs:
        wanted |= Q(registration_id=registration.pk, phase_id=phase.pk)
    used = {
        (row["registration_id"], row["phase_id"]): row
        for row in Submission.objects.filter(wanted, counts_against_quota=True)
        .values("registration_id", "phase_id")
        .annotate(total=Count("id"), today=Count("id", filter=today))
        .order_by()
    }
    result = {}
    for registration, phase in pairs:
        row = used.get((registration.pk, phase.pk), {"total": 0, "today": 0})
        result[(registration.pk, phase.pk)] = rules.quota(
            daily_limit=phase.daily_limit,
            total_limit=phase.total_limit,
            limit_zone=phase.limit_zone,
            used_today=row["today"],
            used_total=row["total"],
            closes_at=phase.closes_at,
            now=now,
        )
    return result


def my_challenges(*, user) -> list[MyChallenge]:
    """The viewer's registrations with their current phase, next deadline and
    today's remaining quota: three queries however many there are."""
    now = timezone.now()
    registrations = list(
        Registration.objects.filter(team__memberships__user=user)
        .select_related("team", "challenge__track")
        .prefetch_related(
            Prefetch("challenge__phases", queryset=Phase.objects.order_by("opens_at"))
        )
        .order_by("challenge__title", "team__name")
    )
    current = {
        r.pk: challenge_rules.current_phase(list(r.challenge.phases.all()), now)
        for r in registrations
    }
    quotas = quotas_for(
        pairs=[(r, current[r.pk]) for r in registrations if current[r.pk] is not None], now=now
    )
    rows = []
    for registration in registrations:
        phase = current[registration.pk]
        rows.append(
            MyChallenge(
                registration=registration,
                phase=phase,
                deadline=challenge_rules.next_deadline(phase, now) if phase else None,
                quota=quotas.get((registration.pk, phase.pk)) if phase else None,
                submit=challenge_rules.submit_state(
                    authenticated=True,
                    has_team=True,
                    registration_status=registration.status,
                    rejection_reason=registration.rejection_reason,
                    phase=phase,
                    now=now,
                ),
            )
        )
    return rows
