"""The upload is stored before the registration's lock is taken, and a refused
or failed intake leaves nothing behind in storage.

Real PostgreSQL row locks and threads: a slow copy of one upload (a file
whose every read sleeps, as a copy to a remote bucket) must not hold up the
team's other intakes.
"""

import os
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.utils import timezone

from league.errors import RuleViolation
from submissions import services
from submissions.models import AnswerKey, PackageVersion, Submission
from submissions.pdfs import minimal_pdf
from submissions.services.packages import PackageChanges
from tests.factories import (
    ChallengeFactory,
    PhaseFactory,
    SubmissionFactory,
    predictions_csv,
)
from tests.submissions.conftest import CLOSED_PORT, broker_at, csv_upload, make_team

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    """This test's own private storage, so that every file in it is accounted for."""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return tmp_path / "private"


class SlowUpload(SimpleUploadedFile):
    """An upload whose reads sleep while it is copied, like a copy to a slow
    remote bucket: every chunk read after the first one (the checks before
    the copy read only the file's head) takes ``delay`` seconds."""

    def __init__(self, content: bytes, *, delay: float, name: str = "predictions.csv"):
        super().__init__(name, content, content_type="text/csv")
        self.delay = delay
        self.slow_reads = 0

    def read(self, size=-1):
        if size == self.DEFAULT_CHUNK_SIZE and self.file.tell() > 0:
            self.slow_reads += 1
            time.sleep(self.delay)
        return self.file.read(size)


def copying(root, folder: str) -> bool:
    """Whether a file has appeared under ``folder``: the copy has begun."""
    return any(name.startswith(folder) for name in stored_files(root))


