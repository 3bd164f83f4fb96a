"""Reads of the submissions app: they own visibility and the queries' shape."""

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from league.errors import NotFound
from league.local_cache import remembered
from league.metrics import higher_is_better
from league.models import Phase
from submissions import package_rules, rules
from submissions.leaderboards import CACHE_SECONDS as BOARD_CACHE_SECONDS  # noqa: F401
from submissions.leaderboards import (  # noqa: F401  (the leaderboard is read from here)
    LEADERBOARD_SIZE,
    BoardFilter,
    Leaderboard,
    LeaderboardRow,
    board_countries,
    board_filter,
    leaderboard,
    score_history,
)
from submissions.models import (
    AnswerKey,
    PackageVersion,
    ReviewPackage,
    Submission,
    SubmissionStatus,
)
from teams.models import Registration


def phase_get(*, phase_id: int) -> Phase:
    try:
        return Phase.objects.select_related("challenge__track").get(pk=phase_id)
    except Phase.DoesNotExist as exc:
        raise NotFound() from exc


def phase_get_cached(*, phase_id: int) -> Phase:
    """``phase_get`` from the per-process cache, for the reads a deadline
    repeats thousands of times a minute (uploads, leaderboards): the same
    phase every time. league/local_cache.py says how soon a change is seen."""
    phase = remembered(
        f"phase:{phase_id}",
        lambda: Phase.objects.select_related("challenge__track").filter(pk=phase_id).first(),
    )
    if phase is None:
        raise NotFound()
    return phase


def phase_has_answer_key(*, phase_id: int) -> bool:
    return remembered(
        f"answer-key:{phase_id}", lambda: AnswerKey.objects.filter(phase_id=phase_id).exists()
    )


def quota_for(*, registration: Registration, phase: Phase, now: datetime | None = None):
    now = now or timezone.now()
    start = rules.day_start(now, phase.limit_zone)
    used = Submission.objects.filter(
        registration=registration, phase=phase, counts_against_quota=True
    ).aggregate(total=Count("id"), today=Count("id", filter=Q(created_at__gte=start)))
    return rules.quota(
        daily_limit=phase.daily_limit,
        total_limit=phase.total_limit,
        limit_zone=phase.limit_zone,
        used_today=used["today"],
        used_total=used["total"],
        closes_at=phase.closes_at,
        now=now,
    )


def team_submissions(*, registration: Registration, phase: Phase):
    return (
        Submission.objects.filter(registration=registration, phase=phase)
        .select_related("phase")
        .order_by("-created_at", "-id")
    )


def submission_get_for_user(*, user, submission_id: int) -> Submission:
    """The submission if the user is a member of its team; else NotFound (never 403,
    so outsiders cannot even learn that it exists)."""
    if not user.is_authenticated:
        raise NotFound()
    try:
        return Submission.objects.select_related("phase__challenge", "registration__team").get(
            pk=submission_id, registration__team__memberships__user=user
        )
    except Submission.DoesNotExist as exc:
        raise NotFound() from exc


def package_get_for_team(*, registration: Registration, phase: Phase) -> ReviewPackage | None:
    return ReviewPackage.objects.filter(registration=registration, phase=phase).first()


def package_versions(*, package: ReviewPackage | None):
    """A package's versions, newest first (none if there is no package yet)."""
    if package is None:
        return PackageVersion.objects.none()
    return package.versions.select_related("package__phase__challenge", "saved_by").order_by(
        "-number"
    )


def package_judged_version(*, package: ReviewPackage | None) -> PackageVersion | None:
    """The version the judges read: the last one saved before the deadline
    (inclusive to the second, as the window rule is)."""
    if package is None:
        return None
    deadline = package.phase.closes_at.replace(microsecond=0) + timedelta(seconds=1)
    return package_versions(package=package).filter(saved_at__lt=deadline).first()


def package_version_get_for_viewer(*, user, version_id: int) -> PackageVersion:
    """The version if ``user`` may see it: a member of its team. NotFound
    otherwise, never 403, so outsiders cannot learn that it exists. Being
    staff grants nothing; judging extends this with the assigned judges."""
    if not user.is_authenticated:
        raise NotFound()
    try:
        return PackageVersion.objects.select_related(
            "package__phase__challenge", "package__registration__team"
        ).get(pk=version_id, package__registration__team__memberships__user=user)
    except PackageVersion.DoesNotExist as exc:
        raise NotFound() from exc


def package_checklist(*, version: PackageVersion) -> package_rules.Checklist:
    """The automated checks of a version, as its team and its judges see them."""
    return package_rules.checklist(
        proposal_pages=version.proposal_pages if version.proposal else None,
        max_pages=version.package.phase.challenge.max_proposal_pages,
        video_url=version.video_url,
        archive_members=version.archive_members if version.archive else None,
        form=version.form_data(),
    )


def submission_counting_for_private(*, registration_id: int, phase: Phase) -> Submission | None:
    """The submission whose private score is the team's (``rules.final_private_score``):
    the best private score among those that count; among equal ones, the
    first in the leaderboard's order. None when none has a private score."""
    higher = higher_is_better(phase.challenge.metric)
    scored = Submission.objects.filter(
        registration_id=registration_id, phase=phase, status=SubmissionStatus.SCORED
    )
    entries = [
        rules.ScoredEntry(**row)
        for row in scored.values("id", "public_score", "private_score", "created_at", "is_final")
    ]
    best = rules.final_private_score(
        entries, higher_is_better=higher, max_finals=phase.max_final_selections
    )
    if best is None:
        return None
    counted = rules.entries_counting_for_private(
        entries, higher_is_better=higher, max_finals=phase.max_final_selections
    )
    chosen = next(e for e in counted if e.private_score == best)
    return scored.get(pk=chosen.id)
