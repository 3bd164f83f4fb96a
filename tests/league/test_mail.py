"""E-mails owed are stored with the decision and sent once, after commit, in
the recipient's language."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from league.mail import mail_later, mail_send, mails_publish_unsent
from league.models import OutgoingMail

pytestmark = pytest.mark.django_db

TEMPLATE = "teams/email/registration_rejected"
CONTEXT = {
    "team_name": "Q&A <Team>",
    "challenge_title": "Rice yields",
    "reason": "Duplicate team",
    "url": "http://example.org/teams/1/",
}


def test_an_owed_mail_is_sent_once_in_its_language_naming_the_site(settings):
    settings.SITE_NAME = "Test League"
    mail_id = mail_later(
        to="a@example.org", template=TEMPLATE, context=CONTEXT, language="zh-hans"
    ).pk
    assert mail_send(mail_id=mail_id)
    assert not mail_send(mail_id=mail_id), "a duplicate job sends nothing"
    [sent] = mail.outbox
    assert sent.to == ["a@example.org"]
    assert sent.subject.startswith("[Test League] ")
    assert "“Q&A <Team>”" in sent.body, "plain text, not HTML-escaped"
    assert "未通过" in sent.body and "Test League" in sent.body
    assert "Duplicate team" in sent.body
    assert OutgoingMail.objects.get(pk=mail_id).sent_at is not None


def test_nothing_is_owed_when_the_transaction_rolls_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        mail_later(to="a@example.org", template=TEMPLATE, context=CONTEXT)
        raise RuntimeError
    assert not OutgoingMail.objects.exists()


def test_the_sweeper_publishes_again_a_mail_the_broker_refused(purge_queues):
    refused = OutgoingMail.objects.create(
        to="a@example.org", language="en", template=TEMPLATE, context=CONTEXT, queued_at=None
    )
    sent = OutgoingMail.objects.create(
        to="b@example.org",
        language="en",
        template=TEMPLATE,
        context=CONTEXT,
        sent_at=timezone.now(),
    )
    assert mails_publish_unsent() == 1
    refused.refresh_from_db()
    sent.refresh_from_db()
    assert refused.queued_at is not None and sent.queued_at is None
