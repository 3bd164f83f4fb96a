"""Reads of the submissions app: they own visibility and the queries' shape."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import BooleanField, Case, Count, F, Q, Subquery, Value, When, Window
from django.db.models.functions import Rank, RowNumber
from django.utils import timezone

from league.errors import NotFound
from league.metrics import higher_is_better
from league.models import LeaderboardVisibility, Phase
from submissions import package_rules, rules
from submissions.models import (
    PackageVersion,
    ReviewPackage,
    Submission,
    SubmissionStatus,
    TeamBest,
)
from teams.models import Registration

LEADERBOARD_SIZE = 50


def phase_get(*, phase_id: int) -> Phase:
    try:
        return Phase.objects.select_related("challenge").get(pk=phase_id)
    except Phase.DoesNotExist as exc:
        raise NotFound() from exc


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


@dataclass
class LeaderboardRow:
    rank: int
    registration_id: int
    team: str
    countries: list[str]
    score: float
    private_score: float | None
    entries: int
    last_submitted_at: datetime | None
    best_submitted_at: datetime | None
    is_own: bool


@dataclass
class Leaderboard:
    phase: Phase
    rows: list[LeaderboardRow]
    own_row: LeaderboardRow | None  # set when the viewer's team is outside the rows
    shows_private: bool
    visible: bool
    higher_is_better: bool
    # How a team's private score is chosen; stated once private scores show.
    finals_rule: str | None = None


def ranked_team_bests(*, phase: Phase, split: str = "public"):
    """The phase's TeamBest rows with a score on ``split``, in leaderboard order,
    annotated with ``rank`` and ``position``: the one ranking of the page, the
    API and the exports.

    Standard competition ranking ("1, 1, 3") by the split's score in the
    metric's direction; among equal scores the earlier best submission comes
    first, then the older row.
    """
    field = "best_private_score" if split == "private" else "best_public_score"
    score = F(field)
    order = score.desc() if higher_is_better(phase.challenge.metric) else score.asc()
    return (
        TeamBest.objects.filter(phase=phase, **{f"{field}__isnull": False})
        .annotate(
            rank=Window(Rank(), order_by=order),
            position=Window(RowNumber(), order_by=[order, F("best_submitted_at").asc(), "id"]),
        )
        .order_by(order, "best_submitted_at", "id")
    )


def leaderboard(*, phase: Phase, user, size: int = LEADERBOARD_SIZE) -> Leaderboard:
    """Top ``size`` teams and the viewer's own row, from TeamBest only.

    Standard competition ranking ("1, 1, 3"); among equal scores the earlier
    submission comes first. Three queries whatever the number of teams: the
    ranked rows, and the members' countries.
    """
    higher = higher_is_better(phase.challenge.metric)
    visibility = phase.leaderboard_visibility
    revealed = phase.private_scores_visible
    board_visible = revealed or visibility == LeaderboardVisibility.PUBLIC
    own_only = not board_visible and visibility == LeaderboardVisibility.TEAMS_ONLY
    if not board_visible and not own_only:
        return Leaderboard(phase, [], None, False, False, higher)

    own_ids = Subquery(
        Registration.objects.filter(
            challenge_id=phase.challenge_id, team__memberships__user_id=user.pk or 0
        )
        .order_by()
        .values("id")
    )
    # Ranked over the narrow TeamBest rows alone; names and countries are
    # fetched for the few rows shown.
    ranked = (
        ranked_team_bests(phase=phase)
        .only(
            "registration_id",
            "best_public_score",
            "best_private_score",
            "best_submitted_at",
            "scored_count",
            "last_submitted_at",
        )
        .annotate(
            is_own=Case(
                When(registration_id__in=own_ids, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
    if own_only:
        bests = list(ranked.filter(is_own=True))
    else:
        bests = list(ranked.filter(Q(position__lte=size) | Q(is_own=True)))
    teams = _teams(registration_ids=[b.registration_id for b in bests])
    rows, own_row = [], None
    for best in bests:
        name, countries = teams.get(best.registration_id, ("", []))
        row = LeaderboardRow(
            rank=best.rank,
            registration_id=best.registration_id,
            team=name,
            countries=countries,
            score=best.best_public_score,
            private_score=best.best_private_score if revealed else None,
            entries=best.scored_count,
            last_submitted_at=best.last_submitted_at,
            best_submitted_at=best.best_submitted_at,
            is_own=best.is_own,
        )
        if best.position > size and not own_only:
            own_row = row
        else:
            rows.append(row)
    finals_rule = rules.finals_rule(max_finals=phase.max_final_selections) if revealed else None
    return Leaderboard(phase, rows, own_row, revealed, True, higher, finals_rule)


def _teams(*, registration_ids: list[int]) -> dict[int, tuple[str, list[str]]]:
    """Team name and members' nationalities per registration, in one query."""
    names: dict[int, str] = {}
    countries: dict[int, set[str]] = {}
    found = (
        Registration.objects.filter(pk__in=registration_ids)
        .order_by()
        .values_list("id", "team__name", "team__memberships__user__profile__nationality")
        .distinct()
    )
    for registration_id, name, country in found:
        names[registration_id] = name
        if country:
            countries.setdefault(registration_id, set()).add(str(country))
    return {rid: (name, sorted(countries.get(rid, ()))) for rid, name in names.items()}


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
