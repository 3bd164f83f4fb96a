"""A judge who chose Bahasa Indonesia for e-mails is reminded in Indonesian."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from judging import reminders
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db


def test_a_judge_who_chose_indonesian_is_reminded_in_indonesian(blind_entry):
    settings = blind_entry["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(hours=20)
    settings.save()
    judge = blind_entry["judge"]
    judge.language = "id"
    judge.full_clean()
    judge.save()

    reminders.reminders_daily()
    for pk in JudgeReminder.objects.values_list("pk", flat=True):
        reminders.reminder_send_email(reminder_id=pk)

    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    assert "penilaian perlu diselesaikan" in mine.subject
    assert "Anda masih memiliki" in mine.body
    assert "panel juri AI Super League" in mine.body
    theirs = next(m for m in mail.outbox if m.to != [judge.user.email])
    assert "review" in theirs.subject and "penilaian" not in theirs.subject
