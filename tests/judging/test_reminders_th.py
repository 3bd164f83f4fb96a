"""A judge who chose Thai for their e-mails is reminded in Thai."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from judging import reminders
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db


def test_a_judge_who_chose_thai_is_reminded_in_thai(blind_entry):
    settings = blind_entry["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(hours=20)
    settings.save()
    judge = blind_entry["judge"]
    judge.language = "th"
    judge.full_clean()
    judge.save()
    reminders.reminders_daily()
    for pk in JudgeReminder.objects.values_list("pk", flat=True):
        reminders.reminder_send_email(reminder_id=pk)
    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    assert mine.subject.endswith("มีการประเมินที่ต้องทำให้เสร็จ 1 รายการ")
    assert "คุณยังมีการประเมินที่ต้องส่งอีก 1 รายการ" in mine.body
    other = next(m for m in mail.outbox if m.to != [judge.user.email])
    assert "1 review still to submit" in other.body, "the other judge keeps English"
