"""Reminder e-mails to judges whose reviews are due within 48 hours (or
late): one a day per judge, created in one transaction, handed to the queue
after commit, sent by a task that claims its row first (safe to run twice)
and holds no lock while the mail server is talked to. The mail names the
site and how many reviews are open, never an entry's team."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone, translation

from judging.models import Assignment, Conflict, JudgeReminder, ReviewStatus
from league import timefmt
from league.outbox import Outbox

SEND_TASK = "judging.send_judge_reminder"
DUE_WITHIN = timedelta(hours=48)
OUTBOX = Outbox(
    model=JudgeReminder,
    task=SEND_TASK,
    lost_after=timedelta(minutes=30),
    sending_stale_after=timedelta(minutes=10),
    sweep_batch=200,
)


def _open_assignments():
    """Assignments of active judges with no submitted review, whose entry
    the judge may still see (no standing conflict)."""
    conflicted = Conflict.objects.filter(
        judge=OuterRef("judge"),
        team=OuterRef("entry__registration__team"),
        overridden_at__isnull=True,
    )
    return (
        Assignment.objects.filter(judge__active=True)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .exclude(Exists(conflicted))
    )


@transaction.atomic
def reminders_create(*, challenges=None, due_within=DUE_WITHIN, now=None) -> int:
    """Today's reminder for each judge with open reviews due within
    ``due_within`` (None: whatever the due date, as "Remind judges now"),
    of the given challenges (None: all). A judge already reminded today is
    not reminded again. Returns how many reminders were created."""
    now = now or timezone.now()
    owed = _open_assignments()
    if due_within is not None:
        owed = owed.filter(entry__challenge__judging__due_at__lte=now + due_within)
    if challenges is not None:
        owed = owed.filter(entry__challenge__in=challenges)
    created = []
    for judge_id in sorted(set(owed.values_list("judge_id", flat=True))):
        reminder, was_created = JudgeReminder.objects.get_or_create(
            judge_id=judge_id, day=timezone.localdate(now), defaults={"created_at": now}
        )
        if was_created:
            created.append(reminder.pk)
    for pk in created:
        transaction.on_commit(lambda pk=pk: OUTBOX.publish(pk, now=now))
    return len(created)


def reminders_publish_unsent(*, now=None) -> int:
    """Beat: publish again the reminders the broker refused or lost."""
    return OUTBOX.publish_unsent(now=now)


def reminders_daily(*, now=None) -> int:
    """Beat, once a day: remind the judges whose reviews are due within 48 h."""
    created = reminders_create(now=now)
    reminders_publish_unsent(now=now)
    return created


def reminder_send_email(*, reminder_id: int) -> bool:
    """Send one reminder if still owed; True if a message went out. Claims
    the row with a conditional UPDATE first, so a duplicate run does nothing."""
    from allauth.account.adapter import get_adapter

    claimed = OUTBOX.claim(reminder_id)
    if claimed is None:
        return False
    claim, claimed_at = claimed
    reminder = JudgeReminder.objects.select_related("judge__user").get(pk=reminder_id)
    judge = reminder.judge
    open_reviews = list(
        _open_assignments()
        .filter(judge=judge)
        .values_list("entry__challenge__judging__due_at", flat=True)
    )
    if not open_reviews or not judge.user.email:
        claim.update(sent_at=timezone.now(), open_reviews=len(open_reviews))
        return False
    dues = [due for due in open_reviews if due is not None]
    try:
        with (
            translation.override(judge.language or "en"),
            timezone.override(judge.user.time_zone or "UTC"),
        ):
            context = {
                "url": settings.SITE_URL.rstrip("/") + reverse("judging:index"),
                "site_url": settings.SITE_URL,
                "count": len(open_reviews),
                "earliest_due": timefmt.when(min(dues)) if dues else "",
                "late": bool(dues) and min(dues) < claimed_at,
                "judge_name": judge.display_name,
            }
            message = get_adapter().render_mail("judging/email/reminder", judge.user.email, context)
        message.send()
    except Exception:
        OUTBOX.release(claim)
        raise
    claim.update(sent_at=timezone.now(), open_reviews=len(open_reviews))
    return True
