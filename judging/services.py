"""Writes of judging: rubrics, entries, manual assignments, reviews and
their changes, declared conflicts and overrides.

Lock contract: a review is written with its assignment row locked (one
writer per review); an assignment is added or removed with its entry row
locked, so two organizers cannot race on one entry's panel."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from judging import automation, rules, selectors
from judging.models import (
    Assignment,
    Conflict,
    ConflictSource,
    Criterion,
    CriterionLevel,
    CriterionScore,
    Entry,
    FinalistWriteup,
    Judge,
    Review,
    ReviewChange,
    ReviewStatus,
)
from league.errors import RuleViolation, Violation, raise_if_any
from league.metrics import higher_is_better
from league.models import Challenge, EvaluationMode
from submissions import selectors as submissions_selectors
from submissions.models import ReviewPackage, TeamBest
from submissions.pdfs import inspect_pdf
from submissions.storage import private_storage, store_streaming
from teams.models import Registration, RegistrationStatus


@dataclass
class CriterionSpec:
    name: str
    weight: Decimal
    description: str = ""
    scale_min: int = 1
    scale_max: int = 5
    levels: dict[int, str] = field(default_factory=dict)


@transaction.atomic
def rubric_set(*, track=None, challenge=None, criteria: list[CriterionSpec]) -> list[Criterion]:
    """Replace the rubric of a track or of a challenge (exactly one) as a
    whole; refused once a judge has scored against it."""
    if (track is None) == (challenge is None):
        raise ValueError("a rubric belongs to a track or to a challenge")
    owner = {"track": track} if track is not None else {"challenge": challenge}
    raise_if_any(rules.rubric_weight_violations(weights=[c.weight for c in criteria]))
    for spec in criteria:
        raise_if_any(
            rules.level_violations(
                scale_min=spec.scale_min, scale_max=spec.scale_max, scores=spec.levels
            )
        )
    existing = Criterion.objects.select_for_update().filter(**owner)
    if CriterionScore.objects.filter(criterion__in=existing).exists():
        raise RuleViolation(
            [
                Violation(
                    "rubric_in_use",
                    _("Judges have scored against this rubric; it can no longer be replaced."),
                )
            ]
        )
    existing.delete()
    created = []
    for order, spec in enumerate(criteria):
        criterion = Criterion(
            **owner,
            name=spec.name,
            description=spec.description,
            weight=spec.weight,
            scale_min=spec.scale_min,
            scale_max=spec.scale_max,
            order=order,
        )
        criterion.full_clean()
        criterion.save()
        CriterionLevel.objects.bulk_create(
            CriterionLevel(criterion=criterion, score=score, description=text)
            for score, text in sorted(spec.levels.items())
        )
        created.append(criterion)
    return created


def _new_code(challenge) -> str:
    return rules.entry_code(track_kind=challenge.track.kind)


def _entry_create(*, challenge, phase, registration, **materials) -> bool:
    """One entry under a fresh code (retried on the rare clash of codes);
    False when the registration already has its entry of the phase."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                Entry.objects.create(
                    challenge=challenge,
                    phase=phase,
                    registration=registration,
                    code=_new_code(challenge),
                    **materials,
                )
            return True
        except IntegrityError:
            if Entry.objects.filter(registration=registration, phase=phase).exists():
                return False
    return False


@transaction.atomic
def entries_sync(*, challenge, now: datetime | None = None) -> int:
    """Create the entries judges judge: in a review challenge, one for each
    verified registration whose package's judged version is ready; in another
    challenge with finalists set, one for each finalist (``finalists_sync``).
    Existing entries stay as they are (their code never changes). Returns how
    many were created."""
    if challenge.evaluation_mode != EvaluationMode.REVIEW:
        if selectors.challenge_judging(challenge).finalists < 1:
            return 0
        return finalists_sync(challenge=challenge, now=now)
    packages = (
        ReviewPackage.objects.filter(
            phase__challenge=challenge, registration__status=RegistrationStatus.VERIFIED
        )
        .exclude(
            Exists(
                Entry.objects.filter(registration=OuterRef("registration"), phase=OuterRef("phase"))
            )
        )
        .select_related("phase__challenge__track", "registration")
    )
    created = 0
    for package in packages:
        version = submissions_selectors.package_judged_version(package=package)
        if version is None or not submissions_selectors.package_checklist(version=version).ready:
            continue
        created += _entry_create(
            challenge=challenge,
            phase=package.phase,
            registration=package.registration,
            package=package,
        )
    return created


