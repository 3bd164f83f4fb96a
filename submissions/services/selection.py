"""Participants choosing the submissions that count for the final standings."""

from django.db import transaction
from django.utils import timezone

from league.errors import raise_if_any
from submissions import rules
from submissions.models import Submission, SubmissionStatus
from teams.models import Registration


@transaction.atomic
def submission_set_final(*, submission: Submission, is_final: bool) -> Submission:
    """Select or unselect a team's submission as final.

    The caller has checked that the user belongs to the team (a selector
    returned ``submission``). Lock contract: the Registration row, so two
    members selecting at once cannot exceed the phase's limit.
    """
    Registration.objects.select_for_update().only("id").get(pk=submission.registration_id)
    locked = Submission.objects.select_related("phase").get(pk=submission.pk)
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
    return locked
