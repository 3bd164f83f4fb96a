"""The organizers' view of a challenge's judging: judged scores (checked
against hand arithmetic), the discussion list, agreement, and who may open
the dashboard."""

import pytest
from django.urls import reverse
from django.utils import translation

from judging import services, standings
from tests.factories import (
    AssignmentFactory,
    ChallengeJudgingFactory,
    EntryFactory,
    JudgeFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamFactory,
    rubric_for,
)

pytestmark = pytest.mark.django_db


def build_challenge(*, entries: int, judges: int, **judging):
    settings = ChallengeJudgingFactory(**judging)
    challenge = settings.challenge
    criteria = rubric_for(challenge)  # C1 weight 0.6, C2 weight 0.4, scored 1–5
    phase = PhaseFactory(challenge=challenge)
    built = [
        EntryFactory(
            version__package__phase=phase,
            version__package__registration=RegistrationFactory(
                challenge=challenge, team=TeamFactory(name=f"Team Lotus {n}")
            ),
            code=f"II-E{n}",
        )
        for n in range(1, entries + 1)
    ]
    panel = [JudgeFactory(display_name=f"Judge {chr(65 + n)}") for n in range(judges)]
    return challenge, criteria, built, panel


def review(judge, entry, criteria, c1, c2, *, submit=True):
    if not entry.assignments.filter(judge=judge).exists():
        AssignmentFactory(judge=judge, entry=entry)
    services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores={criteria[0].pk: c1, criteria[1].pk: c2},
        submit=submit,
    )


# Weighted totals (0.6 × C1 + 0.4 × C2); every cell but one has C1 = C2.
#            E1   E2   E3   E4
# Judge A     5    4    3   4.2  (C1 5, C2 3: 3.0 + 1.2)
# Judge B     3    2    1    2   (A's order, 2 lower: a harsh judge)
# Judge C     4    3    5    3
TOTALS = {
    "A": [(5, 5), (4, 4), (3, 3), (5, 3)],
    "B": [(3, 3), (2, 2), (1, 1), (2, 2)],
    "C": [(4, 4), (3, 3), (5, 5), (3, 3)],
}


@pytest.fixture
def scored():
    challenge, criteria, entries, judges = build_challenge(
        entries=4,
        judges=3,
        min_reviews_for_calibration=3,
        judged_score_method="calibrated",
        disagreement_range="2.5",
        disagreement_z="5",
    )
    for judge, name in zip(judges, "ABC", strict=True):
        for entry, (c1, c2) in zip(entries, TOTALS[name], strict=True):
            review(judge, entry, criteria, c1, c2)
    return challenge, entries, judges


def test_judged_scores_match_the_hand_arithmetic(scored, django_assert_max_num_queries):
    challenge, entries, _judges = scored
    with django_assert_max_num_queries(8):
        judged = standings.judging_of(challenge)
    e1, e2, e3, e4 = (judged.scores[e.pk] for e in entries)
    # Raw totals are kept as given: E4 by A is 0.6 × 5 + 0.4 × 3 = 4.2.
    assert [r.total for r in e4.reviews] == pytest.approx([4.2, 2, 3])
    # Raw means: E1 (5+3+4)/3 = 4, E4 (4.2+2+3)/3 = 3.0667.
    assert e1.raw_mean == pytest.approx(4.0)
    assert e4.raw_mean == pytest.approx(3.0667, abs=1e-4)
    # Overall: 12 totals, sum 39.2, mean 3.2667, sample SD 1.22796.
    assert judged.calibration.overall_mean == pytest.approx(3.2667, abs=1e-4)
    assert judged.calibration.overall_sd == pytest.approx(1.22796, abs=1e-4)
    # Judge B: mean 2, SD sqrt((1+0+1+0)/3) = 0.8165; E1 z = 1/0.8165 = 1.2247,
    # calibrated 3.2667 + 1.22796 × 1.2247 = 4.7706: the harsh judge's best is
    # worth as much as the lenient judge's best.
    assert e1.reviews[1].calibrated == pytest.approx(4.7706, abs=1e-4)
    # Judge A: mean 4.05, SD sqrt((0.9025+0.0025+1.1025+0.0225)/3) = 0.8226;
    # E1 z = 0.95/0.8226 = 1.1549 → 4.6848. Judge C: mean 3.75, SD 0.9574;
    # E1 z = 0.25/0.9574 = 0.2611 → 3.5873. Mean (4.6848+4.7706+3.5873)/3 = 4.3476.
    assert e1.calibrated_mean == pytest.approx(4.3476, abs=1e-4)
    assert e1.score == e1.calibrated_mean  # the challenge judges by the calibrated mean
    assert e2.calibrated_mean == pytest.approx(2.9211, abs=1e-4)
    assert e3.calibrated_mean == pytest.approx(2.7773, abs=1e-4)
    assert e4.calibrated_mean == pytest.approx(3.0207, abs=1e-4)
    assert e1.uncalibrated == 0
    assert e1.trimmed_mean is None  # 3 judges: nothing trimmed


