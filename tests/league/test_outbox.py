"""The outbox the e-mails, invitations and reminders share (league/outbox.py):
a row is claimed by one task at a time, a claim that died is taken over, a
failed job is given back to the sweeper, and rows no longer worth the job
are left alone. Shown on the league's own outgoing e-mails."""

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from league.models import OutgoingMail
from league.outbox import Outbox
from tests.submissions.conftest import CLOSED_PORT, broker_at

pytestmark = pytest.mark.django_db

OUTBOX = Outbox(
    model=OutgoingMail,
    task="league.send_mail",
    lost_after=timedelta(minutes=5),
    sending_stale_after=timedelta(minutes=2),
    still_owed=lambda now: Q(created_at__gt=now - timedelta(days=2)),
)


def owed_mail(**fields) -> OutgoingMail:
    return OutgoingMail.objects.create(
        to="a@example.org", language="en", template="t", context={}, **fields
    )


def test_one_task_at_a_time_holds_a_row_and_a_dead_claim_is_taken_over():
    mail = owed_mail()
    claimed = OUTBOX.claim(mail.pk)
    assert claimed is not None
    claim, claimed_at = claimed
    assert OUTBOX.claim(mail.pk) is None, "a second task finds it taken"
    OutgoingMail.objects.filter(pk=mail.pk).update(sending_at=claimed_at - timedelta(minutes=3))
    assert OUTBOX.claim(mail.pk) is not None, "a claim older than the stale time died"
    assert claim.update(sent_at=timezone.now()) == 0, "the first task no longer holds it"


def test_a_failed_job_goes_back_to_the_sweeper_and_a_done_one_is_never_sent_again(purge_queues):
    failed, done = owed_mail(queued_at=timezone.now()), owed_mail()
    claim, _ = OUTBOX.claim(failed.pk)
    OUTBOX.release(claim)
    done_claim, _ = OUTBOX.claim(done.pk)
    done_claim.update(sent_at=timezone.now())
    assert OUTBOX.publish_unsent() == 1
    failed.refresh_from_db()
    assert failed.sending_at is None and failed.queued_at is not None
    assert OUTBOX.claim(done.pk) is None


def test_rows_no_longer_worth_the_job_are_neither_claimed_nor_published(purge_queues):
    old = owed_mail(created_at=timezone.now() - timedelta(days=3))
    assert OUTBOX.claim(old.pk) is None
    assert OUTBOX.publish_unsent() == 0


def test_a_published_job_never_done_counts_as_lost_after_a_while(purge_queues):
    now = timezone.now()
    recent = owed_mail(queued_at=now - timedelta(minutes=1))
    lost = owed_mail(queued_at=now - timedelta(minutes=6))
    assert OUTBOX.publish_unsent(now=now) == 1
    lost.refresh_from_db()
    recent.refresh_from_db()
    assert lost.queued_at == now and recent.queued_at == now - timedelta(minutes=1)


@pytest.mark.redis
def test_a_refused_publish_leaves_the_row_for_the_sweeper_and_the_sweep_stops():
    first, second = owed_mail(queued_at=timezone.now()), owed_mail(queued_at=None)
    with broker_at(CLOSED_PORT):
        assert OUTBOX.publish(first.pk) is False
        assert OUTBOX.publish_unsent() == 0, "stops at the first refusal"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.queued_at is None and second.queued_at is None
