"""A judge who chose Vietnamese, Thai, Indonesian or Malay for e-mails is
reminded in that language; the entry's other judge keeps English."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from judging import reminders
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db

# language: (the subject after the site's prefix, how the body starts ({name}: the judge's
# display name), what else the body says)
REMINDERS = {
    "vi": (
        "Còn 1 phiếu chấm cần hoàn thành",
        "Kính gửi {name},",
        ("Mở danh sách chờ chấm của bạn tại",),
    ),
    "th": (
        "มีการประเมินที่ต้องทำให้เสร็จ 1 รายการ",
        "เรียน คุณ{name}",
        ("คุณยังมีการประเมินที่ต้องส่งอีก 1 รายการ",),
    ),
    "id": (
        "1 penilaian perlu diselesaikan",
        "Yth. {name},",
        ("Anda masih memiliki", "panel juri AI Super League"),
    ),
    "ms": (
        "1 ulasan untuk diselesaikan",
        "Yang dihormati {name},",
        ("Buka baris gilir anda di",),
    ),
}


@pytest.mark.parametrize("language", REMINDERS)
def test_a_judge_is_reminded_in_the_language_they_chose(blind_entry, language):
    subject, greeting, said = REMINDERS[language]
    judging = blind_entry["entry"].challenge.judging
    judging.due_at = timezone.now() + timedelta(hours=20)
    judging.save()
    judge = blind_entry["judge"]
    judge.language = language
    judge.full_clean()
    judge.save()
    reminders.reminders_daily()
    for pk in JudgeReminder.objects.values_list("pk", flat=True):
        reminders.reminder_send_email(reminder_id=pk)

    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    assert mine.subject == prefix + subject
    assert mine.body.startswith(greeting.format(name=judge.display_name))
    for text in said:
        assert text in mine.body
    theirs = next(m for m in mail.outbox if m.to != [judge.user.email])
    assert theirs.subject == prefix + "1 review to finish", "the other judge keeps English"
    assert "1 review still to submit" in theirs.body