@transaction.atomic
def finalists_sync(*, challenge, now: datetime | None = None) -> int:
    """Create an entry for each finalist of a challenge scored automatically:
    the top N (``ChallengeJudging.finalists``) verified registrations of the
    last phase's private leaderboard, each with the submission that counts
    for its private score. Refused before that phase has closed and its
    private scores are revealed. Returns how many entries were created."""
    now = now or timezone.now()
    Challenge.objects.select_for_update().filter(pk=challenge.pk).first()
    settings = selectors.challenge_judging(challenge)
    phase = challenge.phases.order_by("-closes_at").first()
    raise_if_any(
        rules.finalists_sync_violations(
            finalists=settings.finalists,
            has_phase=phase is not None,
            closed=phase is not None and phase.closes_at <= now,
            revealed=phase is not None
            and phase.private_revealed_at is not None
            and phase.private_revealed_at <= now,
        )
    )
    higher = higher_is_better(challenge.metric)
    standings = TeamBest.objects.filter(
        phase=phase, registration__status=RegistrationStatus.VERIFIED
    ).values_list("registration_id", "best_private_score", "best_submitted_at")
    picked = rules.finalists_pick(standings, count=settings.finalists, higher_is_better=higher)
    registrations = Registration.objects.in_bulk(picked)
    created = 0
    for registration_id in picked:
        if Entry.objects.filter(registration_id=registration_id, phase=phase).exists():
            continue
        submission = submissions_selectors.submission_counting_for_private(
            registration_id=registration_id, phase=phase
        )
        created += _entry_create(
            challenge=challenge,
            phase=phase,
            registration=registrations[registration_id],
            submission=submission,
        )
    return created


@transaction.atomic
def assignment_add(*, entry: Entry, judge: Judge, by) -> Assignment:
    """Assign a judge by hand, checked against the same conflicts as the
    automatic assignment; refused with every reason."""
    entry = Entry.objects.select_for_update().select_related("registration").get(pk=entry.pk)
    # Conflicts the rules find but no run has recorded yet count too.
    automation.conflicts_detect(challenge=entry.challenge, judges=[judge])
    raise_if_any(
        rules.assignment_violations(
            judge_name=judge.display_name,
            judge_active=judge.active,
            already_assigned=Assignment.objects.filter(entry=entry, judge=judge).exists(),
            conflicts=selectors.active_conflict_reasons(
                judge=judge, team_id=entry.registration.team_id
            ),
        )
    )
    return Assignment.objects.create(entry=entry, judge=judge, created_by=by)


@transaction.atomic
def assignment_remove(*, assignment: Assignment) -> None:
    """Release an assignment (a draft review goes with it); a submitted
    review is kept, so its assignment stays."""
    Entry.objects.select_for_update().filter(pk=assignment.entry_id).first()
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise RuleViolation(
            [
                Violation(
                    "review_already_submitted",
                    _("The judge already submitted a review of this entry; it is kept."),
                )
            ]
        )
    assignment.delete()


def _snapshot(review: Review, scores: Mapping[int, int]) -> dict:
    return {
        "scores": {str(k): v for k, v in sorted(scores.items())},
        "comment_to_team": review.comment_to_team,
        "note_to_organizers": review.note_to_organizers,
    }


