"""TeamBest: each team's standing in a phase, recomputed from its scored submissions."""

from django.db import transaction
from django.db.models import Count, F, Max, Q, Window
from django.db.models.functions import RowNumber

from league.metrics import higher_is_better
from league.models import Phase
from submissions import leaderboards, rules
from submissions.models import Submission, SubmissionStatus, TeamBest

_ENTRY_FIELDS = ("id", "public_score", "private_score", "created_at", "is_final")


def _top_and_finals(*, registration_id: int, phase: Phase, higher: bool):
    """In one query: the team's ``max_final_selections`` best scored
    submissions by public score (ties: the earlier first), its finals, how
    many are scored and when the last was sent."""
    score = F("public_score")
    ordering = [score.desc() if higher else score.asc(), "created_at", "id"]
    rows = list(
        Submission.objects.filter(
            registration_id=registration_id, phase_id=phase.pk, status=SubmissionStatus.SCORED
        )
        .annotate(
            place=Window(RowNumber(), order_by=ordering),
            scored=Window(Count("id")),
            last=Window(Max("created_at")),
        )
        .filter(Q(place__lte=phase.max_final_selections) | Q(is_final=True))
        .order_by("place")
        .values(*_ENTRY_FIELDS, "place", "scored", "last")
    )
    top = [row for row in rows if row["place"] <= phase.max_final_selections]
    finals = [row for row in rows if row["is_final"]]
    count, last = (rows[0]["scored"], rows[0]["last"]) if rows else (0, None)
    return _entries(top), _entries(finals), count, last


def _entries(rows) -> list[rules.ScoredEntry]:
    return [rules.ScoredEntry(**{name: row[name] for name in _ENTRY_FIELDS}) for row in rows]


def teambest_refresh(*, registration_id: int, phase: Phase) -> TeamBest:
    """Recompute the team's best from its scored submissions.

    Must run inside the caller's transaction. Lock contract: locks the
    TeamBest row (creating it if needed), so concurrent scorings of one team
    are applied one after the other; callers lock their Registration and
    Submission rows first, never after, and with ``no_key=True``: saving
    TeamBest checks its foreign keys with KEY SHARE locks on those rows, which
    a plain FOR UPDATE held by another writer would block, closing a cycle
    (a test runs finals, scores, cancels and re-runs at once). Recomputing
    instead of comparing makes a re-run, a cancellation or a change of finals
    as correct as a new score.

    The private score follows ``rules.final_private_score``: the finals, or
    with none the best by public score, so reading those two sets suffices.
    """
    best, _ = TeamBest.objects.select_for_update().get_or_create(
        registration_id=registration_id, phase_id=phase.pk
    )
    higher = higher_is_better(phase.challenge.metric)
    top, finals, count, last = _top_and_finals(
        registration_id=registration_id, phase=phase, higher=higher
    )
    first = top[0] if top else None
    best.scored_count = count
    best.last_submitted_at = last
    best.best_private_score = rules.final_private_score(
        {entry.id: entry for entry in top + finals}.values(),
        higher_is_better=higher,
        max_finals=phase.max_final_selections,
    )
    best.best_submission_id = first.id if first else None
    best.best_public_score = first.public_score if first else None
    best.best_submitted_at = first.created_at if first else None
    best.save()
    # Cached board pages go out of date now, and again once this commits (a
    # page read in between would otherwise be cached with the old standing).
    phase_id = phase.pk
    leaderboards.board_changed(phase_id=phase_id)
    transaction.on_commit(lambda: leaderboards.board_changed(phase_id=phase_id))
    return best
