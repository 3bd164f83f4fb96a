"""Factories of the judging app."""

from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from judging import services
from judging.models import Assignment, ChallengeJudging, Entry, Judge, StandingsSnapshot
from judging.services import CriterionSpec
from league.accounts import JUDGES
from tests.factories.league import ChallengeFactory, UserFactory
from tests.factories.submissions import PackageVersionFactory

__all__ = [
    "AssignmentFactory",
    "ChallengeJudgingFactory",
    "EntryFactory",
    "JudgeFactory",
    "StandingsSnapshotFactory",
    "rubric_for",
]


class JudgeFactory(factory.django.DjangoModelFactory):
    """A judge as organizers set one up: staff, in the Judges group, with a Judge row."""

    class Meta:
        model = Judge
        skip_postgeneration_save = True

    # An e-mail domain of their own: sharing participants' would be a conflict.
    user = factory.SubFactory(
        UserFactory,
        is_staff=True,
        username=factory.Sequence(lambda n: f"judge{n}@panel{n}.example"),
    )
    display_name = factory.Sequence(lambda n: f"Judge {n}")
    country = "SG"
    load_cap = 10

    @factory.post_generation
    def in_group(judge, create, extracted, **kwargs):
        if create and extracted is not False:
            judge.user.groups.add(Group.objects.get(name=JUDGES))


class ChallengeJudgingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeJudging
        django_get_or_create = ("challenge",)

    challenge = factory.SubFactory(ChallengeFactory, evaluation_mode="review")
    blind = True
    judges_per_entry = 2


class EntryFactory(factory.django.DjangoModelFactory):
    """An entry of a review challenge with a saved package version (a real PDF)."""

    class Meta:
        model = Entry

    class Params:
        version = factory.SubFactory(PackageVersionFactory)

    package = factory.LazyAttribute(lambda o: o.version.package)
    registration = factory.LazyAttribute(lambda o: o.package.registration)
    phase = factory.LazyAttribute(lambda o: o.package.phase)
    challenge = factory.LazyAttribute(lambda o: o.package.phase.challenge)
    code = factory.Sequence(lambda n: f"II-{n:04d}")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    judge = factory.SubFactory(JudgeFactory)
    entry = factory.SubFactory(EntryFactory)


def rubric_for(challenge, weights=("0.6", "0.4")):
    """A challenge's own rubric: criteria ``C1``, ``C2``... scored 1–5, with
    anchored levels."""
    return services.rubric_set(
        challenge=challenge,
        criteria=[
            CriterionSpec(
                name=f"C{i}",
                weight=Decimal(w),
                levels={1: f"C{i} poor", 3: f"C{i} solid", 5: f"C{i} outstanding"},
            )
            for i, w in enumerate(weights, start=1)
        ],
    )


class StandingsSnapshotFactory(factory.django.DjangoModelFactory):
    """A published version of a challenge's standings with one row and
    small stored files (tests of the service publish for real)."""

    class Meta:
        model = StandingsSnapshot

    challenge = factory.SubFactory(ChallengeFactory)
    version = 1
    inputs_sha256 = "0" * 64
    method_version = "blend-1"
    method = factory.LazyFunction(
        lambda: {"normalisation": "rank", "judged_min": 0, "judged_max": 1}
    )
    weights = factory.LazyFunction(lambda: [1.0, 0.0])
    rows = factory.LazyFunction(list)
    same_inputs_as_previous = False
    csv_file = factory.django.FileField(filename="standings.csv", data=b"\xef\xbb\xbfRank\r\n")
    csv_sha256 = factory.LazyAttribute(lambda o: _sha256(o.csv_file))
    xlsx_file = factory.django.FileField(filename="standings.xlsx", data=b"PK")
    xlsx_sha256 = factory.LazyAttribute(lambda o: _sha256(o.xlsx_file))
    json_file = factory.django.FileField(filename="standings.json", data=b"{}")
    json_sha256 = factory.LazyAttribute(lambda o: _sha256(o.json_file))


def _sha256(field) -> str:
    import hashlib

    field.open("rb")
    field.seek(0)
    digest = hashlib.sha256(field.read()).hexdigest()
    field.seek(0)
    return digest
