"""Conflict rules: every reason, with its stable code."""

from judging.conflicts import (
    SAME_EMAIL_DOMAIN,
    SAME_ORGANISATION,
    SHARED_NATIONALITY,
    TEAM_MEMBER,
    ConflictPolicy,
    JudgeFacts,
    NationalityRule,
    SpreadLimit,
    TeamFacts,
    conflict_reasons,
    conflicts_of,
    institution,
    nationality_spread,
)

TEAM = TeamFacts(
    team_id=7,
    member_user_ids=frozenset({100, 101}),
    organisation_ids=frozenset({3}),
    emails=frozenset({"lan@hust.edu.vn", "wei@qq.com"}),
    nationalities=frozenset({"VN", "CN"}),
)


NO_RULES = ConflictPolicy()


def codes(judge, team=TEAM, policy=NO_RULES):
    return [r.code for r in conflict_reasons(judge, team, policy)]


def test_an_unrelated_judge_has_no_conflict():
    assert codes(JudgeFacts(user_id=1, organisation_id=9, email="a@nus.edu.sg")) == []


def test_same_organisation():
    assert codes(JudgeFacts(user_id=1, organisation_id=3)) == [SAME_ORGANISATION]


def test_same_institutional_domain_including_subdomains():
    reasons = conflict_reasons(JudgeFacts(user_id=1, email="Prof@HUST.edu.vn"), TEAM)
    assert [r.code for r in reasons] == [SAME_EMAIL_DOMAIN]
    assert reasons[0].params == {"judge_domain": "hust.edu.vn", "member_domain": "hust.edu.vn"}
    assert "hust.edu.vn" in reasons[0].message
    assert codes(JudgeFacts(user_id=1, email="x@soict.hust.edu.vn")) == [SAME_EMAIL_DOMAIN]
    # A neighbour under the same national suffix is another institution.
    assert codes(JudgeFacts(user_id=1, email="x@vnu.edu.vn")) == []


def test_webmail_domains_are_ignored_and_more_can_be_added():
    assert codes(JudgeFacts(user_id=1, email="judge@qq.com")) == []
    team = TeamFacts(team_id=8, emails=frozenset({"a@corp-mail.cn"}))
    judge = JudgeFacts(user_id=1, email="b@corp-mail.cn")
    assert codes(judge, team) == [SAME_EMAIL_DOMAIN]
    policy = ConflictPolicy(extra_webmail=frozenset({"corp-mail.cn"}))
    assert codes(judge, team, policy) == []
    for domain in ("163.com", "126.com", "foxmail.com", "gmail.com", "outlook.com"):
        assert institution(domain) is None


def test_alias_table_maps_several_domains_to_one_institution():
    policy = ConflictPolicy(
        domain_aliases={"tsinghua.edu.cn": "thu", "mails.tsinghua.edu.cn": "thu"}
    )
    team = TeamFacts(team_id=8, emails=frozenset({"s@mails.tsinghua.edu.cn"}))
    assert codes(JudgeFacts(user_id=1, email="p@tsinghua.edu.cn"), team) == [SAME_EMAIL_DOMAIN]
    assert codes(JudgeFacts(user_id=1, email="p@cs.tsinghua.edu.cn"), team, policy) == [
        SAME_EMAIL_DOMAIN
    ]
    other = ConflictPolicy(domain_aliases={"sjtu.edu.cn": "sjtu", "sjtu.org": "sjtu"})
    team = TeamFacts(team_id=8, emails=frozenset({"s@sjtu.edu.cn"}))
    assert codes(JudgeFacts(user_id=1, email="p@sjtu.org"), team) == []
    assert codes(JudgeFacts(user_id=1, email="p@sjtu.org"), team, other) == [SAME_EMAIL_DOMAIN]


def test_current_or_past_member_of_the_team():
    assert codes(JudgeFacts(user_id=100)) == [TEAM_MEMBER]
    assert codes(JudgeFacts(user_id=55, team_ids=frozenset({7}))) == [TEAM_MEMBER]


def test_nationality_rule_none_forbids_nothing_and_no_shared_country_forbids():
    judge = JudgeFacts(user_id=1, nationality="VN")
    assert codes(judge) == []
    policy = ConflictPolicy(nationality_rule=NationalityRule.NO_SHARED_COUNTRY)
    reasons = conflict_reasons(judge, TEAM, policy)
    assert [r.code for r in reasons] == [SHARED_NATIONALITY]
    assert reasons[0].detail == "VN"
    assert codes(JudgeFacts(user_id=1, nationality="TH"), TEAM, policy) == []


def test_at_most_k_is_a_panel_limit_not_a_conflict():
    policy = ConflictPolicy(nationality_rule=NationalityRule.AT_MOST_K, nationality_limit=1)
    assert codes(JudgeFacts(user_id=1, nationality="VN"), TEAM, policy) == []
    assert nationality_spread(TEAM, policy) == (SpreadLimit("CN", 1), SpreadLimit("VN", 1))
    assert nationality_spread(TEAM, ConflictPolicy()) == ()


def test_every_reason_is_returned():
    judge = JudgeFacts(user_id=100, organisation_id=3, email="x@hust.edu.vn", nationality="CN")
    policy = ConflictPolicy(nationality_rule=NationalityRule.NO_SHARED_COUNTRY)
    assert codes(judge, TEAM, policy) == [
        SAME_ORGANISATION,
        SAME_EMAIL_DOMAIN,
        TEAM_MEMBER,
        SHARED_NATIONALITY,
    ]


def test_conflicts_of_lists_only_conflicted_pairs():
    judges = [JudgeFacts(user_id=1, organisation_id=3), JudgeFacts(user_id=2)]
    found = conflicts_of(judges, [TEAM])
    assert list(found) == [(7, 1)]
