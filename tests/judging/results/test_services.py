"""Publishing the final standings: versions, frozen files, refusals, the lock."""

import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from judging import services as judging_services
from judging.results import compute, services
from judging.results.models import StandingsMethod, StandingsSnapshot, TalentAward
from league.errors import RuleViolation
from submissions.models import TeamBest
from teams.models import RegistrationStatus
from tests.factories import (
    AssignmentFactory,
    ChallengeFactory,
    EntryFactory,
    JudgeFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamFactory,
    rubric_for,
)
from tests.judging.results.conftest import build_finals

pytestmark = pytest.mark.django_db


def test_publish_freezes_the_ranked_rows_and_their_files(finals, organizer):
    challenge, _phase, _registrations = finals
    snapshot = services.standings_publish(challenge=challenge, by=organizer)

    assert snapshot.version == 1
    assert snapshot.method_version == "blend-1"
    assert snapshot.published_by == organizer
    assert [(r["rank"], r["team"], r["medal"]) for r in snapshot.rows] == [
        (1, "ทีมแม่น้ำโขง", "gold"),
        (2, '=HYPERLINK("http://x")', "silver"),
        (3, "Lotus Lab", "bronze"),
    ]
    # Captains are Chinese: with a Thai member or two ASEAN members the team is cross-border.
    assert [r["cross_border"] for r in snapshot.rows] == [True, False, True]
    # Rank normalisation: 1, 0.5, 0 (automated score alone).
    assert [r["blended"] for r in snapshot.rows] == [1.0, 0.5, 0.0]
    for fmt in ("csv", "xlsx", "json"):
        stored = getattr(snapshot, f"{fmt}_file")
        with stored.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == getattr(snapshot, f"{fmt}_sha256")


def test_publishing_again_makes_a_new_version_and_says_the_inputs_are_the_same(finals, organizer):
    challenge, _phase, registrations = finals
    first = services.standings_publish(challenge=challenge, by=organizer)
    second = services.standings_publish(challenge=challenge, by=organizer)
    assert (second.version, second.same_inputs_as_previous) == (2, True)
    assert second.inputs_sha256 == first.inputs_sha256
    assert second.rows == first.rows

    TeamBest.objects.filter(registration=registrations[2]).update(best_private_score=0.99)
    third = services.standings_publish(challenge=challenge, by=organizer)
    assert (third.version, third.same_inputs_as_previous) == (3, False)
    assert third.inputs_sha256 != first.inputs_sha256
    assert third.rows[0]["team"] == "Lotus Lab"
    # History is kept: version 1 still has its own rows and files.
    kept = StandingsSnapshot.objects.get(challenge=challenge, version=1)
    assert kept.rows[0]["team"] == "ทีมแม่น้ำโขง"
    assert kept.csv_file.name != third.csv_file.name


def test_a_method_change_changes_the_inputs_hash(finals, organizer):
    challenge, _phase, _registrations = finals
    before = compute.preview(challenge).inputs_sha256
    StandingsMethod.objects.create(challenge=challenge, normalisation="minmax", gold=2)
    after = compute.preview(challenge)
    assert after.inputs_sha256 != before
    # Min–max: (0.85 − 0.72) / (0.91 − 0.72) ≈ 0.684; two golds.
    assert after.standings[1].blended == pytest.approx(0.13 / 0.19)
    assert [s.medal for s in after.standings] == ["gold", "gold", "silver"]


def test_publishing_before_the_reveal_is_refused_and_stores_nothing(organizer):
    challenge, _phase, _registrations = build_finals([("Alpha", 0.5, [])], revealed=False)
    with pytest.raises(RuleViolation) as refused:
        services.standings_publish(challenge=challenge, by=organizer)
    assert refused.value.code == "standings_before_reveal"
    assert "reveal" in refused.value.message
    assert not StandingsSnapshot.objects.exists()


def test_a_challenge_without_scores_has_nothing_to_publish(organizer):
    challenge = ChallengeFactory()
    PhaseFactory(challenge=challenge, private_revealed_at=None)
    RegistrationFactory(challenge=challenge)
    with pytest.raises(RuleViolation) as refused:
        services.standings_publish(challenge=challenge, by=organizer)
    assert "standings_empty" in [v.code for v in refused.value.violations]


