import pytest

from teams.models import Membership
from tests.factories import (
    AssignmentFactory,
    ChallengeFactory,
    ChallengeJudgingFactory,
    EntryFactory,
    JudgeFactory,
    OrganisationFactory,
    PackageVersionFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    TeamFactory,
    rubric_for,
)


@pytest.fixture
def blind_entry(db):
    return build_blind_entry()


def build_blind_entry() -> dict:
    """An entry of a blind review challenge by a team with recognisable
    names everywhere, assigned to two judges, with a two-criterion rubric.
    ``identifying`` lists every string a judge must never see."""
    challenge = ChallengeFactory(evaluation_mode="review", title="Battery line review")
    ChallengeJudgingFactory(challenge=challenge, blind=True)
    organisation = OrganisationFactory(name="Zhuang Robotics Institute", country="TH")
    captain = ProfileFactory(
        display_name="Somchai Kittikorn",
        nationality="TH",
        organisation=organisation,
        user__username="somchai@zhuang-robotics.example",
        user__email="somchai@zhuang-robotics.example",
    ).user
    team = TeamFactory(name="Mekong Sparks", captain=captain)
    member = ProfileFactory(display_name="Li Wenjing", nationality="VN").user
    Membership.objects.create(team=team, user=member)
    registration = RegistrationFactory(team=team, challenge=challenge)
    phase = PhaseFactory(challenge=challenge)
    version = PackageVersionFactory(
        package__registration=registration,
        package__phase=phase,
        proposal_name="Mekong-Sparks-proposal.pdf",
        team_roles="Somchai Kittikorn leads; Li Wenjing trains the model.",
    )
    entry = EntryFactory(version=version, code="II-7F3K")
    criteria = rubric_for(challenge)
    judge = AssignmentFactory(entry=entry).judge
    other = AssignmentFactory(entry=entry).judge
    member_profile = member.profile
    return {
        "entry": entry,
        "judge": judge,
        "other_judge": other,
        "criteria": criteria,
        "team": team,
        "identifying": [
            "Mekong Sparks",
            "Somchai Kittikorn",
            "Li Wenjing",
            "Zhuang Robotics",
            member_profile.organisation.name,
            "somchai@zhuang-robotics.example",
            member.email,
            "Thailand",
            "Viet Nam",
            "Vietnam",
        ],
    }


@pytest.fixture
def judge_client(client, blind_entry):
    client.force_login(blind_entry["judge"].user)
    return client


@pytest.fixture
def unassigned_judge(db):
    return JudgeFactory()