@transaction.atomic
def review_save(
    *,
    judge: Judge,
    entry_id: int,
    scores: Mapping[int, int],
    comment_to_team: str = "",
    note_to_organizers: str = "",
    submit: bool = False,
    reason: str = "",
    now: datetime | None = None,
) -> Review:
    """Save a judge's review of an entry: a draft (scores may be missing),
    a submission (every criterion scored), or a change of a submitted review
    (kept in its history; after the edit window it needs a reason)."""
    now = now or timezone.now()
    assignment = selectors.assignment_get_for_judge(judge=judge, entry_id=entry_id)
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    review, _created = Review.objects.get_or_create(assignment=assignment)
    criteria = selectors.rubric(challenge=assignment.entry.challenge)
    scores = {int(k): int(v) for k, v in scores.items()}
    raise_if_any(
        rules.score_violations(
            scales={c.pk: (c.name, c.scale_min, c.scale_max) for c in criteria}, scores=scores
        )
    )
    submitted = review.status == ReviewStatus.SUBMITTED
    if submit or submitted:
        raise_if_any(
            rules.submit_violations(
                missing=[c.name for c in criteria if c.pk not in scores],
                has_rubric=bool(criteria),
            )
        )
    old = _snapshot(review, selectors.scores_of(review))
    review.comment_to_team = comment_to_team
    review.note_to_organizers = note_to_organizers
    new = _snapshot(review, scores)
    if submitted:
        if old == new:
            return review
        settings = selectors.challenge_judging(assignment.entry.challenge)
        raise_if_any(
            rules.change_violations(
                submitted_at=review.submitted_at,
                hours=settings.edit_window_hours,
                now=now,
                reason=reason,
            )
        )
        ReviewChange.objects.create(
            review=review,
            changed_by=judge.user,
            changed_at=now,
            reason=reason.strip(),
            old_values=old,
            new_values=new,
        )
    elif submit:
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = now
    review.full_clean()
    review.save()
    review.scores.exclude(criterion_id__in=scores).delete()
    for criterion_id, score in scores.items():
        CriterionScore.objects.update_or_create(
            review=review, criterion_id=criterion_id, defaults={"score": score}
        )
    return review


@transaction.atomic
def conflict_declare(*, judge: Judge, entry_id: int, reason: str) -> Conflict:
    """A judge declares a conflict with an entry's team: the entry leaves
    their queue and its assignment is released for the organizers to fill."""
    assignment = selectors.assignment_get_for_judge(judge=judge, entry_id=entry_id)
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    review = selectors.review_of(assignment)
    raise_if_any(
        rules.declare_conflict_violations(
            reason=reason,
            submitted=review is not None and review.status == ReviewStatus.SUBMITTED,
        )
    )
    team_id = assignment.entry.registration.team_id
    conflict = Conflict.objects.filter(
        judge=judge, team_id=team_id, source=ConflictSource.DECLARED, overridden_at__isnull=True
    ).first() or Conflict(judge=judge, team_id=team_id, source=ConflictSource.DECLARED)
    conflict.reason = reason.strip()
    conflict.created_by = judge.user
    conflict.save()
    assignment.delete()
    return conflict


@transaction.atomic
def conflict_override(*, conflict: Conflict, by, reason: str, now: datetime | None = None):
    """An organizer lifts a conflict; who, when and why stay on the record."""
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    raise_if_any(rules.override_violations(reason=reason, already_overridden=not conflict.active))
    conflict.overridden_by = by
    conflict.overridden_at = now or timezone.now()
    conflict.override_reason = reason.strip()
    conflict.save()
    return conflict


def writeup_upload(*, user, entry_id: int, upload) -> FinalistWriteup:
    """A member of a finalist team uploads its write-up (a real PDF within
    the challenge's file size); a new upload replaces the previous one.
    Anyone else, or an entry that is not a finalist's, gets NotFound."""
    entry = selectors.finalist_entry_get_for_member(user=user, entry_id=entry_id)
    violations = rules.writeup_size_violations(
        size=upload.size, limit=entry.challenge.max_file_size_bytes
    )
    pages = None
    if not violations:
        facts = inspect_pdf(upload, size=upload.size)
        violations, pages = facts.violations, facts.pages
    raise_if_any(violations)
    name, sha256, size = store_streaming(
        storage=private_storage(),
        name=f"writeups/entry-{entry.pk}/{uuid.uuid4().hex}.pdf",
        fileobj=upload,
        size=upload.size,
    )
    try:
        return _writeup_save(
            entry=entry, user=user, name=name, sha256=sha256, size=size, pages=pages
        )
    except BaseException:
        private_storage().delete(name)
        raise


@transaction.atomic
def _writeup_save(*, entry, user, name, sha256, size, pages) -> FinalistWriteup:
    """Lock contract: the entry row is locked, so two members' uploads replace
    one another in turn; the replaced file is deleted after the commit."""
    Entry.objects.select_for_update().filter(pk=entry.pk).first()
    writeup = FinalistWriteup.objects.filter(entry=entry).first()
    old = writeup.file.name if writeup else None
    writeup = writeup or FinalistWriteup(entry=entry)
    writeup.file = name
    writeup.size, writeup.sha256 = size, sha256
    writeup.pages = pages
    writeup.uploaded_by = user
    writeup.uploaded_at = timezone.now()
    writeup.save()
    if old:
        transaction.on_commit(lambda: private_storage().delete(old))
    return writeup
