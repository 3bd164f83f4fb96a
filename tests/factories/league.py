"""Factories of the league app."""

from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from league import services as league_services
from league.models import Challenge, ChallengeFile, FileKind, Phase, Season, Track, TrackKind, User

__all__ = [
    "PASSWORD",
    "ChallengeFactory",
    "PhaseFactory",
    "SeasonFactory",
    "TrackFactory",
    "UserFactory",
    "challenge_file",
]

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified primary e-mail address, able to log in."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create:
            user.save()
            EmailAddress.objects.get_or_create(
                user=user,
                email=user.email,
                defaults={"verified": extracted is not False, "primary": True},
            )


class EnglishContentFactory(factory.django.DjangoModelFactory):
    """Titles and names given to the factory are the English content, whichever
    language an earlier request left active."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with translation.override("en"):
            return super()._create(model_class, *args, **kwargs)


class SeasonFactory(EnglishContentFactory):
    class Meta:
        model = Season
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Season {2026 + n}")
    slug = factory.Sequence(lambda n: f"season-{2026 + n}")
    starts_on = factory.LazyFunction(lambda: timezone.now().date() - timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.now().date() + timedelta(days=90))


class TrackFactory(EnglishContentFactory):
    class Meta:
        model = Track

    season = factory.SubFactory(SeasonFactory)
    kind = TrackKind.BOTTLENECK_CHALLENGE
    name = factory.LazyAttribute(lambda t: TrackKind(t.kind).label)
    min_members = 1
    max_members = 5


class ChallengeFactory(EnglishContentFactory):
    class Meta:
        model = Challenge

    track = factory.SubFactory(TrackFactory)
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    title = factory.Sequence(lambda n: f"Challenge {n}")
    sponsor = "Nanning AI Lab"
    theme = "manufacturing"
    evaluation_mode = "prediction"
    metric = "accuracy"
    automated_weight = Decimal("1")
    judges_weight = Decimal("0")
    allowed_extensions = factory.LazyFunction(lambda: [".csv"])


class PhaseFactory(EnglishContentFactory):
    """An open phase by default: opened a day ago, closes in a week."""

    class Meta:
        model = Phase

    challenge = factory.SubFactory(ChallengeFactory)
    name = "Development"
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    daily_limit = 5
    total_limit = 50


def challenge_file(
    *,
    challenge: Challenge | None = None,
    content: bytes = b"id,feature,target\nt1,0.5,a\nt2,0.7,b\n",
    name: str = "train.csv",
    kind: str = FileKind.TRAINING,
    title: str = "Training set",
) -> ChallengeFile:
    """A data file stored as the organizers' admin stores one (size and SHA-256 computed)."""
    upload = ContentFile(content, name=name)
    with translation.override("en"):
        item = ChallengeFile(
            challenge=challenge or ChallengeFactory(), kind=kind, title=title, file=upload
        )
        return league_services.challenge_file_store(challenge_file=item, upload=upload)
