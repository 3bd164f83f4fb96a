"""How a submission is shown to its own team (pages, polling endpoint, API).

Hides what the team may not see yet: the private score before the reveal.
"""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from league.metrics import format_score
from submissions.code_rules import VERDICT_LABELS, stored_detail_text
from submissions.failure_reasons import failure_message
from submissions.models import SubmissionStatus, TestSplit
from submissions.rules import final_selection_violations

# Where a submission stands, as the submit page's notice says it.
STATUS_NOTICES = {
    SubmissionStatus.QUEUED: _("Submission #%(id)s (“%(name)s”) is queued for evaluation."),
    SubmissionStatus.RUNNING: _("Submission #%(id)s (“%(name)s”) is being evaluated."),
    SubmissionStatus.SCORED: _(
        "Submission #%(id)s (“%(name)s”) is scored: public score %(score)s."
    ),
    SubmissionStatus.FAILED: _("Submission #%(id)s (“%(name)s”) failed: %(reason)s"),
    SubmissionStatus.REJECTED: _("Submission #%(id)s (“%(name)s”) was rejected."),
    SubmissionStatus.CANCELLED: _("Submission #%(id)s (“%(name)s”) was cancelled."),
}


def tests_shown(submission) -> list[dict] | None:
    """The runs of a code submission as its team sees them: verdict, times and
    the beginning of its own output; private tests only after the reveal
    (their verdicts would give the private score away). Never an input or an
    expected output: they are not stored with the submission."""
    if not submission.details or "tests" not in submission.details:
        return None
    revealed = submission.phase.private_scores_visible
    return [
        {
            **test,
            "verdict_label": str(VERDICT_LABELS.get(test["verdict"], test["verdict"])),
            "detail": stored_detail_text(test),
        }
        for test in submission.details["tests"]
        if revealed or test.get("split") != TestSplit.PRIVATE
    ]


def reason_text(submission) -> str:
    """Why a failed submission failed, in the active language ("" otherwise)."""
    if submission.status != SubmissionStatus.FAILED:
        return ""
    return failure_message(
        code=submission.error_code,
        stored=submission.error_message,
        attempts=submission.attempts,
        params=submission.error_params,
    )


def status_label(status: str) -> str:
    """The status in the reader's language, as ``get_status_display`` has it
    (which builds and hashes the whole choice list on every call)."""
    try:
        return str(SubmissionStatus(status).label)
    except ValueError:
        return status


def submission_public_dict(submission, *, with_tests: bool = False) -> dict:
    """``with_tests``: a code submission's runs (for one submission, not lists)."""
    phase = submission.phase
    return {
        "id": submission.pk,
        "original_name": submission.original_name,
        "description": submission.description,
        "size": submission.size,
        "sha256": submission.sha256,
        "status": submission.status,
        "status_label": status_label(submission.status),
        "public_score": submission.public_score,
        "private_score": submission.private_score if phase.private_scores_visible else None,
        "error_code": submission.error_code,
        "error_message": reason_text(submission),
        "attempts": submission.attempts,
        "counts_against_quota": submission.counts_against_quota,
        "is_final": submission.is_final,
        "created_at": submission.created_at,
        "started_at": submission.started_at,
        "finished_at": submission.finished_at,
        "download_url": reverse("submissions:download", args=[submission.pk]),
        "entry_point": submission.entry_point,
        "tests": tests_shown(submission) if with_tests else None,
    }


def final_action(*, status: str, is_final: bool, phase_open: bool) -> str:
    """What the row's final button does: "select", "unselect", or "" when
    the phase allows neither (a limit reached is said when it is pressed)."""
    if is_final:
        return "unselect" if phase_open else ""
    allowed = not final_selection_violations(
        status=status, already_selected=0, max_selections=1, phase_open=phase_open
    )
    return "select" if allowed else ""


def submission_row(submission, *, phase, phase_open: bool) -> dict:
    """A submission as a row of its team's submit page, the same whether the
    page or its polling renders it: the public dict, the scores at the
    metric's precision, the final action and a sentence on where it stands.
    ``phase``: the row's phase with its challenge (read once per page)."""
    shown = submission_public_dict(submission)
    metric = phase.challenge.metric
    public = format_score(shown["public_score"], metric) or ""
    shown.update(
        public_score_text=public,
        private_score_text=format_score(shown["private_score"], metric) or "",
        final_action=final_action(
            status=submission.status, is_final=submission.is_final, phase_open=phase_open
        ),
        notice=STATUS_NOTICES[submission.status]
        % {
            "id": submission.pk,
            "name": submission.original_name,
            "score": public,
            "reason": shown["error_message"],
        },
    )
    return shown


def final_message(submission) -> str:
    """The confirmation after a team selects or unselects a final."""
    if submission.is_final:
        text = gettext(
            "Submission #%(id)s (“%(name)s”) is selected as final: it counts for the final "
            "standings."
        )
    else:
        text = gettext("Submission #%(id)s (“%(name)s”) is no longer selected as final.")
    return text % {"id": submission.pk, "name": submission.original_name}


def package_version_dict(version, *, checklist) -> dict:
    """A package version as its team (and later its judges) sees it."""
    return {
        "id": version.pk,
        "number": version.number,
        "saved_at": version.saved_at,
        "saved_by": version.saved_by.get_username() if version.saved_by else "",
        "proposal_name": version.proposal_name,
        "proposal_pages": version.proposal_pages if version.proposal else None,
        "proposal_url": reverse("submissions:package-proposal", args=[version.pk])
        if version.proposal
        else None,
        "video_url": version.video_url,
        "archive_name": version.archive_name,
        "archive_members": version.archive_members if version.archive else None,
        "archive_url": reverse("submissions:package-archive", args=[version.pk])
        if version.archive
        else None,
        "form": version.form_data(),
        "checklist": checklist.as_dict(),
    }
