"""Requests signed with a personal API token that also need the user's registration."""

import functools
from dataclasses import dataclass

from django.db import connections, router
from rest_framework.authtoken.models import Token

from league.authentication import TokenAuthentication
from league.db import execute_prepared
from league.models import User
from teams.models import Membership, Registration

# The registration's fields an intake reads; the others load if asked for.
_REGISTRATION_FIELDS = ("id", "team_id", "status", "rejection_reason")


@dataclass(frozen=True)
class Beside:
    """A row of a downstream app read beside the registration, in the same
    query: ``table`` LEFT JOINed where ``on`` holds (``r`` names the
    registration, ``b`` the row; ``params`` fill its placeholders), and its
    ``columns`` read. The first column must never be NULL in a row: NULL
    there means no row."""

    table: str
    on: str
    columns: tuple[str, ...]
    params: tuple = ()


def token_with_registration(*, key: str, challenge_id: int) -> tuple[Token, Registration | None]:
    """The token with its user, and the user's registration in the challenge
    (None for outsiders), in one query. See ``token_with_registration_and``."""
    token, registration, _ = token_with_registration_and(key=key, challenge_id=challenge_id)
    return token, registration


def token_with_registration_and(
    *, key: str, challenge_id: int, beside: Beside | None = None
) -> tuple[Token, Registration | None, dict | None]:
    """The token of ``key`` with its user, and the registration in this
    challenge of the user's team (None for outsiders), in one query: an upload
    burst reads them on every request. Raises ``Token.DoesNotExist``.

    The same registration as ``teams.selectors.registration_of_user``; only the
    fields an intake reads are loaded, the others when first read. The query is
    written out: the ORM's compilation of it cost more CPU than running it.
    With ``beside``: also that row's columns (None when there is no row)."""
    using = router.db_for_read(User)
    params = [challenge_id, *(beside.params if beside else ()), key]
    user_fields = _user_fields()
    shape = None if beside is None else (beside.table, beside.on, beside.columns)
    connection = connections[using]
    with connection.cursor() as cursor:
        execute_prepared(cursor, _sql(using, shape), params)
        row = cursor.fetchone()
    if row is None:
        raise Token.DoesNotExist
    user = User.from_db(using, user_fields, _from_db(connection, row[: len(user_fields)]))
    rest = row[len(user_fields) :]
    token = Token.from_db(using, ["key", "user_id"], [key, user.pk])
    token.user = user
    if rest[0] is None:  # no registration
        return token, None, None
    values = dict(zip(_REGISTRATION_FIELDS, rest, strict=False), challenge_id=challenge_id)
    wanted = [f for f in Registration._meta.concrete_fields if f.attname in values]
    registration = Registration.from_db(
        using, [f.attname for f in wanted], [values[f.attname] for f in wanted]
    )
    found = None
    if beside is not None and rest[len(_REGISTRATION_FIELDS)] is not None:
        found = dict(zip(beside.columns, rest[len(_REGISTRATION_FIELDS) :], strict=True))
    return token, registration, found


def _user_fields() -> list[str]:
    return [f.attname for f in User._meta.concrete_fields]


@functools.cache
def _converters(connection) -> tuple:
    """The user's columns that need converting on this connection (SQLite's
    dates and booleans), with their converters: worked out once per connection."""
    found = []
    for index, field in enumerate(User._meta.concrete_fields):
        column = field.get_col(User._meta.db_table)
        converters = connection.ops.get_db_converters(column)
        converters += column.get_db_converters(connection)
        if converters:
            found.append((index, column, tuple(converters)))
    return tuple(found)


def _from_db(connection, values) -> list:
    """The user's values as the ORM would read them."""
    values = list(values)
    for index, column, converters in _converters(connection):
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    return values


@functools.cache
def _sql(using: str, beside: tuple | None) -> str:
    """The query, built once per database and shape of ``Beside`` (table,
    condition, columns): every upload runs it."""
    quote = connections[using].ops.quote_name
    user, token = quote(User._meta.db_table), quote(Token._meta.db_table)
    registration = quote(Registration._meta.db_table)
    membership = quote(Membership._meta.db_table)
    columns = [f"u.{quote(name)}" for name in _user_fields()]
    columns += [f"r.{quote(name)}" for name in _REGISTRATION_FIELDS]
    joined = ""
    if beside is not None:
        table, on, beside_columns = beside
        columns += [f"b.{quote(name)}" for name in beside_columns]
        joined = f" LEFT JOIN {quote(table)} b ON {on}"
    # Names from the models, values as parameters. A person is in at most one
    # team per challenge; else the newest registration, as its ordering reads it.
    return (
        f"SELECT {', '.join(columns)} FROM {token} t JOIN {user} u ON u.id = t.user_id"  # noqa: S608
        f" LEFT JOIN ({membership} m JOIN {registration} r"
        f" ON r.team_id = m.team_id AND r.challenge_id = %s) ON m.user_id = u.id{joined}"
        " WHERE t.key = %s ORDER BY r.created_at DESC LIMIT 1"
    )


class RegistrationTokenAuthentication(TokenAuthentication):
    """The project's token authentication that reads, in the same query, the
    user's registration in one challenge (``registration`` once it succeeded).
    A refused token is looked up again the usual way, for the usual answer."""

    def __init__(self, *, challenge_id: int):
        self.challenge_id = challenge_id
        self.registration: Registration | None = None

    def authenticate_credentials(self, key):
        try:
            token, registration = token_with_registration(key=key, challenge_id=self.challenge_id)
        except Token.DoesNotExist:
            return super().authenticate_credentials(key)
        if not token.user.is_active:
            return super().authenticate_credentials(key)
        self.registration = registration
        return token.user, token
