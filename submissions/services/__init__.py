"""Writes of the submissions app, one module per concern."""

from submissions.services.evaluation import Outcome, submission_evaluate
from submissions.services.intake import submission_create
from submissions.services.organizer import (
    phase_rerun_run,
    phase_rerun_start,
    submission_cancel,
    submission_rerun,
)
from submissions.services.packages import PackageChanges, package_version_create
from submissions.services.selection import submission_set_final
from submissions.services.sweeping import submissions_requeue_stuck

__all__ = [
    "Outcome",
    "PackageChanges",
    "package_version_create",
    "phase_rerun_run",
    "phase_rerun_start",
    "submission_cancel",
    "submission_create",
    "submission_evaluate",
    "submission_rerun",
    "submission_set_final",
    "submissions_requeue_stuck",
]
