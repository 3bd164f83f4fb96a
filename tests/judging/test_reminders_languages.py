"""A judge who chose another language for e-mails is reminded in it; the
other judges keep theirs (English here). One row per language."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from judging import reminders
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db

# language, in the subject, in the body, how the body begins ({name}: the judge's)
REMINDERS = [
    (
        "id",
        "penilaian perlu diselesaikan",
        ["Anda masih memiliki", "panel juri AI Super League"],
        "",
    ),
    (
        "ms",
        "ulasan untuk diselesaikan",
        ["Buka baris gilir anda di"],
        "Yang dihormati {name},",
    ),
    (
        "th",
        "มีการประเมินที่ต้องทำให้เสร็จ 1 รายการ",
        ["คุณยังมีการประเมินที่ต้องส่งอีก 1 รายการ"],
        "",
    ),
    ("vi", "phiếu chấm cần hoàn thành", ["Mở danh sách chờ chấm của bạn tại"], "Kính gửi {name},"),
]


@pytest.mark.parametrize(("language", "subject", "body", "greeting"), REMINDERS)
def test_a_judge_is_reminded_in_the_language_they_chose(
    blind_entry, language, subject, body, greeting
):
    settings = blind_entry["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(hours=20)
    settings.save()
    judge = blind_entry["judge"]
    judge.language = language
    judge.full_clean()
    judge.save()

    reminders.reminders_daily()
    for pk in JudgeReminder.objects.values_list("pk", flat=True):
        reminders.reminder_send_email(reminder_id=pk)

    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    assert subject in mine.subject
    for text in body:
        assert text in mine.body
    assert mine.body.startswith(greeting.format(name=judge.display_name))
    other = next(m for m in mail.outbox if m.to != [judge.user.email])
    assert "review" in other.subject and "1 review still to submit" in other.body
