from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from judging import selectors, services
from judging.models import Assignment, Conflict, ConflictSource, Entry, ReviewStatus
from judging.services import CriterionSpec
from league.errors import NotFound, RuleViolation
from tests.factories import (
    ChallengeFactory,
    JudgeFactory,
    PackageVersionFactory,
    PhaseFactory,
    RegistrationFactory,
    UserFactory,
)


def _scores(criteria, *values):
    return {c.pk: v for c, v in zip(criteria, values, strict=True)}


def test_a_draft_may_be_partial_but_a_submission_needs_every_criterion(blind_entry):
    judge, entry, criteria = blind_entry["judge"], blind_entry["entry"], blind_entry["criteria"]
    draft = services.review_save(judge=judge, entry_id=entry.pk, scores=_scores(criteria[:1], 4))
    assert draft.status == ReviewStatus.DRAFT

    with pytest.raises(RuleViolation) as refused:
        services.review_save(
            judge=judge, entry_id=entry.pk, scores=_scores(criteria[:1], 4), submit=True
        )
    assert refused.value.code == "review_incomplete"
    assert "C2" in refused.value.message

    review = services.review_save(
        judge=judge, entry_id=entry.pk, scores=_scores(criteria, 4, 2), submit=True
    )
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    assert review.changes.count() == 0  # the first submission is not a change


def test_every_change_after_submitting_is_kept_and_needs_a_reason_after_the_window(blind_entry):
    judge, entry, criteria = blind_entry["judge"], blind_entry["entry"], blind_entry["criteria"]
    submitted_at = timezone.now() - timedelta(hours=100)
    services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores=_scores(criteria, 4, 2),
        submit=True,
        now=submitted_at,
    )
    services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores=_scores(criteria, 5, 2),
        now=submitted_at + timedelta(hours=1),
    )
    with pytest.raises(RuleViolation) as refused:
        services.review_save(judge=judge, entry_id=entry.pk, scores=_scores(criteria, 5, 3))
    assert refused.value.code == "change_reason_required"

    review = services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores=_scores(criteria, 5, 3),
        comment_to_team="Now with the pilot data.",
        reason="Read the appendix",
    )
    changes = list(review.changes.order_by("changed_at"))
    assert [c.reason for c in changes] == ["", "Read the appendix"]
    assert changes[0].old_values["scores"][str(criteria[0].pk)] == 4
    assert changes[0].new_values["scores"][str(criteria[0].pk)] == 5
    assert changes[1].new_values["comment_to_team"] == "Now with the pilot data."
    assert changes[1].changed_by == judge.user
    assert review.status == ReviewStatus.SUBMITTED
    assert review.submitted_at == submitted_at  # the window runs from the first submission


def test_saving_the_same_values_again_records_no_change(blind_entry):
    judge, entry, criteria = blind_entry["judge"], blind_entry["entry"], blind_entry["criteria"]
    services.review_save(
        judge=judge, entry_id=entry.pk, scores=_scores(criteria, 3, 3), submit=True
    )
    review = services.review_save(judge=judge, entry_id=entry.pk, scores=_scores(criteria, 3, 3))
    assert review.changes.count() == 0


def test_a_score_off_the_scale_is_refused(blind_entry):
    judge, entry, criteria = blind_entry["judge"], blind_entry["entry"], blind_entry["criteria"]
    with pytest.raises(RuleViolation) as refused:
        services.review_save(judge=judge, entry_id=entry.pk, scores=_scores(criteria, 9, 3))
    assert refused.value.code == "score_out_of_scale"


def test_an_unassigned_judge_cannot_review(blind_entry, unassigned_judge):
    with pytest.raises(NotFound):
        services.review_save(judge=unassigned_judge, entry_id=blind_entry["entry"].pk, scores={})


def test_others_scores_appear_only_after_the_judge_submitted(blind_entry):
    entry, criteria = blind_entry["entry"], blind_entry["criteria"]
    judge, other = blind_entry["judge"], blind_entry["other_judge"]
    services.review_save(
        judge=other, entry_id=entry.pk, scores=_scores(criteria, 5, 5), submit=True
    )
    assignment = selectors.assignment_get_for_judge(judge=judge, entry_id=entry.pk)
    assert selectors.other_reviews(assignment=assignment, criteria=criteria) is None

    services.review_save(
        judge=judge, entry_id=entry.pk, scores=_scores(criteria, 2, 2), submit=True
    )
    assignment = selectors.assignment_get_for_judge(judge=judge, entry_id=entry.pk)
    shown = selectors.other_reviews(assignment=assignment, criteria=criteria)
    assert [o.total for o in shown] == [Decimal("5")]


