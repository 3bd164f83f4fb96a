"""How a submission is shown to its own team (pages, polling endpoint, API).

Hides what the team may not see yet: the private score before the reveal.
"""

from django.urls import reverse

from submissions.code_rules import VERDICT_LABELS
from submissions.models import SubmissionStatus, TestSplit
from submissions.services.evaluation import failure_message


def tests_shown(submission) -> list[dict] | None:
    """The runs of a code submission as its team sees them: verdict, times and
    the beginning of its own output; private tests only after the reveal
    (their verdicts would give the private score away). Never an input or an
    expected output: they are not stored with the submission."""
    if not submission.details or "tests" not in submission.details:
        return None
    revealed = submission.phase.private_scores_visible
    return [
        {**test, "verdict_label": str(VERDICT_LABELS.get(test["verdict"], test["verdict"]))}
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
        "status_label": str(submission.get_status_display()),
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