def test_only_verified_registrations_are_ranked(finals):
    challenge, _phase, registrations = finals
    registrations[0].status = RegistrationStatus.PENDING
    registrations[0].save()
    teams = [s.team for s in compute.preview(challenge).standings]
    assert teams == ['=HYPERLINK("http://x")', "Lotus Lab"]


def test_talent_awards_go_to_a_member_and_are_frozen_with_the_version(finals, organizer):
    challenge, _phase, registrations = finals
    person = registrations[2].team.memberships.exclude(user=registrations[2].team.captain).first()
    award = TalentAward(
        registration=registrations[2],
        person=person.user,
        title="Rising data scientist",
        citation="Built the yield model alone in a week.",
    )
    award.full_clean()
    award.save()
    outsider = TalentAward(
        registration=registrations[2], person=registrations[0].team.captain, title="X", citation="Y"
    )
    with pytest.raises(ValidationError) as refused:
        outsider.full_clean()
    assert "member of the registered team" in str(refused.value)

    snapshot = services.standings_publish(challenge=challenge, by=organizer)
    assert snapshot.talent_awards == [
        {
            "registration_id": registrations[2].pk,
            "team": "Lotus Lab",
            "person": person.user.profile.display_name,
            "title": "Rising data scientist",
            "citation": "Built the yield model alone in a week.",
        }
    ]
    award.delete()
    assert StandingsSnapshot.objects.get().talent_awards[0]["title"] == "Rising data scientist"


def review(judge, entry, criteria, c1, c2):
    AssignmentFactory(judge=judge, entry=entry)
    judging_services.review_save(
        judge=judge,
        entry_id=entry.pk,
        scores={criteria[0].pk: c1, criteria[1].pk: c2},
        submit=True,
    )


def test_blend_of_private_and_judged_scores_without_judges_names(organizer):
    """60 % automated by rank, 40 % judged (rubric 1–5, weights 0.6/0.4).
    Automated 0.9, 0.8 → 1, 0. Judged totals: E1 2.0, E2 5.0 → 0.25, 1.
    A: 0.6 + 0.1 = 0.7; B: 0 + 0.4 = 0.4."""
    challenge, phase, registrations = build_finals(
        [("Team A", 0.9, []), ("Team B", 0.8, [])],
        automated_weight="0.6",
        judges_weight="0.4",
    )
    criteria = rubric_for(challenge)
    judge = JudgeFactory(display_name="Professor Secret")
    for registration, (c1, c2) in zip(registrations, [(2, 2), (5, 5)], strict=True):
        entry = EntryFactory(
            version__package__phase=phase, version__package__registration=registration
        )
        review(judge, entry, criteria, c1, c2)

    snapshot = services.standings_publish(challenge=challenge, by=organizer)
    assert [(r["team"], r["blended"]) for r in snapshot.rows] == [("Team A", 0.7), ("Team B", 0.4)]
    assert [r["judged"] for r in snapshot.rows] == [2.0, 5.0]
    assert snapshot.method["judged_min"] == 1 and snapshot.method["judged_max"] == 5
    assert "Professor Secret" not in str(snapshot.rows) + str(snapshot.method)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_organizers_publishing_at_once_make_versions_one_and_two(organizer):
    challenge, _phase, _registrations = build_finals([("Alpha", 0.5, []), ("Beta", 0.4, [])])
    barrier = threading.Barrier(2)
    errors = []

    def publish():
        try:
            barrier.wait()
            services.standings_publish(challenge=challenge, by=organizer)
        except Exception as exc:  # noqa: BLE001 - any failure is reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    versions = sorted(StandingsSnapshot.objects.values_list("version", flat=True))
    assert versions == [1, 2]


def test_individual_entries_are_marked_in_a_track_that_allows_them(organizer):
    challenge, _phase, _registrations = build_finals(
        [("Dara Sok", 0.7, [])],
        track__allows_individual_entries=True,
        track__kind="talent_discovery",
    )
    TeamFactory()  # another team, not registered
    rows = services.standings_publish(challenge=challenge, by=organizer).rows
    assert rows[0]["individual"] is True