def test_only_the_split_entry_goes_to_the_discussion_list(scored):
    challenge, _entries, _judges = scored
    judged = standings.judging_of(challenge)
    # Ranges: E1 5−3 = 2, E2 2, E3 5−1 = 4, E4 4.2−2 = 2.2; threshold 2.5.
    assert [s.code for s in judged.discussion] == ["II-E3"]
    assert judged.discussion[0].flags[0].code == "range"


def test_agreement_of_the_panel_comes_with_its_meaning(scored):
    challenge, _entries, _judges = scored
    (panel,) = standings.judging_of(challenge).agreement
    assert panel.judges == ["Judge A", "Judge B", "Judge C"]
    assert panel.entries == 4
    assert 0 <= panel.icc.value <= 1
    assert "how far the panel's average" in panel.icc.message
    assert "rank the entries" in panel.kendall.message


def test_judges_with_too_few_reviews_fall_back_to_their_raw_totals(scored):
    challenge, entries, _judges = scored
    challenge.judging.min_reviews_for_calibration = 5  # each judge has 4
    challenge.judging.save()
    judged = standings.judging_of(challenge)
    e1 = judged.scores[entries[0].pk]
    assert e1.uncalibrated == 3
    assert all(r.calibrated is None for r in e1.reviews)
    assert e1.calibrated_mean == pytest.approx(e1.raw_mean)
    assert judged.calibration.too_few_reviews == {j.pk: 4 for j in _judges}


def test_the_trimmed_mean_drops_the_highest_and_lowest_of_four_judges():
    challenge, criteria, (entry,), judges = build_challenge(
        entries=1, judges=4, judged_score_method="trimmed"
    )
    for judge, value in zip(judges, (1, 3, 4, 5), strict=True):
        review(judge, entry, criteria, value, value)
    score = standings.judged_scores(challenge)[entry.pk]
    assert score.raw_mean == pytest.approx(13 / 4)  # (1+3+4+5)/4
    assert score.trimmed_mean == pytest.approx(3.5)  # (3+4)/2
    assert score.score == pytest.approx(3.5)


def test_drafts_do_not_count():
    challenge, criteria, (entry,), (a, b) = build_challenge(entries=1, judges=2)
    review(a, entry, criteria, 5, 5)
    review(b, entry, criteria, 1, 1, submit=False)
    score = standings.judged_scores(challenge)[entry.pk]
    assert score.raw_mean == 5
    assert score.judges == 1


# ---------------------------------------------------------------- the dashboard


def dashboard_url(challenge):
    return reverse("admin:judging_challengejudging_dashboard", args=[challenge.judging.pk])


def test_organizers_see_progress_scores_and_team_names(organizer_client, scored):
    challenge, _entries, _judges = scored
    response = organizer_client.get(dashboard_url(challenge))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Team Lotus 3" in page  # organizers are not judges: names are shown
    assert "II-E3" in page
    assert "4.35" in page  # E1's calibrated mean, the judged score
    assert "Kendall" in page
    assert 'id="discussion"' in page
    change = organizer_client.get(
        reverse("admin:judging_challengejudging_change", args=[challenge.judging.pk])
    )
    assert dashboard_url(challenge) in change.content.decode()


def test_the_dashboard_is_refused_to_judges_bare_staff_and_participants(client, scored, bare_staff):
    challenge, _entries, judges = scored
    participant = RegistrationFactory().team.captain
    for user in (judges[0].user, bare_staff, participant):
        client.force_login(user)
        response = client.get(dashboard_url(challenge))
        assert response.status_code in (302, 403), user
        assert "Team Lotus" not in response.content.decode()


# ---------------------------------------------------------------- the judges' entry page


def test_the_entry_page_shows_the_automated_score_private_only_after_the_reveal(
    judge_client, blind_entry
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import SubmissionFactory

    entry = blind_entry["entry"]
    submission = SubmissionFactory(
        registration=entry.registration,
        phase=entry.phase,
        status="scored",
        public_score=0.8125,
        private_score=0.7731,
    )
    entry.submission = submission
    entry.save()
    url = reverse("judging:entry", kwargs={"entry_id": entry.pk})
    before = judge_client.get(url).content.decode()
    assert "0.8125" in before
    assert "0.7731" not in before
    entry.phase.private_revealed_at = timezone.now() - timedelta(minutes=1)
    entry.phase.save()
    after = judge_client.get(url).content.decode()
    assert "0.7731" in after


def test_the_agreement_words_read_in_chinese_on_the_dashboard(organizer_client, scored):
    challenge, _entries, _judges = scored
    (panel,) = standings.judging_of(challenge).agreement
    english = organizer_client.get(dashboard_url(challenge)).content.decode()
    assert f"({panel.icc.level})" in english

    # The request switches this thread's language: put it back afterwards.
    with translation.override("en"):
        chinese = organizer_client.get(
            dashboard_url(challenge), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    words = {
        "poor": "较差",
        "moderate": "中等",
        "good": "良好",
        "excellent": "优秀",
        "weak": "较弱",
        "strong": "较强",
    }
    assert f"（{words[panel.icc.level]}）" in chinese
    assert f"（{words[panel.kendall.level]}）" in chinese
    assert f"({panel.icc.level})" not in chinese
