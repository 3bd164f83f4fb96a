"""Reads of judging, each owning its visibility.

A judge sees an entry if and only if they are assigned to it and have no
conflict (not overridden) with its team; otherwise the entry does not exist
for them (NotFound, never Forbidden, which would tell them it exists)."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch

from judging import rules
from judging.models import (
    Assignment,
    ChallengeJudging,
    Conflict,
    Criterion,
    CriterionLevel,
    Entry,
    FinalistWriteup,
    Judge,
    Review,
    ReviewStatus,
)
from league.accounts import JUDGES
from league.errors import NotFound
from submissions import selectors as submissions_selectors
from teams import selectors as teams_selectors


def judge_for_user(user) -> Judge | None:
    """The user's active Judge row, if they are in the Judges group."""
    if not user.is_authenticated or not user.is_active:
        return None
    judge = Judge.objects.filter(user=user, active=True).first()
    if judge is None or not user.groups.filter(name=JUDGES).exists():
        return None
    return judge


def _active_conflicts(judge_ref, team_ref):
    return Conflict.objects.filter(judge=judge_ref, team=team_ref, overridden_at__isnull=True)


def visible_assignments(*, judge: Judge):
    """The judge's assignments whose entry they may see."""
    return (
        Assignment.objects.filter(judge=judge)
        .annotate(
            conflicted=Exists(
                _active_conflicts(OuterRef("judge"), OuterRef("entry__registration__team"))
            )
        )
        .filter(conflicted=False)
        .select_related(
            "entry__challenge__judging",
            "entry__challenge__track",
            "entry__phase",
            "entry__submission__phase",
        )
    )


def assignment_get_for_judge(*, judge: Judge | None, entry_id: int) -> Assignment:
    if judge is None:
        raise NotFound()
    assignment = visible_assignments(judge=judge).filter(entry_id=entry_id).first()
    if assignment is None:
        raise NotFound()
    return assignment


def challenge_judging(challenge) -> ChallengeJudging:
    """The challenge's judging settings (the defaults if none were saved)."""
    try:
        return challenge.judging
    except ChallengeJudging.DoesNotExist:
        return ChallengeJudging(challenge=challenge)


def rubric(*, challenge) -> list[Criterion]:
    """The challenge's own criteria, or else its track's, with their levels."""
    levels = Prefetch("levels", queryset=CriterionLevel.objects.order_by("score"))
    own = list(Criterion.objects.filter(challenge=challenge).prefetch_related(levels))
    if own:
        return own
    return list(Criterion.objects.filter(track_id=challenge.track_id).prefetch_related(levels))


def review_of(assignment: Assignment) -> Review | None:
    try:
        return assignment.review
    except Review.DoesNotExist:
        return None


def scores_of(review: Review | None) -> dict[int, int]:
    if review is None:
        return {}
    return {s.criterion_id: s.score for s in review.scores.all()}


@dataclass(frozen=True)
class QueueRow:
    assignment: Assignment
    entry: Entry
    status: str  # "todo" | "draft" | "submitted"
    due_at: datetime | None


@dataclass(frozen=True)
class Queue:
    rows: list[QueueRow]

    @property
    def done(self) -> int:
        return sum(row.status == ReviewStatus.SUBMITTED for row in self.rows)

    @property
    def remaining(self) -> int:
        return len(self.rows) - self.done

    @property
    def next_due(self) -> datetime | None:
        open_dues = [r.due_at for r in self.rows if r.due_at and r.status != "submitted"]
        return min(open_dues, default=None)


def judge_queue(*, judge: Judge) -> Queue:
    assignments = (
        visible_assignments(judge=judge)
        .select_related("review")
        .order_by("entry__challenge__judging__due_at", "entry__code")
    )
    rows = []
    for assignment in assignments:
        review = review_of(assignment)
        rows.append(
            QueueRow(
                assignment=assignment,
                entry=assignment.entry,
                status=review.status if review else "todo",
                due_at=challenge_judging(assignment.entry.challenge).due_at,
            )
        )
    return Queue(rows)


