"""Writes of the league app."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from league.models import User


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    user.time_zone = time_zone
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """A new personal API token, replacing any earlier one. The key is shown once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
