"""Reminder e-mails to judges with reviews due soon: once a day, never to a
judge who is done, never naming a team of a blind challenge."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from judging import reminders, services
from judging.models import JudgeReminder

pytestmark = pytest.mark.django_db


def send_all() -> int:
    return sum(
        reminders.reminder_send_email(reminder_id=pk)
        for pk in JudgeReminder.objects.values_list("pk", flat=True)
    )


@pytest.fixture
def due_soon(blind_entry):
    settings = blind_entry["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(hours=20)
    settings.save()
    return blind_entry


def test_judges_with_reviews_due_soon_are_reminded_once(
    due_soon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        assert reminders.reminders_daily() == 2
    assert len(callbacks) == 2, "the e-mail jobs are handed to the broker after commit"
    assert reminders.reminders_daily() == 0, "a second run the same day creates nothing"
    assert send_all() == 2
    assert send_all() == 0, "a duplicate task sends nothing"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        due_soon[key].user.email for key in ("judge", "other_judge")
    )
    body = mail.outbox[0].body
    assert "1 review still to submit" in body
    assert "http://" in body and "/judging/" in body


def test_no_reminder_for_a_judge_who_submitted_or_far_from_the_due_date(due_soon):
    criteria = due_soon["criteria"]
    services.review_save(
        judge=due_soon["judge"],
        entry_id=due_soon["entry"].pk,
        scores={c.pk: 3 for c in criteria},
        submit=True,
    )
    assert reminders.reminders_daily() == 1
    send_all()
    assert [m.to[0] for m in mail.outbox] == [due_soon["other_judge"].user.email]

    JudgeReminder.objects.all().delete()
    mail.outbox.clear()
    settings = due_soon["entry"].challenge.judging
    settings.due_at = timezone.now() + timedelta(days=5)
    settings.save()
    assert reminders.reminders_daily() == 0


def test_the_mail_of_a_blind_challenge_names_no_team(due_soon):
    reminders.reminders_daily()
    send_all()
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in due_soon["identifying"]:
            assert secret not in text


def test_a_judge_is_reminded_in_their_language(due_soon):
    judge = due_soon["judge"]
    judge.language = "zh-hans"
    judge.save()
    reminders.reminders_daily()
    send_all()
    mine = next(m for m in mail.outbox if m.to == [judge.user.email])
    assert "评审" in mine.body


def test_organizers_remind_judges_now_whatever_the_due_date(organizer_client, blind_entry):
    settings = blind_entry["entry"].challenge.judging
    response = organizer_client.post(
        reverse("admin:judging_challengejudging_changelist"),
        {"action": "remind_judges", "_selected_action": [settings.pk]},
        follow=True,
    )
    assert "2 judges will be reminded" in response.content.decode()
    assert JudgeReminder.objects.count() == 2
