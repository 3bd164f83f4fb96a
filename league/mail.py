"""E-mails owed to people, sent by a worker after commit.

``mail_later`` stores the e-mail in the caller's transaction and publishes
its job after commit, never raising: a refused publish leaves ``queued_at``
empty and the beat sweeper (``league.publish_unsent_mail``) publishes it
again. The task claims the row with a conditional UPDATE, renders it in the
recipient's language, sends without holding any lock, then stamps
``sent_at``: a duplicate task sends nothing (``league/outbox.py``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from league.models import OutgoingMail
from league.outbox import Outbox

logger = logging.getLogger(__name__)

SEND_TASK = "league.send_mail"
OUTBOX = Outbox(
    model=OutgoingMail,
    task=SEND_TASK,
    lost_after=timedelta(minutes=5),
    sending_stale_after=timedelta(minutes=2),
    # Older unsent e-mails are no longer worth sending.
    still_owed=lambda now: Q(created_at__gt=now - timedelta(days=2)),
)


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def mail_later(*, to: str, template: str, context: dict, language: str = "") -> OutgoingMail | None:
    """Owe ``to`` the e-mail ``template`` (templates ``<template>_subject.txt``
    and ``<template>_message.txt``, rendered with ``context`` plus
    ``site_name`` and ``site_url``). Sent after the current transaction
    commits; nothing when ``to`` is empty."""
    if not to:
        return None
    mail = OutgoingMail.objects.create(
        to=to,
        language=language or settings.LANGUAGE_CODE,
        template=template,
        context=context,
        queued_at=timezone.now(),
    )
    mail_id = mail.pk
    transaction.on_commit(lambda: OUTBOX.publish(mail_id))
    return mail


def render(mail: OutgoingMail) -> tuple[str, str]:
    """Subject and body in the mail's language."""
    context = {**mail.context, "site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    with translation.override(mail.language):
        subject = render_to_string(f"{mail.template}_subject.txt", context)
        body = render_to_string(f"{mail.template}_message.txt", context)
    subject = " ".join(subject.split())
    return f"[{settings.SITE_NAME}] {subject}", body


def mail_send(*, mail_id: int) -> bool:
    """Send one owed e-mail if no other task is sending or has sent it."""
    claimed = OUTBOX.claim(mail_id)
    if claimed is None:
        return False
    claim, _ = claimed
    mail = OutgoingMail.objects.get(pk=mail_id)
    subject, body = render(mail)
    try:
        send_mail(subject, body, None, [mail.to])
    except Exception:
        # Left owed: the sweeper tries again once the claim is stale.
        logger.exception("e-mail %s could not be sent", mail_id)
        return False
    claim.update(sent_at=timezone.now())
    return True


def mails_publish_unsent(*, now=None) -> int:
    """Beat: publish again the e-mails the broker refused or lost."""
    return OUTBOX.publish_unsent(now=now)
