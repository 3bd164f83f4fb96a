"""Review packages: each save checked, then kept as a new version.

A save spends no daily quota (a package is edited until the deadline, not
re-scored); versions are capped per phase under the registration's lock.
Refused saves keep nothing stored.
"""

import os
import uuid
import zipfile
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from league.errors import RuleViolation, raise_if_any
from league.models import Phase
from submissions import package_rules, rules
from submissions.models import PackageVersion, ReviewPackage
from submissions.modes import get_mode
from submissions.storage import delete_quietly, private_storage, store_streaming
from teams import selectors as teams_selectors
from teams.models import Registration

TEXT_FIELDS = ("scenario", "industry", "deployment_stage", "expected_impact", "team_roles")


@dataclass
class PackageChanges:
    """What a save changes; anything left ``None`` keeps the previous version's value."""

    proposal: object = None
    archive: object = None
    remove_archive: bool = False
    video_url: str | None = None
    form: dict = field(default_factory=dict)


def package_version_create(*, user, phase: Phase, changes: PackageChanges) -> PackageVersion:
    """Save a new version of the team's package for a review phase, or raise
    RuleViolation with every reason (nothing stored)."""
    now = timezone.now()
    challenge = phase.challenge
    mode = get_mode(challenge.evaluation_mode)
    if not mode.takes_packages:
        raise RuleViolation(package_rules.not_a_package_phase_violations())
    registration = teams_selectors.registration_of_user(user=user, challenge_id=challenge.pk)
    violations = rules.window_violations(
        opens_at=phase.opens_at, closes_at=phase.closes_at, now=now
    )
    violations += rules.registration_violations(
        registered=registration is not None,
        status=registration.status if registration else None,
        rejection_reason=registration.rejection_reason if registration else "",
    )
    violations += mode.configuration_violations(phase=phase)
    pages = None
    if changes.proposal is not None:
        facts = mode.inspect_proposal(upload=changes.proposal, challenge=challenge)
        violations += facts.violations
        pages = facts.pages
    if changes.archive is not None:
        violations += mode.archive_violations(upload=changes.archive, challenge=challenge)
    if changes.video_url is not None:
        violations += package_rules.video_link_violations(url=changes.video_url)
    violations += package_rules.form_violations(
        target_countries=list(changes.form.get("target_countries") or []),
        deployment_stage=changes.form.get("deployment_stage") or "",
    )
    raise_if_any(violations)
    # The files are copied before and outside the transaction (a copy to a
    # remote bucket can be slow), so the registration's lock covers only the
    # decision; a refused or failed save removes what it wrote.
    storage = private_storage()
    stored: dict[str, StoredUpload] = {}
    try:
        for kind, upload in (("proposal", changes.proposal), ("archive", changes.archive)):
            if upload is not None:
                stored[kind] = _store(
                    storage, upload, registration=registration, phase=phase, kind=kind
                )
        return _do_create(
            user=user,
            phase=phase,
            registration=registration,
            changes=changes,
            pages=pages,
            stored=stored,
        )
    except BaseException:
        delete_quietly(storage, [item.name for item in stored.values()])
        raise


@dataclass(frozen=True)
class StoredUpload:
    name: str
    original_name: str
    sha256: str
    size: int
    members: int | None = None


def _store(storage, upload, *, registration: Registration, phase: Phase, kind: str) -> StoredUpload:
    extension = os.path.splitext(upload.name or "")[1].lower()[:10]
    name = f"packages/team-{registration.team_id}/phase-{phase.pk}/{kind}-{uuid.uuid4().hex}"
    members = _member_count(upload) if kind == "archive" else None
    stored_name, sha256, size = store_streaming(
        storage=storage, name=name + extension, fileobj=upload, size=upload.size
    )
    return StoredUpload(
        name=stored_name,
        original_name=os.path.basename(upload.name or "")[:255],
        sha256=sha256,
        size=size,
        members=members,
    )


@transaction.atomic
def _do_create(
    *,
    user,
    phase: Phase,
    registration: Registration,
    changes: PackageChanges,
    pages: int | None,
    stored: dict,
) -> PackageVersion:
    """Lock contract: the Registration row is locked (as intake does), so the
    saves of one team decide one at a time: version numbers and the cap hold.
    The files are already stored; the lock covers only the checks and INSERTs."""
    Registration.objects.select_for_update().only("id").get(pk=registration.pk)
    now = timezone.now()
    package, _created = ReviewPackage.objects.get_or_create(
        registration=registration, phase=phase, defaults={"created_at": now}
    )
    previous = package.versions.order_by("-number").first()
    raise_if_any(
        rules.window_violations(opens_at=phase.opens_at, closes_at=phase.closes_at, now=now)
        + package_rules.version_limit_violations(saved=package.versions.count())
    )
    version = PackageVersion(
        package=package,
        number=(previous.number + 1) if previous else 1,
        saved_by=user,
        saved_at=now,
    )
    if previous is not None:
        for name in (
            "proposal",
            "proposal_name",
            "proposal_size",
            "proposal_sha256",
            "proposal_pages",
            "video_url",
            "archive",
            "archive_name",
            "archive_size",
            "archive_sha256",
            "archive_members",
            "target_countries",
            *TEXT_FIELDS,
        ):
            setattr(version, name, getattr(previous, name))
    if changes.video_url is not None:
        version.video_url = changes.video_url
    for name in TEXT_FIELDS:
        if changes.form.get(name) is not None:
            setattr(version, name, changes.form[name])
    if changes.form.get("target_countries") is not None:
        version.target_countries = sorted(set(changes.form["target_countries"]))
    if changes.remove_archive:
        version.archive = ""
        version.archive_name, version.archive_size, version.archive_sha256 = "", None, ""
        version.archive_members = None
    proposal = stored.get("proposal")
    if proposal is not None:
        version.proposal = proposal.name
        version.proposal_name = proposal.original_name
        version.proposal_size, version.proposal_sha256 = proposal.size, proposal.sha256
        version.proposal_pages = pages
    archive = stored.get("archive")
    if archive is not None:
        version.archive = archive.name
        version.archive_name = archive.original_name
        version.archive_size, version.archive_sha256 = archive.size, archive.sha256
        version.archive_members = archive.members
    version.full_clean(exclude=["proposal", "archive", "package", "saved_by"])
    version.save()
    return version


def _member_count(upload) -> int:
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        count = sum(1 for info in archive.infolist() if not info.is_dir())
    upload.seek(0)
    return count
