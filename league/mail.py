"""E-mails owed to people, sent by a worker after commit.

``mail_later`` stores the e-mail in the caller's transaction and publishes
its job after commit, never raising: a refused publish leaves ``queued_at``
empty and the beat sweeper (``league.publish_unsent_mail``) publishes it
again. The task claims the row with a conditional UPDATE, renders it in the
recipient's language, sends without holding any lock, then stamps
``sent_at``: a duplicate task sends nothing.
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
from league.queue import publish

logger = logging.getLogger(__name__)

SEND_TASK = "league.send_mail"
# A published job not done after this long was lost: publish it again.
LOST_AFTER = timedelta(minutes=5)
# A task that claimed the e-mail this long ago died while sending.
SENDING_STALE_AFTER = timedelta(minutes=2)
# Older unsent e-mails are no longer worth sending.
GIVE_UP_AFTER = timedelta(days=2)
SWEEP_BATCH = 500


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
    transaction.on_commit(lambda: _publish(mail_id))
    return mail


def _publish(mail_id: int, *, now=None) -> bool:
    published = publish(SEND_TASK, [mail_id], queue="default")
    if not published:
        OutgoingMail.objects.filter(pk=mail_id).update(queued_at=None)
    elif now is not None:
        OutgoingMail.objects.filter(pk=mail_id).update(queued_at=now)
    return published


def _owed(now):
    return OutgoingMail.objects.filter(
        Q(sending_at__isnull=True) | Q(sending_at__lte=now - SENDING_STALE_AFTER),
        sent_at__isnull=True,
        created_at__gt=now - GIVE_UP_AFTER,
    )


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
    now = timezone.now()
    if not _owed(now).filter(pk=mail_id).update(sending_at=now):
        return False
    mail = OutgoingMail.objects.get(pk=mail_id)
    subject, body = render(mail)
    try:
        send_mail(subject, body, None, [mail.to])
    except Exception:
        # Left owed: the sweeper tries again once the claim is stale.
        logger.exception("e-mail %s could not be sent", mail_id)
        return False
    OutgoingMail.objects.filter(pk=mail_id).update(sent_at=timezone.now())
    return True


def mails_publish_unsent(*, now=None) -> int:
    """Beat: publish again the e-mails the broker refused or lost."""
    now = now or timezone.now()
    owed = (
        _owed(now)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lte=now - LOST_AFTER))
        .order_by("created_at")
        .values_list("id", flat=True)[:SWEEP_BATCH]
    )
    published = 0
    for mail_id in owed:
        if not _publish(mail_id, now=now):
            break
        published += 1
    return published
