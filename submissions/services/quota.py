"""Spending and giving back a team's quota, on its QuotaCounter row.

Lock contract: the counter row is the only lock. ``quota_spend`` takes it by
its conditional UPDATE (or by SELECT ... FOR UPDATE when it counts again), so
intakes of one team decide one at a time; ``quota_spend_and_insert`` holds it
for its one statement; ``quota_give_back`` changes the Submission row first,
then the counter, as cancelling and failing do.
"""

import functools
import zoneinfo
from datetime import datetime

from django.db import connections, transaction
from django.db.models import Case, F, PositiveIntegerField, Value, When
from django.db.models.functions import Greatest

from league.db import execute_prepared
from league.errors import raise_if_any
from league.models import Phase
from submissions import rules, selectors
from submissions.models import QuotaCounter, Submission
from teams.api_tokens import Beside
from teams.models import Registration

_COUNTER_COLUMNS = ("id", "zone", "day", "used_today", "used_total")


def counter_beside(*, phase: Phase) -> Beside:
    """The team's counter in ``phase``, to read with its registration (one query)."""
    return Beside(
        table=QuotaCounter._meta.db_table,
        on="b.registration_id = r.id AND b.phase_id = %s",
        columns=_COUNTER_COLUMNS,
        params=(phase.pk,),
    )


def counter_seen(values: dict | None, *, registration: Registration, phase: Phase):
    """The counter as read beside the registration, or None: no counter yet."""
    if values is None:
        return None
    return QuotaCounter(registration_id=registration.pk, phase_id=phase.pk, **values)


def counter_says_spent(counter: QuotaCounter, *, phase: Phase, now: datetime) -> bool:
    """Whether the counter, kept in the phase's zone, says a limit is reached:
    the spend's own condition, read before anything is stored."""
    return counter.zone == phase.limit_zone.key and rules.counter_limit_reached(
        day=counter.day,
        today=now.astimezone(phase.limit_zone).date(),
        used_today=counter.used_today,
        used_total=counter.used_total,
        daily_limit=phase.daily_limit,
        total_limit=phase.total_limit,
    )


def quota_spend_and_insert(
    *,
    registration: Registration,
    phase: Phase,
    now: datetime,
    submission: Submission,
    counter_missing: bool = False,
) -> bool:
    """Outside a transaction, on PostgreSQL: spend one submission of the
    team's quota and insert ``submission`` in one statement that commits on
    its own (an upload's usual way: one round trip, no BEGIN or COMMIT). The
    statement is atomic: the row exists only if the quota was spent.

    True when done. Raises RuleViolation when the counter says a limit is
    reached and an exact count agrees. False when the caller must take the
    transactional way (``quota_spend``): another database, a transaction
    already open, a counter kept in another zone or one the count disagrees with.
    A team's first upload in the phase creates its counter from an exact count,
    first of all when the caller knows there is none (``counter_missing``)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return False
    if counter_missing:
        _create_counter(registration=registration, phase=phase, now=now)
    for first_try in (True, False):
        inserted, counter_zone = _spend_and_insert(connection, registration, phase, now, submission)
        if inserted:
            return True
        if counter_zone is not None or not first_try:
            break
        _create_counter(registration=registration, phase=phase, now=now)
    if counter_zone == phase.limit_zone.key:  # a limit reached, as the counter has it
        quota = selectors.quota_for(registration=registration, phase=phase, now=now)
        raise_if_any(rules.quota_violations(quota))
    return False


def quota_spend(
    *,
    registration: Registration,
    phase: Phase,
    now: datetime,
    then_insert: Submission | None = None,
) -> None:
    """Spend one submission of the team's quota, or raise RuleViolation with
    the limit reached. Inside the intake's transaction: a refusal, or a
    rollback, leaves the counter as it was.

    ``then_insert``: the new submission, inserted once the quota is spent; on
    PostgreSQL in the same statement as the spend (one round trip less per
    upload), its INSERT reading the UPDATE's row so that it happens only if
    the quota was spent."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("quota_spend runs inside the intake's transaction")
    if then_insert is not None and connection.vendor == "postgresql":
        if _spend_and_insert(connection, registration, phase, now, then_insert)[0]:
            return
        spent = False
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                _spend_sql(connection), _spend_params(registration, phase, now, connection)
            )
            spent = cursor.rowcount
    if not spent:
        _spend_after_counting(registration=registration, phase=phase, now=now)
    if then_insert is not None:
        then_insert.save(force_insert=True)


def _local_day(phase: Phase, now: datetime, connection):
    """Today in the phase's limit zone, as the database takes a date."""
    return connection.ops.adapt_datefield_value(now.astimezone(phase.limit_zone).date())


def _spend_params(registration: Registration, phase: Phase, now: datetime, connection) -> list:
    day = _local_day(phase, now, connection)
    limits = [phase.total_limit, day, phase.daily_limit]
    return [day, day, registration.pk, phase.pk, phase.limit_zone.key, *limits]


def _spend_and_insert(connection, registration, phase, now, submission) -> tuple[bool, str | None]:
    """PostgreSQL: the spend and the submission's INSERT in one statement;
    whether it inserted (``submission`` then has its id) and the counter's
    zone as it was before (None: no counter yet)."""
    params = [*_spend_params(registration, phase, now, connection)]
    params += _insert_values(submission, connection)
    with connection.cursor() as cursor:
        execute_prepared(
            cursor, _spend_and_insert_sql(connection.alias), [*params, registration.pk, phase.pk]
        )
        inserted, counter_zone = cursor.fetchone()
    if inserted is None:
        return False, counter_zone
    submission.pk = inserted
    submission._state.adding, submission._state.db = False, connection.alias
    return True, counter_zone


