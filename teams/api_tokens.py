"""Requests signed with a personal API token that also need the user's registration."""

from django.db import connections, router
from rest_framework.authtoken.models import Token

from league.authentication import TokenAuthentication
from league.models import User
from teams.models import Membership, Registration

# The registration's fields an intake reads; the others load if asked for.
_REGISTRATION_FIELDS = ("id", "team_id", "status", "rejection_reason")


def token_with_registration(*, key: str, challenge_id: int) -> tuple[Token, Registration | None]:
    """The token of ``key`` with its user, and the registration in this
    challenge of the user's team (None for outsiders), in one query: an upload
    burst reads them on every request. Raises ``Token.DoesNotExist``.

    The same registration as ``teams.selectors.registration_of_user``; only the
    fields an intake reads are loaded, the others when first read. The query is
    written out: the ORM's compilation of it cost more CPU than running it."""
    using = router.db_for_read(User)
    users = list(User.objects.db_manager(using).raw(_sql(using), [challenge_id, key]))
    if not users:
        raise Token.DoesNotExist
    user = users[0]
    token = Token.from_db(using, ["key", "user_id"], [key, user.pk])
    token.user = user
    if user.registration_id is None:
        return token, None
    values = {"challenge_id": challenge_id}
    values |= {name: getattr(user, f"registration_{name}") for name in _REGISTRATION_FIELDS}
    wanted = [f for f in Registration._meta.concrete_fields if f.attname in values]
    registration = Registration.from_db(
        using, [f.attname for f in wanted], [values[f.attname] for f in wanted]
    )
    return token, registration


def _sql(using: str) -> str:
    quote = connections[using].ops.quote_name
    user, token = quote(User._meta.db_table), quote(Token._meta.db_table)
    registration = quote(Registration._meta.db_table)
    membership = quote(Membership._meta.db_table)
    fields = ", ".join(f"r.{quote(name)} AS registration_{name}" for name in _REGISTRATION_FIELDS)
    # Names from the models, values as parameters. A person is in at most one
    # team per challenge; else the newest registration, as its ordering reads it.
    return (
        f"SELECT u.*, {fields} FROM {token} t JOIN {user} u ON u.id = t.user_id"  # noqa: S608
        f" LEFT JOIN ({membership} m JOIN {registration} r"
        " ON r.team_id = m.team_id AND r.challenge_id = %s) ON m.user_id = u.id"
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