@dataclass(frozen=True)
class Materials:
    version: object | None  # the judged PackageVersion
    checklist: object | None
    form: dict


def entry_materials(*, entry: Entry, blind: bool) -> Materials:
    """What a judge reads of an entry: the judged version of its package and
    its automated checks. Blind: the team's roles (often names) are left out."""
    if entry.package_id is None:
        return Materials(None, None, {})
    version = submissions_selectors.package_judged_version(package=entry.package)
    if version is None:
        return Materials(None, None, {})
    form = version.form_data()
    if blind:
        form.pop("team_roles", None)
    return Materials(version, submissions_selectors.package_checklist(version=version), form)


def judged_version_of(entry: Entry):
    if entry.package_id is None:
        return None
    return submissions_selectors.package_judged_version(package=entry.package)


@dataclass(frozen=True)
class OtherReview:
    label: str
    scores: dict[int, int]
    total: Decimal | None


def other_reviews(*, assignment: Assignment, criteria: list[Criterion]) -> list[OtherReview] | None:
    """The other judges' submitted scores of the entry, under neutral labels;
    None while the judge may not see them (before their own submission, or
    never where the challenge says so)."""
    settings = challenge_judging(assignment.entry.challenge)
    own = review_of(assignment)
    if (
        not settings.others_visible_after_submit
        or own is None
        or (own.status != ReviewStatus.SUBMITTED)
    ):
        return None
    weights = {c.pk: c.weight for c in criteria}
    others = (
        Review.objects.filter(assignment__entry=assignment.entry, status=ReviewStatus.SUBMITTED)
        .exclude(assignment=assignment)
        .order_by("submitted_at", "pk")
        .prefetch_related("scores")
    )
    shown = []
    for number, review in enumerate(others, start=1):
        scores = scores_of(review)
        shown.append(
            OtherReview(
                label=str(number),
                scores=scores,
                total=rules.weighted_total(scores=scores, weights=weights),
            )
        )
    return shown


def review_changes(review: Review | None):
    if review is None:
        return []
    return list(review.changes.select_related("changed_by").order_by("-changed_at", "-pk"))


def active_conflict_reasons(*, judge: Judge, team_id: int) -> list[str]:
    return [
        f"{c.get_source_display()}{': ' + c.reason if c.reason else ''}"
        for c in _active_conflicts(judge, team_id)
    ]


def entries_of_challenge(*, challenge):
    return Entry.objects.filter(challenge=challenge)


@dataclass(frozen=True)
class AutomatedScore:
    public: float | None
    private: float | None  # None until the phase's private scores are revealed


def automated_score(entry: Entry) -> AutomatedScore | None:
    """The automated score of a finalist entry's final submission, if it has one."""
    submission = entry.submission
    if submission is None or submission.public_score is None:
        return None
    revealed = submission.phase.private_scores_visible
    return AutomatedScore(submission.public_score, submission.private_score if revealed else None)


def finalist_entry_get_for_member(*, user, entry_id: int) -> Entry:
    """A finalist entry (one with a final submission) of a team the user is
    a member of; NotFound for anyone else, so an entry never reveals itself."""
    entry = (
        Entry.objects.filter(pk=entry_id, submission__isnull=False)
        .select_related("challenge", "registration__team", "submission")
        .first()
    )
    if entry is None or not teams_selectors.is_member(
        user=user, team_id=entry.registration.team_id
    ):
        raise NotFound
    return entry


def finalist_entries_for_member(*, user, team_id: int, registration_id: int | None = None):
    """The finalist entries (with a final submission) of a team, for one of
    its members only (nobody else gets any); optionally of one registration.
    One query: membership is part of the filter."""
    if not user.is_authenticated:
        return []
    entries = Entry.objects.filter(
        registration__team_id=team_id,
        registration__team__memberships__user=user,
        submission__isnull=False,
    )
    if registration_id is not None:
        entries = entries.filter(registration_id=registration_id)
    return list(entries.select_related("challenge").order_by("challenge__title", "pk"))


def writeup_of(entry: Entry):
    return FinalistWriteup.objects.filter(entry=entry).first()