def _spend_sql(connection) -> str:
    """The spend as one statement, written out: it runs on every upload, and
    the ORM's compilation of its CASE cost more than the statement itself.
    Each SET reads the row as it was, so ``day`` in the CASE is the old day."""
    table = connection.ops.quote_name(QuotaCounter._meta.db_table)
    return (
        f"UPDATE {table} SET"  # noqa: S608 - the model's table; values are parameters
        " used_today = CASE WHEN day = %s THEN used_today + 1 ELSE 1 END,"
        " used_total = used_total + 1, day = %s"
        " WHERE registration_id = %s AND phase_id = %s AND zone = %s"
        " AND used_total < %s AND (day <> %s OR used_today < %s)"
    )


@functools.cache
def _insert_fields() -> tuple:
    return tuple(f for f in Submission._meta.concrete_fields if not f.primary_key)


def _insert_values(submission: Submission, connection) -> list:
    """The values of the submission's INSERT, prepared as the ORM would."""
    return [f.get_db_prep_save(f.pre_save(submission, True), connection) for f in _insert_fields()]


@functools.cache
def _spend_and_insert_sql(alias: str) -> str:
    """PostgreSQL: the spend, and the INSERT of one row per counter it spent on
    (one or none). The answer is one row: the new id (or NULL), and the
    counter's zone as it was before (NULL: no counter yet). Built once per
    database: every upload runs it."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(Submission._meta.db_table)
    counters = quote(QuotaCounter._meta.db_table)
    fields = _insert_fields()
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {table} ({columns}) SELECT {values} FROM spent RETURNING id"  # noqa: S608
    spend = f"WITH spent AS ({_spend_sql(connection)} RETURNING 1)"
    return (
        f"{spend}, inserted AS ({insert}) SELECT (SELECT id FROM inserted),"  # noqa: S608 - as above
        f" (SELECT zone FROM {counters} WHERE registration_id = %s AND phase_id = %s)"
    )


def _create_counter(*, registration: Registration, phase: Phase, now: datetime) -> None:
    """The team's counter for the phase, set from an exact count of its
    submissions that count (as ``selectors.quota_for`` counts them), unless
    one exists by now. No submission of the team can be counted half-way: a
    submission is inserted only by spending on a counter."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    counters = quote(QuotaCounter._meta.db_table)
    submissions = quote(Submission._meta.db_table)
    zone = phase.limit_zone
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {counters} (registration_id, phase_id, zone, day, used_today, used_total)"  # noqa: S608 - the models' tables; values are parameters
            " SELECT %s, %s, %s, %s, COUNT(*) FILTER (WHERE created_at >= %s), COUNT(*)"
            f" FROM {submissions} WHERE registration_id = %s AND phase_id = %s"
            " AND counts_against_quota ON CONFLICT (registration_id, phase_id) DO NOTHING",
            [
                registration.pk,
                phase.pk,
                zone.key,
                _local_day(phase, now, connection),
                rules.day_start(now, zone),
                registration.pk,
                phase.pk,
            ],
        )


def _spend_after_counting(*, registration: Registration, phase: Phase, now: datetime) -> None:
    """No counter yet, one kept in another zone, or a limit reached: count the
    submissions under the counter's row lock, refuse with the reason, or set
    the counter right and spend. A fast spend waiting on the lock sees the
    result; one that went before is counted (its commit released the lock)."""
    zone = phase.limit_zone
    QuotaCounter.objects.bulk_create(
        [QuotaCounter(registration_id=registration.pk, phase_id=phase.pk, zone="", day=now.date())],
        ignore_conflicts=True,
    )
    counter = QuotaCounter.objects.select_for_update().get(
        registration_id=registration.pk, phase_id=phase.pk
    )
    quota = selectors.quota_for(registration=registration, phase=phase, now=now)
    raise_if_any(rules.quota_violations(quota))
    counter.zone = zone.key
    counter.day = now.astimezone(zone).date()
    counter.used_today = quota.used_today + 1
    counter.used_total = quota.used_total + 1
    counter.save(update_fields=["zone", "day", "used_today", "used_total"])


def quota_give_back(*, submission_id: int) -> bool:
    """Give back what the submission spent (a cancellation, a failure caused by
    the platform): once, however often it is called. Call it in the
    transaction that changes the submission's status. True if it gave back."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("quota_give_back runs inside the status change's transaction")
    counted = Submission.objects.filter(pk=submission_id, counts_against_quota=True)
    row = counted.values(
        "registration_id", "phase_id", "phase__limit_time_zone", "created_at"
    ).first()
    # The UPDATE waits for a concurrent give-back and then finds nothing to do.
    if row is None or not counted.update(counts_against_quota=False):
        return False
    zone = row["phase__limit_time_zone"]
    day = row["created_at"].astimezone(zoneinfo.ZoneInfo(zone)).date()
    QuotaCounter.objects.filter(
        registration_id=row["registration_id"], phase_id=row["phase_id"]
    ).update(
        used_total=Greatest(F("used_total") - 1, Value(0), output_field=PositiveIntegerField()),
        used_today=Case(
            When(day=day, zone=zone, used_today__gt=0, then=F("used_today") - 1),
            default=F("used_today"),
            output_field=PositiveIntegerField(),
        ),
    )
    return True
