"""The pure team rules, as a table of compositions and verdicts (no database)."""

from decimal import Decimal

import pytest
from django_countries.data import COUNTRIES

from league.models import OrganisationType, ParticipantType, Region, RegionBasis
from league.reference_data import default_region
from teams import rules
from teams.rules import MemberFacts, TrackRules

TABLE = rules.RegionTable(
    regions={code: default_region(code) for code in COUNTRIES},
    names={code: str(name) for code, name in COUNTRIES.items()},
)


def people(*countries, residence=None, **fields):
    """Members with these nationalities (``"TH/MY"``: Thai living in Malaysia)."""
    members = []
    for i, spec in enumerate(countries):
        nationality, _, lives_in = spec.partition("/")
        members.append(
            MemberFacts(
                user_id=i + 1,
                nationality=nationality,
                residence=lives_in or residence or nationality,
                participant_type=fields.get("participant_type", ParticipantType.UNIVERSITY),
                organisation_type=fields.get("organisation_type", OrganisationType.UNIVERSITY),
                display_name=f"P{i + 1}",
            )
        )
    return members


CROSS_BORDER = TrackRules(min_members=2, max_members=6, cross_border_required=True)
NO_OTHERS = TrackRules(min_members=1, max_members=5, max_other_region_members=0)
ONE_OTHER = TrackRules(min_members=1, max_members=5, max_other_region_members=1)
SHARE_75 = TrackRules(min_members=1, max_members=6, max_country_share=Decimal("0.75"))
TALENT = TrackRules(min_members=1, max_members=3, allows_individual_entries=True)
NO_INDIVIDUALS = TrackRules(min_members=1, max_members=3, allows_individual_entries=False)
BY_RESIDENCE = TrackRules(
    min_members=2, max_members=4, cross_border_required=True, region_basis=RegionBasis.RESIDENCE
)
STUDENTS_ONLY = TrackRules(
    allows_individual_entries=True,
    allowed_participant_types=(ParticipantType.UNIVERSITY, ParticipantType.INDIVIDUAL_DEVELOPER),
)
NO_COMPANIES = TrackRules(
    allows_individual_entries=True, allowed_organisation_types=(OrganisationType.UNIVERSITY,)
)

CASES = [
    # (description, members, track, expected violation codes)
    ("China and Thailand are cross-border", people("CN", "TH"), CROSS_BORDER, []),
    ("Timor-Leste counts as ASEAN", people("CN", "TL"), CROSS_BORDER, []),
    ("Hong Kong counts as China", people("HK", "VN"), CROSS_BORDER, []),
    ("Macao counts as China", people("MO", "ID"), CROSS_BORDER, []),
    (
        "two Singaporeans are not cross-border",
        people("SG", "SG"),
        CROSS_BORDER,
        ["cross_border_needs_china"],
    ),
    (
        "two Chinese are not cross-border",
        people("CN", "CN"),
        CROSS_BORDER,
        ["cross_border_needs_asean"],
    ),
    (
        "a German and a Japanese are neither",
        people("DE", "JP"),
        CROSS_BORDER,
        ["cross_border_needs_china", "cross_border_needs_asean"],
    ),
    (
        "one member is too few",
        people("CN"),
        CROSS_BORDER,
        ["too_few_members", "cross_border_needs_asean"],
    ),
    (
        "seven members are too many",
        people("CN", "TH", "CN", "TH", "CN", "TH", "MY"),
        CROSS_BORDER,
        ["too_many_members"],
    ),
    (
        "a member from Other where the track forbids it",
        people("CN", "US"),
        NO_OTHERS,
        ["too_many_other_region"],
    ),
    ("one member from Other where one is allowed", people("CN", "US"), ONE_OTHER, []),
    (
        "two from Other where one is allowed",
        people("CN", "US", "FR"),
        ONE_OTHER,
        ["too_many_other_region"],
    ),
    ("a one-person entry in talent discovery", people("TH"), TALENT, []),
    (
        "a one-person entry where the track wants teams",
        people("TH"),
        NO_INDIVIDUALS,
        ["individual_entry_not_allowed"],
    ),
    ("3 of 4 from one country at a 75% cap", people("CN", "CN", "CN", "TH"), SHARE_75, []),
    (
        "4 of 5 from one country at a 75% cap",
        people("CN", "CN", "CN", "CN", "TH"),
        SHARE_75,
        ["country_share_exceeded"],
    ),
    (
        "2 of 2 from one country at a 75% cap",
        people("VN", "VN"),
        SHARE_75,
        ["country_share_exceeded"],
    ),
    (
        "a Chinese living in Kuala Lumpur counts as ASEAN by residence",
        people("CN/MY", "CN"),
        BY_RESIDENCE,
        [],
    ),
    (
        "two Chinese living in China are not cross-border by residence",
        people("CN", "CN"),
        BY_RESIDENCE,
        ["cross_border_needs_asean"],
    ),
    (
        "a Thai living in Shanghai counts as China by residence",
        people("TH/CN", "TH/CN"),
        BY_RESIDENCE,
        ["cross_border_needs_asean"],
    ),
    (
        "a company employee where only students enter",
        people("CN", participant_type=ParticipantType.COMPANY_EMPLOYEE),
        STUDENTS_ONLY,
        ["participant_type_not_allowed"],
    ),
    (
        "a company member where only universities enter",
        people("CN", organisation_type=OrganisationType.COMPANY),
        NO_COMPANIES,
        ["organisation_type_not_allowed"],
    ),
]


