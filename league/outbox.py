"""Rows that owe a worker a job (an e-mail to send, a reminder): the job is
published after the row commits, the task claims the row before working on
it, stamps it when done, and a beat sweeper publishes again what the broker
refused or lost. Publishing never raises: an outage delays the job, never
loses it.

A model kept as an outbox has ``created_at`` and three times, named by the
outbox: handed to the broker (``queued_at``), claimed by a task
(``sending_at``) and done (``sent_at``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from league.queue import publish


@dataclass(frozen=True)
class Outbox:
    model: type[Model]
    task: str
    # A published job not done after this long was lost: published again.
    lost_after: timedelta
    # A task that claimed its row this long ago died while working.
    sending_stale_after: timedelta
    # Which rows are still worth the job at a moment (None: every row not done).
    still_owed: Callable[[datetime], Q] | None = None
    queued: str = "queued_at"
    sending: str = "sending_at"
    sent: str = "sent_at"
    queue: str = "default"
    sweep_batch: int = 500

    def publish(self, row_id: int, *, now: datetime | None = None) -> bool:
        """Publish the row's job; True if the broker took it. A refusal
        clears the queued time for the sweeper; a success stamps ``now`` if given."""
        published = publish(self.task, [row_id], queue=self.queue)
        if not published:
            self.model.objects.filter(pk=row_id).update(**{self.queued: None})
        elif now is not None:
            self.model.objects.filter(pk=row_id).update(**{self.queued: now})
        return published

    def owed(self, now: datetime) -> QuerySet:
        """Rows still owed their job that no live task holds."""
        free = Q(**{f"{self.sending}__isnull": True}) | Q(
            **{f"{self.sending}__lte": now - self.sending_stale_after}
        )
        rows = self.model.objects.filter(free, **{f"{self.sent}__isnull": True})
        if self.still_owed is not None:
            rows = rows.filter(self.still_owed(now))
        return rows

    def claim(self, row_id: int) -> tuple[QuerySet, datetime] | None:
        """Take the row for this task with one conditional UPDATE: the claimed
        row (to stamp when done) and when it was claimed, or None when it is
        no longer owed or another task has it. Outside a transaction, the
        claim commits at once: no lock is held while the task works."""
        claimed_at = timezone.now()
        if not self.owed(claimed_at).filter(pk=row_id).update(**{self.sending: claimed_at}):
            return None
        return self.model.objects.filter(pk=row_id, **{self.sending: claimed_at}), claimed_at

    def release(self, claim: QuerySet) -> None:
        """Give a claimed row back after a failure: the sweeper publishes it again."""
        claim.update(**{self.sending: None, self.queued: None})

    def publish_unsent(self, *, now: datetime | None = None) -> int:
        """Beat: publish again the jobs the broker refused or lost, oldest
        first; stops at the first refusal (the broker is still away)."""
        now = now or timezone.now()
        lost = Q(**{f"{self.queued}__isnull": True}) | Q(
            **{f"{self.queued}__lte": now - self.lost_after}
        )
        owed = (
            self.owed(now)
            .filter(lost)
            .order_by("created_at")
            .values_list("id", flat=True)[: self.sweep_batch]
        )
        published = 0
        for row_id in owed:
            if not self.publish(row_id, now=now):
                break
            published += 1
        return published
