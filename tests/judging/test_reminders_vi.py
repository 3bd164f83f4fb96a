"""A judge who chose Vietnamese gets the reminder e-mail in Vietnamese."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from judging import reminders
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db


def test_a_judge_is_reminded_in_vietnamese(blind_entry):
    settings = blind_entry["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(hours=20)
    settings.save()
    judge = blind_entry["judge"]
    judge.language = "vi"
    judge.save()
    reminders.reminders_daily()
    for pk in JudgeReminder.objects.values_list("pk", flat=True):
        reminders.reminder_send_email(reminder_id=pk)
    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    assert "phiếu chấm cần hoàn thành" in mine.subject
    assert mine.body.startswith(f"Kính gửi {judge.display_name},")
    assert "Mở danh sách chờ chấm của bạn tại" in mine.body