@pytest.mark.parametrize(
    ("members", "track", "expected"),
    [pytest.param(m, t, e, id=d) for d, m, t, e in CASES],
)
def test_team_violations(members, track, expected):
    found = rules.team_violations(members=members, table=TABLE, track=track)
    assert sorted(v.code for v in found) == sorted(expected)


def test_every_broken_rule_is_reported_not_only_the_first():
    track = TrackRules(
        min_members=2,
        max_members=2,
        cross_border_required=True,
        max_other_region_members=0,
        max_country_share=Decimal("0.5"),
        allowed_participant_types=(ParticipantType.RESEARCHER,),
    )
    members = people("US", "US", "US")
    codes = {v.code for v in rules.team_violations(members=members, table=TABLE, track=track)}
    assert codes == {
        "too_many_members",
        "cross_border_needs_china",
        "cross_border_needs_asean",
        "too_many_other_region",
        "country_share_exceeded",
        "participant_type_not_allowed",
    }


def test_cross_border_message_lists_the_asean_states_from_the_table():
    found = rules.team_violations(members=people("CN", "CN"), table=TABLE, track=CROSS_BORDER)
    message = str(found[0].message)
    assert message.startswith("Add a member from an ASEAN member state (")
    for name in (
        "Brunei",
        "Cambodia",
        "Indonesia",
        "Malaysia",
        "Myanmar",
        "Philippines",
        "Singapore",
        "Thailand",
        "Timor-Leste",
    ):
        assert name in message
    assert "China" not in message


def test_a_change_of_the_region_table_changes_the_verdict():
    members = people("CN", "JP")
    assert rules.team_violations(members=members, table=TABLE, track=CROSS_BORDER)
    edited = rules.RegionTable(regions={**TABLE.regions, "JP": Region.ASEAN}, names=TABLE.names)
    assert rules.team_violations(members=members, table=edited, track=CROSS_BORDER) == []


def test_country_share_is_exact_at_the_edge():
    # 3 of 5 = 0.6 exactly: allowed at 0.60, refused at 0.59.
    members = people("CN", "CN", "CN", "TH", "MY")
    allowed = TrackRules(max_members=5, max_country_share=Decimal("0.60"))
    refused = TrackRules(max_members=5, max_country_share=Decimal("0.59"))
    assert rules.team_violations(members=members, table=TABLE, track=allowed) == []
    assert [v.code for v in rules.team_violations(members=members, table=TABLE, track=refused)] == [
        "country_share_exceeded"
    ]


def test_people_in_too_many_teams():
    busy = MemberFacts(
        user_id=7,
        nationality="CN",
        residence="CN",
        participant_type=ParticipantType.UNIVERSITY,
        other_teams_in_challenge=1,
        other_teams_in_track=1,
    )
    track = TrackRules(
        allows_individual_entries=True,
        teams_per_person_per_challenge=1,
        teams_per_person_in_track=1,
    )
    codes = [v.code for v in rules.team_violations(members=[busy], table=TABLE, track=track)]
    assert codes == ["person_teams_per_challenge", "person_teams_in_track"]
    roomy = TrackRules(allows_individual_entries=True, teams_per_person_per_challenge=2)
    assert rules.team_violations(members=[busy], table=TABLE, track=roomy) == []


def test_the_checklist_names_every_rule_and_the_basis():
    checks = rules.team_checklist(members=people("CN", "TH"), table=TABLE, track=BY_RESIDENCE)
    assert [c.code for c in checks][:2] == ["team_size", "cross_border"]
    assert all(c.passed for c in checks)
    assert "residence" in str(rules.basis_label(BY_RESIDENCE.region_basis))
    assert "nationality" in str(rules.basis_label(RegionBasis.NATIONALITY))


