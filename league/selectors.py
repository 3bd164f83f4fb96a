"""Reads of the league's configuration."""

from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.authtoken.models import Token

from league.errors import NotFound
from league.models import Challenge, ChallengeFile, Phase, Season, TermsAcceptance, Track


def season_current(*, today=None) -> Season | None:
    """The season running today, else the next one, else the latest."""
    today = today or timezone.localdate()
    seasons = Season.objects.all()
    return (
        seasons.filter(starts_on__lte=today, ends_on__gte=today).order_by("-starts_on").first()
        or seasons.filter(starts_on__gt=today).order_by("starts_on").first()
        or seasons.order_by("-ends_on").first()
    )


def season_programme(*, season: Season) -> list[Track]:
    """The season's tracks, each with its challenges and their phases (3 queries)."""
    phases = Prefetch("phases", queryset=Phase.objects.order_by("opens_at"))
    challenges = Prefetch(
        "challenges",
        queryset=Challenge.objects.order_by("title").prefetch_related(phases),
    )
    return list(
        Track.objects.filter(season=season).order_by("order", "id").prefetch_related(challenges)
    )


def api_token_hint(*, user) -> str | None:
    """The first characters of the user's API token, or None without one."""
    key = Token.objects.filter(user=user).values_list("key", flat=True).first()
    return f"{key[:6]}…" if key else None


def challenge_get_by_slug(*, slug: str) -> Challenge:
    """A challenge with its track and season (one query); NotFound otherwise."""
    challenge = Challenge.objects.select_related("track__season").filter(slug=slug).first()
    if challenge is None:
        raise NotFound()
    return challenge


def challenge_phases(*, challenge: Challenge) -> list[Phase]:
    return list(challenge.phases.order_by("opens_at"))


def challenge_files(*, challenge: Challenge) -> list[ChallengeFile]:
    return list(ChallengeFile.objects.filter(challenge=challenge).order_by("order", "id"))


def challenge_file_get(*, challenge: Challenge, file_id: int) -> ChallengeFile:
    found = ChallengeFile.objects.filter(challenge=challenge, pk=file_id).first()
    if found is None:
        raise NotFound()
    return found


def terms_accepted_at(*, user, challenge: Challenge):
    """When ``user`` accepted the challenge's terms, or None."""
    if not user.is_authenticated:
        return None
    return (
        TermsAcceptance.objects.filter(user=user, challenge=challenge)
        .values_list("accepted_at", flat=True)
        .first()
    )
