"""Invitation e-mails against a real database, Redis broker and Celery worker:
a broker outage delays the mail but never loses it, and no mail is sent while
a row lock is held."""

import time

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from teams import services
from teams.models import Invitation
from tests.factories import InvitationFactory, TeamFactory
from tests.submissions.conftest import CLOSED_PORT, broker_at


class OutsideTransactionsOnly(locmem.EmailBackend):
    """Refuses to send inside a transaction: a slow mail server would hold its locks."""

    def send_messages(self, messages):
        assert not connection.in_atomic_block, "mail sent while a transaction was open"
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_the_mail_is_sent_outside_any_transaction(settings):
    settings.EMAIL_BACKEND = f"{__name__}.OutsideTransactionsOnly"
    invitation = InvitationFactory()
    assert services.invitation_send_email(invitation_id=invitation.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_broker_down_when_the_captain_invites_then_the_sweeper_sends_it_later(client, start_worker):
    team = TeamFactory()
    client.force_login(team.captain)
    with broker_at(CLOSED_PORT):
        started = time.monotonic()
        response = client.post(
            f"/api/teams/{team.pk}/invitations/create/", {"email": "friend@example.org"}
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 201, response.content
    assert elapsed < 2.0, f"the request took {elapsed:.2f} s with the broker down"
    invitation = Invitation.objects.get()
    assert invitation.sent_at is None and invitation.mail_queued_at is None

    worker = start_worker(queues="default")
    assert services.invitations_publish_unsent() == 1
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        invitation.refresh_from_db()
        if invitation.sent_at:
            break
        time.sleep(0.2)
    assert invitation.sent_at, f"the mail was never sent\n{worker.log()}"
    # The worker's console mail backend printed the message it sent.
    assert f"/teams/invitations/{invitation.token}/" in worker.log()
