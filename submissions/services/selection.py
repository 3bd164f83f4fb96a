"""Participants choosing the submissions that count for the final standings."""

from django.db import transaction
from django.utils import timezone

from league.errors import raise_if_any
from submissions import rules
from submissions.models import Submission, SubmissionStatus
from submissions.services.standings import teambest_refresh
from teams.models import Registration


@transaction.atomic
def submission_set_final(*, submission: Submission, is_final: bool) -> Submission:
    """Select or unselect a team's submission as final.

    The caller has checked that the user belongs to the team (a selector
    returned ``submission``). The team's private score follows its finals, so
    TeamBest is refreshed in the same transaction. Lock contract: the
    Registration row (two members selecting at once cannot exceed the phase's
    limit), then the Submission row (an organizer's cancel or re-run waits),
    then the TeamBest row, the order every writer of these rows keeps.
    """
    Registration.objects.select_for_update(no_key=True).only("id").get(
        pk=submission.registration_id
    )
    locked = (
        Submission.objects.select_for_update(of=("self",), no_key=True)
        .select_related("phase__challenge")
        .get(pk=submission.pk)
    )
    if locked.is_final == is_final:
        return locked
    phase = locked.phase
    if is_final:
        raise_if_any(
            rules.final_selection_violations(
                status=locked.status,
                already_selected=Submission.objects.filter(
                    registration_id=locked.registration_id, phase=phase, is_final=True
                ).count(),
                max_selections=phase.max_final_selections,
                phase_open=phase.is_open(timezone.now()),
            )
        )
    elif not phase.is_open(timezone.now()):
        raise_if_any(
            rules.final_selection_violations(
                status=SubmissionStatus.SCORED,
                already_selected=0,
                max_selections=1,
                phase_open=False,
            )
        )
    locked.is_final = is_final
    locked.save(update_fields=["is_final"])
    teambest_refresh(registration_id=locked.registration_id, phase=phase)
    return locked