def test_declaring_a_conflict_releases_the_assignment_and_hides_the_entry(blind_entry):
    judge, entry = blind_entry["judge"], blind_entry["entry"]
    conflict = services.conflict_declare(
        judge=judge, entry_id=entry.pk, reason="I mentored this team last year"
    )
    assert conflict.source == ConflictSource.DECLARED and conflict.created_by == judge.user
    assert not Assignment.objects.filter(judge=judge, entry=entry).exists()
    assert selectors.judge_queue(judge=judge).rows == []
    with pytest.raises(NotFound):
        selectors.assignment_get_for_judge(judge=judge, entry_id=entry.pk)


def test_manual_assignment_is_refused_with_the_conflict_then_allowed_after_an_override(
    blind_entry,
):
    entry, team = blind_entry["entry"], blind_entry["team"]
    judge = JudgeFactory()
    organizer = UserFactory()
    conflict = Conflict.objects.create(
        judge=judge, team=team, source=ConflictSource.ORGANISATION, reason="Both at one lab"
    )
    with pytest.raises(RuleViolation) as refused:
        services.assignment_add(entry=entry, judge=judge, by=organizer)
    assert refused.value.code == "judge_conflicted"
    assert "Both at one lab" in refused.value.message

    with pytest.raises(RuleViolation):
        services.conflict_override(conflict=conflict, by=organizer, reason=" ")
    services.conflict_override(conflict=conflict, by=organizer, reason="Left the lab in 2019")
    conflict.refresh_from_db()
    assert (conflict.overridden_by, conflict.override_reason) == (organizer, "Left the lab in 2019")
    assignment = services.assignment_add(entry=entry, judge=judge, by=organizer)
    assert assignment.created_by == organizer


def test_an_assignment_with_a_submitted_review_is_kept(blind_entry):
    judge, entry, criteria = blind_entry["judge"], blind_entry["entry"], blind_entry["criteria"]
    services.review_save(
        judge=judge, entry_id=entry.pk, scores=_scores(criteria, 3, 3), submit=True
    )
    assignment = Assignment.objects.get(judge=judge, entry=entry)
    with pytest.raises(RuleViolation) as refused:
        services.assignment_remove(assignment=assignment)
    assert refused.value.code == "review_already_submitted"
    other = Assignment.objects.get(judge=blind_entry["other_judge"], entry=entry)
    services.assignment_remove(assignment=other)
    assert not Assignment.objects.filter(pk=other.pk).exists()


def test_entries_come_from_verified_packages_ready_for_judging(db):
    challenge = ChallengeFactory(evaluation_mode="review", track__kind="industrial_innovation")
    phase = PhaseFactory(challenge=challenge)
    ready = RegistrationFactory(challenge=challenge)
    PackageVersionFactory(
        package__registration=ready,
        package__phase=phase,
        scenario="s",
        industry="i",
        target_countries=["TH"],
        deployment_stage="pilot",
        expected_impact="e",
        team_roles="r",
    )
    incomplete = RegistrationFactory(challenge=challenge)
    PackageVersionFactory(package__registration=incomplete, package__phase=phase)
    pending = RegistrationFactory(challenge=challenge, status="pending")
    PackageVersionFactory(
        package__registration=pending,
        package__phase=phase,
        scenario="s",
        industry="i",
        target_countries=["TH"],
        deployment_stage="pilot",
        expected_impact="e",
        team_roles="r",
    )

    assert services.entries_sync(challenge=challenge) == 1
    assert services.entries_sync(challenge=challenge) == 0
    entry = Entry.objects.get()
    assert entry.registration == ready and entry.code.startswith("II-")


def test_a_rubric_whose_weights_do_not_sum_to_one_is_refused(db):
    challenge = ChallengeFactory()
    with pytest.raises(RuleViolation) as refused:
        services.rubric_set(
            challenge=challenge,
            criteria=[CriterionSpec("A", Decimal("0.5")), CriterionSpec("B", Decimal("0.4"))],
        )
    assert refused.value.code == "rubric_weights_sum"


@pytest.mark.postgres
def test_the_database_refuses_weights_that_do_not_sum_to_one(db):
    challenge = ChallengeFactory()
    criteria = services.rubric_set(
        challenge=challenge,
        criteria=[CriterionSpec("A", Decimal("0.5")), CriterionSpec("B", Decimal("0.5"))],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS judging_rubric_weights_sum_to_one IMMEDIATE")
    criteria[0].weight = Decimal("0.7")
    with pytest.raises(IntegrityError), transaction.atomic():
        criteria[0].save()
    with transaction.atomic():  # both weights at once: the rubric still sums to 1
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS judging_rubric_weights_sum_to_one DEFERRED")
        criteria[0].weight = Decimal("0.3")
        criteria[0].save()
        criteria[1].weight = Decimal("0.7")
        criteria[1].save()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS judging_rubric_weights_sum_to_one IMMEDIATE")