def wait_for_copy(root, folder: str) -> None:
    deadline = time.monotonic() + 15
    while not copying(root, folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert copying(root, folder), "the first upload's copy never started"


def stored_files(root) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(root):
        found |= {os.path.relpath(os.path.join(folder, f), root) for f in files}
    return found


def referenced_files() -> set[str]:
    names = set(Submission.objects.values_list("file", flat=True))
    names |= set(AnswerKey.objects.values_list("file", flat=True))
    for proposal, archive in PackageVersion.objects.values_list("proposal", "archive"):
        names |= {proposal, archive}
    return names - {""}


def assert_nothing_left_behind(root):
    orphans = stored_files(root) - referenced_files()
    assert not orphans, f"files left in storage by a refused intake: {orphans}"


def submit(arena, upload=None):
    return services.submission_create(
        user=arena.member, phase=arena.phase, upload=upload or csv_upload()
    )


def test_a_refused_quota_under_the_lock_removes_the_stored_file(arena, private_dir):
    for _ in range(arena.phase.daily_limit):
        SubmissionFactory(registration=arena.registration, phase=arena.phase)
    before = stored_files(private_dir)
    with pytest.raises(RuleViolation) as refused:
        submit(arena)
    assert refused.value.code == "daily_limit_reached"
    assert stored_files(private_dir) == before
    assert_nothing_left_behind(private_dir)


def test_a_phase_that_closes_during_the_copy_refuses_and_removes_the_file(arena, private_dir):
    arena.phase.closes_at = timezone.now() + timedelta(seconds=1)
    arena.phase.save()
    upload = SlowUpload(predictions_csv(rows=2000), delay=2)
    with pytest.raises(RuleViolation) as refused:
        submit(arena, upload)
    assert refused.value.code == "phase_closed"
    assert upload.slow_reads, "the copy outlasted the phase"
    assert Submission.objects.count() == 0
    assert_nothing_left_behind(private_dir)


def test_a_database_error_after_the_copy_removes_the_file(arena, private_dir):
    broken = DatabaseError("disk full")
    with (
        # The quota's spend writes the row too (one statement on PostgreSQL).
        mock.patch("submissions.services.intake.quota_spend_and_insert", side_effect=broken),
        mock.patch("submissions.services.intake.quota_spend", side_effect=broken),
        pytest.raises(DatabaseError),
    ):
        submit(arena)
    assert Submission.objects.count() == 0
    assert_nothing_left_behind(private_dir)


class BrokenUpload(SimpleUploadedFile):
    """An upload whose copy breaks off after the first chunk (a disk or
    network error in the middle of the copy)."""

    def read(self, size=-1):
        if size == self.DEFAULT_CHUNK_SIZE and self.file.tell() > 0:
            raise OSError("the connection was reset")
        return self.file.read(size)


def test_a_copy_that_breaks_off_leaves_no_partial_file(arena, private_dir):
    upload = BrokenUpload("predictions.csv", predictions_csv(rows=20_000))
    with pytest.raises(OSError, match="reset"):
        submit(arena, upload)
    assert Submission.objects.count() == 0
    assert_nothing_left_behind(private_dir)


@pytest.mark.parametrize(
    "problem",
    ["extension", "unverified", "closed"],
)
def test_refusals_before_the_copy_store_nothing(arena, private_dir, problem):
    upload = csv_upload()
    if problem == "extension":
        upload = SimpleUploadedFile("predictions.exe", b"MZ\x90\x00")
    elif problem == "unverified":
        arena.registration.status = "pending"
        arena.registration.save()
    else:
        arena.phase.closes_at = timezone.now() - timedelta(minutes=1)
        arena.phase.save()
    with pytest.raises(RuleViolation):
        submit(arena, upload)
    assert_nothing_left_behind(private_dir)


def test_a_slow_copy_does_not_block_another_intake_of_the_same_team(arena, private_dir):
    arena.phase.daily_limit = 10
    arena.phase.save()
    slow = SlowUpload(predictions_csv(rows=2000), delay=3)
    outcome = {}

    def first():
        try:
            outcome["first"] = submit(arena, slow).pk
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["first"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    with broker_at(CLOSED_PORT):
        thread.start()
        wait_for_copy(private_dir, "submissions/")
        started = time.monotonic()
        second = submit(arena)
        took = time.monotonic() - started
        first_still_copying = thread.is_alive()
        thread.join(timeout=60)
    assert first_still_copying, f"the second intake waited {took:.1f} s for the first one's copy"
    assert isinstance(outcome.get("first"), int), outcome
    assert Submission.objects.count() == 2
    first_row = Submission.objects.get(pk=outcome["first"])
    assert first_row.size == len(predictions_csv(rows=2000))
    assert first_row.created_at > second.created_at, "decided after the copy, in its turn"
    assert_nothing_left_behind(private_dir)


# Review packages take the same path.


@pytest.fixture
def review():
    phase = PhaseFactory(
        challenge=ChallengeFactory(
            evaluation_mode="review", metric="", automated_weight=0, judges_weight=1
        )
    )
    registration, users = make_team(challenge=phase.challenge)
    return phase, registration, users[0]


def test_a_package_save_refused_under_the_lock_removes_its_files(review, private_dir):
    phase, _registration, member = review
    changes = PackageChanges(proposal=SimpleUploadedFile("proposal.pdf", minimal_pdf(2)))
    services.package_version_create(user=member, phase=phase, changes=changes)
    kept = stored_files(private_dir)
    assert len(kept) == 1
    PackageVersion.objects.bulk_create(
        [
            PackageVersion(
                package=PackageVersion.objects.get().package,
                number=n,
                saved_by=member,
                saved_at=timezone.now(),
            )
            for n in range(2, 51)
        ]
    )
    changes = PackageChanges(proposal=SimpleUploadedFile("proposal.pdf", minimal_pdf(1)))
    with pytest.raises(RuleViolation) as refused:
        services.package_version_create(user=member, phase=phase, changes=changes)
    assert refused.value.code == "package_version_limit"
    assert stored_files(private_dir) == kept
    assert_nothing_left_behind(private_dir)


def test_a_slow_package_copy_does_not_block_another_save(review, private_dir):
    phase, _registration, member = review
    slow = SlowUpload(minimal_pdf(1), delay=3, name="proposal.pdf")
    outcome = {}

    def first():
        try:
            version = services.package_version_create(
                user=member, phase=phase, changes=PackageChanges(proposal=slow)
            )
            outcome["first"] = version.number
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcome["first"] = repr(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    wait_for_copy(private_dir, "packages/")
    second = services.package_version_create(
        user=member,
        phase=phase,
        changes=PackageChanges(proposal=SimpleUploadedFile("proposal.pdf", minimal_pdf(1))),
    )
    first_still_copying = thread.is_alive()
    thread.join(timeout=60)
    assert first_still_copying, "the second save waited for the first one's copy"
    assert second.number == 1
    assert outcome.get("first") == 2, outcome
    assert_nothing_left_behind(private_dir)
