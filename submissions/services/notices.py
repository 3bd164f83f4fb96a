"""E-mails to a submitter who asked to hear when a submission is scored or
fails. Best effort: nothing here may fail or delay an evaluation."""

import logging

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from league.mail import mail_later, site_link
from submissions.models import Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def wants_mail(user) -> bool:
    """Whether a submitter asked to hear about their evaluations."""
    return user is not None and user.email_on_scored and bool(user.email)


def submission_notify_later(*, submission_id: int) -> None:
    """After the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: submission_notify(submission_id=submission_id))


def submission_notify(*, submission_id: int) -> bool:
    """Owe the submitter an e-mail about a finished evaluation, if they opted
    in. Never raises: a failure is logged and the evaluation stands."""
    try:
        return _notify(submission_id)
    except Exception:
        logger.exception("could not queue the e-mail about submission %s", submission_id)
        return False


def _notify(submission_id: int) -> bool:
    # Imported here: presentation imports the evaluation service, which calls us.
    from submissions.presentation import reason_text

    submission = Submission.objects.select_related("submitted_by", "phase__challenge").get(
        pk=submission_id
    )
    user = submission.submitted_by
    if not wants_mail(user):
        return False
    if submission.status not in (SubmissionStatus.SCORED, SubmissionStatus.FAILED):
        return False
    scored = submission.status == SubmissionStatus.SCORED
    language = user.mail_language()
    with translation.override(language):
        reason = "" if scored else reason_text(submission)
    context = {
        "submission_id": submission.pk,
        "file_name": submission.original_name,
        "challenge_title": submission.phase.challenge.title,
        "public_score": submission.public_score,
        "reason": reason,
        "url": site_link(reverse("submissions:detail", args=[submission.pk])),
        "preferences_url": site_link(reverse("preferences")),
    }
    template = "submissions/email/submission_" + ("scored" if scored else "failed")
    mail_later(to=user.email, template=template, context=context, language=language)
    return True
