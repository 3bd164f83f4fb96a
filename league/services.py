"""Writes of the league app."""

from django.db import transaction

from league.models import User


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    user.time_zone = time_zone
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user
