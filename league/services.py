"""Writes of the league app."""

import hashlib
import os

from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from rest_framework.authtoken.models import Token

from league import rules
from league.errors import raise_if_any
from league.models import Challenge, ChallengeFile, Phase, TermsAcceptance, User
from league.queue import publish

# Teams is downstream of league: its task is sent by name, never imported.
RECHECK_REGISTRATIONS_TASK = "teams.recheck_registrations"


@transaction.atomic
def user_set_time_zone(*, user: User, time_zone: str) -> User:
    user.time_zone = time_zone
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["time_zone"])
    return user


def user_set_mail_preferences(*, user: User, language: str, email_on_scored: bool) -> User:
    """The language of the site's e-mails to ``user`` (empty: the site's
    default; the form offers only the site's languages) and whether they hear
    of their scored or failed submissions."""
    user.language = language
    user.email_on_scored = email_on_scored
    user.save(update_fields=["language", "email_on_scored"])
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


def registrations_recheck_later(*, track_id: int | None = None) -> None:
    """Once the current transaction commits, have the teams app re-check the
    verified registrations (of one track, or all of them after a change of
    the country→region table). Never raises: with the broker down the change
    is saved anyway, and teams' hourly beat re-check catches up."""
    transaction.on_commit(lambda: _publish_recheck(track_id))


def _publish_recheck(track_id: int | None) -> bool:
    return publish(RECHECK_REGISTRATIONS_TASK, [], queue="default", kwargs={"track_id": track_id})


@transaction.atomic
def phase_reveal_private_scores(*, phase: Phase) -> bool:
    """Show participants the phase's private scores from now on, once its
    deadline has passed. False if they were already shown (nothing changes);
    an earlier scheduled reveal still in the future is brought forward.
    Lock contract: the Phase row.
    """
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    if locked.private_scores_visible:
        return False
    now = timezone.now()
    raise_if_any(rules.private_reveal_violations(closes_at=locked.closes_at, now=now))
    locked.private_revealed_at = now
    locked.save(update_fields=["private_revealed_at"])
    phase.private_revealed_at = now
    return True


@transaction.atomic
def phase_hide_private_scores(*, phase: Phase) -> bool:
    """Undo a reveal made by mistake (or cancel a scheduled one): private
    scores are hidden again until the next reveal. False if nothing was set.
    Whoever looked meanwhile has seen them; hiding cannot undo that.
    Lock contract: the Phase row.
    """
    locked = Phase.objects.select_for_update().get(pk=phase.pk)
    if locked.private_revealed_at is None:
        return False
    locked.private_revealed_at = None
    locked.save(update_fields=["private_revealed_at"])
    phase.private_revealed_at = None
    return True


def challenge_file_store(*, challenge_file: ChallengeFile, upload=None) -> ChallengeFile:
    """Save a data file's row; with a new ``upload``, its size, SHA-256 and
    download name come from the bytes (read chunk by chunk, never whole)."""
    if upload is not None:
        digest = hashlib.sha256()
        size = 0
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
        challenge_file.size = size
        challenge_file.sha256 = digest.hexdigest()
        challenge_file.updated_at = timezone.now()
        if not challenge_file.download_name:
            challenge_file.download_name = os.path.basename(upload.name or "")[:200]
    challenge_file.download_name = get_valid_filename(challenge_file.download_name or "data")
    challenge_file.save()
    return challenge_file


@transaction.atomic
def terms_accept(*, user: User, challenge: Challenge) -> TermsAcceptance:
    """Record that ``user`` accepted the challenge's terms (once: accepting
    again keeps the first time)."""
    acceptance, _ = TermsAcceptance.objects.get_or_create(user=user, challenge=challenge)
    return acceptance
