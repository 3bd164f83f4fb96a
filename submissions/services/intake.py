"""Intake: check, store, record, enqueue after commit."""

import os
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from league.errors import RuleViolation, raise_if_any
from league.models import Phase
from league.timing import stage
from submissions import package_rules, rules, selectors
from submissions.models import QuotaCounter, Submission
from submissions.modes import get_mode
from submissions.services.queue import publish_evaluation
from submissions.services.quota import counter_says_spent, quota_spend, quota_spend_and_insert
from submissions.storage import (
    delete_quietly,
    private_storage,
    store_streaming,
    submission_path,
)
from teams import selectors as teams_selectors
from teams.models import Registration

# ``submission_create``'s default: the caller has not read the registration.
_READ_IT = object()


def submission_create(
    *,
    user,
    phase: Phase,
    upload,
    description: str = "",
    entry_point: str = "",
    registration: Registration | object | None = _READ_IT,
    counter: QuotaCounter | object | None = _READ_IT,
) -> Submission:
    """Accept a team's file for a phase, or raise RuleViolation with every reason.

    Checks the mode, the window, the registration, the phase's configuration,
    the file (the mode's content checks: a CSV is sniffed for disguised HTML,
    binary or an empty body) and the quota. Nothing stays stored and no quota is
    spent when a rule is broken. The evaluation is enqueued after commit.
    ``entry_point``: for code challenges, the file of a .zip to run.
    ``registration``: the user's registration in the phase's challenge (None:
    none) when the caller has read it already, as the upload API does with the token.
    ``counter``: the team's quota counter in the phase (None: none yet) when
    the caller has read it with the registration. When it says a limit is
    reached, an exact count decides before anything is stored.
    """
    now = timezone.now()
    challenge = phase.challenge
    mode = get_mode(challenge.evaluation_mode)
    if mode.takes_packages:
        raise RuleViolation(package_rules.package_required_violations())
    with stage("lookups"):
        if registration is _READ_IT:
            registration = teams_selectors.registration_of_user(
                user=user, challenge_id=challenge.pk
            )
        configuration = mode.configuration_violations(phase=phase)
    name = os.path.basename(upload.name or "")
    violations = rules.window_violations(
        opens_at=phase.opens_at, closes_at=phase.closes_at, now=now
    )
    violations += rules.registration_violations(
        registered=registration is not None,
        status=registration.status if registration else None,
        rejection_reason=registration.rejection_reason if registration else "",
    )
    violations += configuration
    with stage("checks"):
        file_problems = rules.file_violations(
            name=name,
            size=upload.size,
            allowed=mode.allowed_extensions(challenge),
            max_bytes=challenge.max_file_size_bytes,
        )
        if not file_problems:
            file_problems = mode.intake_violations(upload=upload, challenge=challenge, phase=phase)
        entry = ""
        if not file_problems:
            entry, file_problems = mode.program_entry(
                upload=upload, name=name, declared=entry_point
            )
    violations += file_problems
    counter_spent = isinstance(counter, QuotaCounter) and counter_says_spent(
        counter, phase=phase, now=now
    )
    if (violations or counter_spent) and registration is not None and registration.is_verified:
        # To list every reason at once, or to refuse an upload over quota
        # before storing it: the quota that counts is the one spent in _do_create.
        violations += rules.quota_violations(
            selectors.quota_for(registration=registration, phase=phase, now=now)
        )
    raise_if_any(violations)
    # The copy (to a remote bucket, possibly minutes for a large file) runs
    # before and outside the transaction, so the registration's lock covers
    # only the decision; a refused or failed intake removes what it wrote.
    storage = private_storage()
    with stage("storage"):
        stored_name, sha256, size = store_streaming(
            storage=storage,
            name=submission_path(
                team_id=registration.team_id, phase_id=phase.pk, original_name=name
            ),
            fileobj=upload,
            size=upload.size,
        )
    try:
        with stage("record"):
            return _do_create(
                user=user,
                phase=phase,
                registration=registration,
                stored=StoredFile(name=stored_name, sha256=sha256, size=size),
                name=name,
                description=description,
                entry_point=entry,
                counter_missing=counter is None,
            )
    except BaseException:
        delete_quietly(storage, [stored_name])
        raise


@dataclass(frozen=True)
class StoredFile:
    name: str
    sha256: str
    size: int


def _do_create(
    *,
    user,
    phase: Phase,
    registration: Registration,
    stored: StoredFile,
    name: str,
    description: str,
    entry_point: str,
    counter_missing: bool = False,
) -> Submission:
    """Lock contract: spending the quota locks the team's QuotaCounter row (see
    services/quota.py) for the one statement that also inserts the row, or
    else for the rest of a transaction, so intakes of one team decide one at a
    time and the quota cannot be spent twice. The file is already stored: the
    lock is held only for the quota and the INSERT."""
    now = timezone.now()
    raise_if_any(
        rules.window_violations(opens_at=phase.opens_at, closes_at=phase.closes_at, now=now)
    )
    submission = Submission(
        registration=registration,
        phase=phase,
        submitted_by=user,
        file=stored.name,
        original_name=name[:255],
        sha256=stored.sha256,
        size=stored.size,
        description=description[:500],
        entry_point=entry_point,
        created_at=now,
        # Handed to the on-commit publisher; cleared if the broker refuses.
        enqueued_at=now,
    )
    with stage("quota_insert_commit"):
        done = quota_spend_and_insert(
            registration=registration,
            phase=phase,
            now=now,
            submission=submission,
            counter_missing=counter_missing,
        )
        if not done:
            with transaction.atomic():
                quota_spend(registration=registration, phase=phase, now=now, then_insert=submission)
    # At once when no transaction is open (the row is committed), else on commit.
    transaction.on_commit(
        partial(publish_evaluation, submission.pk, already_marked=True), robust=True
    )
    return submission
