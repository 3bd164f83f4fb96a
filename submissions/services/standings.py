"""TeamBest: each team's standing in a phase, recomputed from its scored submissions."""

from django.db.models import Count, F, Max, Min

from league.models import Phase
from submissions import rules
from submissions.models import Submission, SubmissionStatus, TeamBest


def teambest_refresh(*, registration_id: int, phase: Phase) -> TeamBest:
    """Recompute the team's best from its scored submissions.

    Must run inside the caller's transaction. Lock contract: locks the
    TeamBest row (creating it if needed), so concurrent scorings of one team
    are applied one after the other. Recomputing instead of comparing makes
    a re-run or a cancellation as correct as a new score.
    """
    best, _ = TeamBest.objects.select_for_update().get_or_create(
        registration_id=registration_id, phase_id=phase.pk
    )
    higher = rules.higher_is_better(phase.challenge.metric)
    scored = Submission.objects.filter(
        registration_id=registration_id, phase_id=phase.pk, status=SubmissionStatus.SCORED
    )
    summary = scored.aggregate(
        count=Count("id"),
        last=Max("created_at"),
        private=(Max if higher else Min)("private_score"),
    )
    score = F("public_score")
    top = (
        scored.order_by(score.desc() if higher else score.asc(), "created_at", "id")
        .values("id", "public_score", "created_at")
        .first()
    )
    best.scored_count = summary["count"]
    best.last_submitted_at = summary["last"]
    best.best_private_score = summary["private"]
    best.best_submission_id = top["id"] if top else None
    best.best_public_score = top["public_score"] if top else None
    best.best_submitted_at = top["created_at"] if top else None
    best.save()
    return best