def test_new_violations_lets_a_team_already_short_change_without_getting_worse():
    track = TrackRules(min_members=3, max_members=5, cross_border_required=True)
    before = rules.team_violations(members=people("CN", "TH"), table=TABLE, track=track)
    after = rules.team_violations(members=people("CN", "TH", "MY"), table=TABLE, track=track)
    assert rules.new_violations(before, after) == []
    worse = rules.team_violations(members=people("CN", "CN"), table=TABLE, track=track)
    assert [v.code for v in rules.new_violations(before, worse)] == ["cross_border_needs_asean"]


# ---------------------------------------------------------------- messages a user can act on


def _messages(members, track):
    found = rules.team_violations(members=members, table=TABLE, track=track)
    return [str(v.message) for v in found]


def test_too_many_from_elsewhere_names_the_members_and_the_remedy():
    [message] = _messages(people("CN", "US", "FR"), ONE_OTHER)
    assert message == (
        "At most 1 member may come from outside China and ASEAN; the team has 2: "
        "P2 (United States of America), P3 (France). Replace 1 of them with members from "
        "China or ASEAN."
    )
    [only] = _messages(people("CN", "US"), NO_OTHERS)
    assert "P2 (United States of America) counts as from elsewhere" in only
    assert "Replace this member with one from China or ASEAN." in only


def test_too_many_from_elsewhere_names_the_country_of_the_tracks_basis():
    track = TrackRules(max_other_region_members=0, region_basis=RegionBasis.RESIDENCE)
    [message] = _messages(people("CN/US", "TH"), track)
    assert "P1 (United States of America)" in message


def test_a_person_in_another_team_is_told_to_leave_it_by_name():
    busy = MemberFacts(
        user_id=7,
        nationality="CN",
        residence="CN",
        participant_type=ParticipantType.UNIVERSITY,
        display_name="Li Wei",
        other_teams_in_challenge=1,
        other_team_names_in_challenge=("Mekong Minds",),
    )
    track = TrackRules(allows_individual_entries=True)
    [message] = _messages([busy], track)
    assert message == (
        "Li Wei is already in another team in this challenge (Mekong Minds); a person may be "
        "in at most 1. Li Wei must leave Mekong Minds before joining this entry, or leave "
        "this team."
    )


def test_an_organisation_type_not_open_points_to_the_profile_field():
    [message] = _messages(people("CN", organisation_type=OrganisationType.COMPANY), NO_COMPANIES)
    assert message.startswith(
        "P1's organisation type (Company) is not open in this track; it takes only: University."
    )
    assert "choose it under “Organisation” in their profile" in message


def test_a_one_person_team_sees_the_real_rule_when_the_track_takes_no_individuals():
    [size] = [
        c
        for c in rules.team_checklist(members=people("TH"), table=TABLE, track=NO_INDIVIDUALS)
        if c.code == "team_size"
    ]
    assert not size.passed
    assert str(size.label) == "Between 2 and 3 members (this track takes no individual entries)"
    assert [v.code for v in size.violations] == ["individual_entry_not_allowed"]
    [teams] = [
        c
        for c in rules.team_checklist(members=people("TH"), table=TABLE, track=TALENT)
        if c.code == "team_size"
    ]
    assert str(teams.label) == "Between 1 and 3 members"


def test_the_messages_read_naturally_in_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        [other] = _messages(people("CN", "US", "FR"), ONE_OTHER)
        [organisation] = _messages(
            people("CN", organisation_type=OrganisationType.COMPANY), NO_COMPANIES
        )
        [size] = [
            str(c.label)
            for c in rules.team_checklist(members=people("TH"), table=TABLE, track=NO_INDIVIDUALS)
            if c.code == "team_size"
        ]
    assert other == (
        "本赛道最多允许 1 名成员来自中国和东盟以外；本队有 2 名：P2 (United States of "
        "America), P3 (France)。请将其中 1 名换成来自中国或东盟的成员。"
    )
    assert "请在个人资料的“机构”一栏中选择该机构" in organisation
    assert size == "成员 2 至 3 人（本赛道不接受个人参赛）"


def test_a_team_over_a_lowered_limit_may_shrink_but_not_grow():
    track = TrackRules(min_members=1, max_members=2)
    four = rules.team_violations(members=people("CN", "TH", "MY", "VN"), table=TABLE, track=track)
    three = rules.team_violations(members=people("CN", "TH", "MY"), table=TABLE, track=track)
    five = rules.team_violations(
        members=people("CN", "TH", "MY", "VN", "SG"), table=TABLE, track=track
    )
    assert rules.new_violations(four, three) == []
    assert [v.code for v in rules.new_violations(four, five)] == ["too_many_members"]
