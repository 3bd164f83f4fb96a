"""Conflicts detected from the database, and the background assignment of judges."""

import itertools
import time

import pytest
from django.utils import translation

from judging import automation, selectors, services, tasks
from judging.models import (
    Assignment,
    AssignmentRun,
    AssignmentRunState,
    ConflictSource,
    Entry,
    InstitutionDomainAlias,
    NationalityRule,
    Review,
)
from league.errors import RuleViolation
from teams.models import Membership
from tests.factories import (
    ChallengeJudgingFactory,
    JudgeFactory,
    OrganisationFactory,
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def make_judge(domain=None, **fields):
    """A judge with an e-mail domain of their own unless one is given."""
    n = next(_numbers)
    email = f"judge{n}@{domain or f'institute{n}.example'}"
    fields.setdefault("country", "SG")
    return JudgeFactory(user__username=email, user__email=email, **fields)


def make_member(domain="team.example", **profile):
    n = next(_numbers)
    email = f"member{n}@{domain}"
    return ParticipantFactory(user__username=email, user__email=email, **profile)


def make_entry(challenge, phase, *members):
    team = TeamFactory(captain=members[0])
    for user in members[1:]:
        Membership.objects.create(team=team, user=user)
    registration = RegistrationFactory(team=team, challenge=challenge)
    return Entry.objects.create(
        challenge=challenge,
        phase=phase,
        registration=registration,
        code=f"II-{next(_numbers):04d}",
    )


@pytest.fixture
def judging():
    settings = ChallengeJudgingFactory(judges_per_entry=2)
    phase = PhaseFactory(challenge=settings.challenge)
    return settings, phase


def sources(judge, entry):
    return sorted(
        judge.conflicts.filter(
            team_id=entry.registration.team_id, overridden_at__isnull=True
        ).values_list("source", flat=True)
    )


# -- detection ------------------------------------------------------------------------


def test_detects_same_organisation_domain_alias_membership(judging):
    settings, phase = judging
    university = OrganisationFactory(name="Mekong University", country="VN")
    InstitutionDomainAlias.objects.create(domain="mku.edu.vn", institution="mekong-u")
    InstitutionDomainAlias.objects.create(domain="mekong-uni.vn", institution="mekong-u")
    member = make_member(domain="cs.mku.edu.vn", organisation=university)
    entry = make_entry(settings.challenge, phase, member)
    colleague = make_judge(organisation=university)
    alias = make_judge(domain="mekong-uni.vn")
    teammate = make_judge()
    Membership.objects.create(team=entry.registration.team, user=teammate.user)
    outsider = make_judge()

    added = automation.conflicts_detect(challenge=settings.challenge)

    assert sources(colleague, entry) == [ConflictSource.ORGANISATION]
    assert sources(alias, entry) == [ConflictSource.DOMAIN]
    # A member shares their own e-mail domain with the team, too.
    assert sources(teammate, entry) == [ConflictSource.DOMAIN, ConflictSource.MEMBERSHIP]
    assert sources(outsider, entry) == []
    assert added == 4


def test_webmail_addresses_are_no_conflict(judging):
    settings, phase = judging
    entry = make_entry(settings.challenge, phase, make_member(domain="qq.com"))
    judge = make_judge(domain="qq.com")

    automation.conflicts_detect(challenge=settings.challenge)

    assert sources(judge, entry) == []


def test_nationality_rule_makes_a_conflict_only_where_set(judging):
    settings, phase = judging
    entry = make_entry(settings.challenge, phase, make_member(nationality="VN"))
    judge = make_judge(country="VN")

    automation.conflicts_detect(challenge=settings.challenge)
    assert sources(judge, entry) == []

    settings.nationality_rule = NationalityRule.NO_SAME_COUNTRY
    settings.save()
    automation.conflicts_detect(challenge=settings.challenge)
    assert sources(judge, entry) == [ConflictSource.NATIONALITY]


def test_detection_is_idempotent_and_respects_overrides_and_declarations(judging, admin_user):
    settings, phase = judging
    university = OrganisationFactory()
    entry = make_entry(settings.challenge, phase, make_member(organisation=university))
    judge = make_judge(organisation=university)
    declared = judge.conflicts.create(
        team=entry.registration.team, source=ConflictSource.DECLARED, reason="My cousin"
    )

    assert automation.conflicts_detect(challenge=settings.challenge) == 1
    assert automation.conflicts_detect(challenge=settings.challenge) == 0
    detected = judge.conflicts.get(source=ConflictSource.ORGANISATION)
    services.conflict_override(conflict=detected, by=admin_user, reason="Left long ago")

    assert automation.conflicts_detect(challenge=settings.challenge) == 0
    assert sources(judge, entry) == [ConflictSource.DECLARED]
    assert judge.conflicts.filter(pk=declared.pk).exists()


def test_manual_assignment_is_refused_for_a_detected_conflict(judging, admin_user):
    settings, phase = judging
    university = OrganisationFactory()
    entry = make_entry(settings.challenge, phase, make_member(organisation=university))
    judge = make_judge(organisation=university)
    automation.conflicts_detect(challenge=settings.challenge)

    with pytest.raises(RuleViolation) as refused:
        services.assignment_add(entry=entry, judge=judge, by=admin_user)
    assert "judge_conflicted" in [v.code for v in refused.value.violations]


def test_manual_assignment_detects_conflicts_not_yet_recorded(judging, admin_user):
    settings, phase = judging
    university = OrganisationFactory()
    entry = make_entry(settings.challenge, phase, make_member(organisation=university))
    judge = make_judge(organisation=university)

    with pytest.raises(RuleViolation) as refused:
        services.assignment_add(entry=entry, judge=judge, by=admin_user)

    assert "judge_conflicted" in [v.code for v in refused.value.violations]
    assert not Assignment.objects.exists()


def test_the_admin_refuses_and_records_a_conflict_found_on_adding(judging, admin_client):
    settings, phase = judging
    university = OrganisationFactory()
    entry = make_entry(settings.challenge, phase, make_member(organisation=university))
    judge = make_judge(organisation=university)

    page = admin_client.post(
        "/admin/judging/assignment/add/", {"entry": entry.pk, "judge": judge.pk}
    ).content.decode()

    assert "Same organisation" in page
    assert not Assignment.objects.exists()
    assert sources(judge, entry) == [ConflictSource.ORGANISATION]


# -- assignment ---------------------------------------------------------------------------


def panel(entry):
    return set(Assignment.objects.filter(entry=entry).values_list("judge_id", flat=True))


def test_assignment_run_gives_every_entry_its_judges_without_conflicts(judging):
    settings, phase = judging
    settings.challenge.theme = "manufacturing"
    settings.challenge.save()
    university = OrganisationFactory()
    entries = [
        make_entry(settings.challenge, phase, make_member(organisation=university)),
        make_entry(settings.challenge, phase, make_member()),
        make_entry(settings.challenge, phase, make_member()),
    ]
    colleague = make_judge(organisation=university, expertise=["manufacturing"])
    others = [make_judge(expertise=["manufacturing"]) for _ in range(2)]
    generalist = make_judge(load_cap=1)

    run = automation.assignment_run_now(challenge=settings.challenge)

    assert run.state == AssignmentRunState.DONE
    assert (run.entries, run.assignments_added, run.conflicts_found) == (3, 6, 1)
    assert all(len(panel(e)) == 2 for e in entries)
    assert colleague.pk not in panel(entries[0])
    assert panel(entries[0]) <= {o.pk for o in others} | {generalist.pk}
    assert Assignment.objects.filter(judge=generalist).count() <= 1
    assert not Assignment.objects.exclude(created_by=None).exists()
    assert run.total_affinity >= 5


def test_a_rerun_keeps_started_reviews_and_changes_nothing_else_needlessly(judging):
    settings, phase = judging
    entries = [make_entry(settings.challenge, phase, make_member()) for _ in range(2)]
    judges = [make_judge() for _ in range(3)]
    automation.assignment_run_now(challenge=settings.challenge)
    started = Assignment.objects.filter(entry=entries[0]).first()
    Review.objects.create(assignment=started)
    # The judge's cap shrinks to one: without the review they would lose an entry.
    judge = started.judge
    judge.load_cap = 1
    judge.save()
    before = set(Assignment.objects.values_list("pk", flat=True))

    run = automation.assignment_run_now(challenge=settings.challenge)

    assert run.state == AssignmentRunState.DONE
    assert run.assignments_kept == 1
    assert Assignment.objects.filter(pk=started.pk, review__isnull=False).exists()
    assert Assignment.objects.filter(judge=judge).count() == 1
    assert all(len(panel(e)) == 2 for e in entries)
    assert len(judges) == 3
    assert before & set(Assignment.objects.values_list("pk", flat=True))


def test_infeasible_run_names_entries_and_countries_in_english_and_chinese(judging):
    settings, phase = judging
    settings.nationality_rule = NationalityRule.NO_SAME_COUNTRY
    settings.judges_per_entry = 2
    settings.save()
    entries = [
        make_entry(settings.challenge, phase, make_member(nationality="VN")) for _ in range(3)
    ]
    make_judge(country="VN")
    make_judge(country="VN")
    make_judge(country="TH")

    run = automation.assignment_run_now(challenge=settings.challenge)

    assert run.state == AssignmentRunState.INFEASIBLE
    assert not Assignment.objects.exists()
    with translation.override("en"):
        english = automation.explanation_text(run.explanation)
    assert "3 entries can get only 1 of the 2 judges they need" in english
    assert all(e.code in english for e in entries)
    assert "nationality rule: 2" in english
    assert "Add judges from outside Vietnam" in english or "Viet Nam" in english
    with translation.override("zh-hans"):
        chinese = automation.explanation_text(run.explanation)
    assert "越南" in chinese
    assert entries[0].code in chinese
    assert "只能分到 1 位" in chinese and "国籍规则" in chinese


def test_admin_action_hands_a_run_to_the_workers(
    judging, admin_client, django_capture_on_commit_callbacks
):
    settings, phase = judging
    entry = make_entry(settings.challenge, phase, make_member())
    make_judge()
    make_judge()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/judging/challengejudging/",
            {"action": "assign_judges", "_selected_action": [settings.pk]},
            follow=True,
        )

    assert "runs in the background" in response.content.decode()
    run = AssignmentRun.objects.get()
    assert (run.state, run.published) == (AssignmentRunState.PENDING, True)
    # What the worker does with the message:
    assert tasks.run_assignment(run.pk) == AssignmentRunState.DONE
    assert len(panel(entry)) == 2
    listing = admin_client.get("/admin/judging/assignmentrun/").content.decode()
    assert "Done" in listing


def test_a_run_executes_once(judging):
    settings, phase = judging
    make_entry(settings.challenge, phase, make_member())
    make_judge()
    make_judge()
    run = AssignmentRun.objects.create(challenge=settings.challenge)

    first = automation.assignment_run_execute(run_id=run.pk)
    again = automation.assignment_run_execute(run_id=run.pk)

    assert first.state == again.state == AssignmentRunState.DONE
    assert Assignment.objects.count() == 2


def test_a_former_member_who_left_or_was_removed_is_conflicted(judging):
    from teams import services as teams_services

    settings, phase = judging
    captain = make_member(domain="qq.com")
    team = TeamFactory(captain=captain)
    left, removed = make_member(domain="gmail.com"), make_member(domain="gmail.com")
    for user in (left, removed):
        teams_services.team_join(user=user, code=team.join_code)
    teams_services.team_leave(team_id=team.pk, user=left)
    teams_services.team_remove_member(team_id=team.pk, actor=captain, user_id=removed.pk)
    entry = Entry.objects.create(
        challenge=settings.challenge,
        phase=phase,
        registration=RegistrationFactory(team=team, challenge=settings.challenge),
        code="II-FRMR",
    )
    # Both become judges after leaving the team.
    former = [JudgeFactory(user=left), JudgeFactory(user=removed)]
    outsider = make_judge(domain="gmail.com")

    automation.conflicts_detect(challenge=settings.challenge)

    assert [sources(judge, entry) for judge in former] == [[ConflictSource.MEMBERSHIP]] * 2
    assert sources(outsider, entry) == []
    reasons = [selectors.active_conflict_reasons(judge=judge, team_id=team.pk) for judge in former]
    assert all(r == ["Member of the team"] for r in reasons)


# -- runs the broker refused ----------------------------------------------------------


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_run_the_broker_refused_is_published_again_and_done_by_a_worker(start_worker):
    from datetime import timedelta

    from django.utils import timezone

    from tests.submissions.conftest import CLOSED_PORT, broker_at

    settings = ChallengeJudgingFactory(judges_per_entry=2)
    phase = PhaseFactory(challenge=settings.challenge)
    entry = make_entry(settings.challenge, phase, make_member())
    make_judge()
    make_judge()
    with broker_at(CLOSED_PORT):
        run = automation.assignment_run_start(challenge=settings.challenge, by=None)
    run.refresh_from_db()
    assert (run.state, run.published, run.publish_attempts) == ("pending", False, 1)
    # Within a minute of the refusal the sweeper leaves it alone.
    assert automation.assignment_runs_publish_unsent() == 0

    worker = start_worker(queues="default")
    later = timezone.now() + timedelta(minutes=2)
    assert automation.assignment_runs_publish_unsent(now=later) == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.state == AssignmentRunState.DONE:
            break
        time.sleep(0.2)
    assert run.state == AssignmentRunState.DONE, worker.log()
    assert (run.published, run.publish_attempts) == (True, 2)
    assert len(panel(entry)) == 2
    # A started run is never published again.
    assert automation.assignment_runs_publish_unsent(now=later + timedelta(minutes=5)) == 0


def test_a_run_never_started_fails_after_the_last_attempt_saying_why(judging):
    from datetime import timedelta

    from django.utils import timezone

    settings, _phase = judging
    now = timezone.now()
    run = AssignmentRun.objects.create(
        challenge=settings.challenge,
        requested_at=now - timedelta(hours=1),
        published_at=now - timedelta(minutes=10),
        publish_attempts=automation.MAX_PUBLISH_ATTEMPTS,
    )

    assert automation.assignment_runs_publish_unsent(now=now) == 0

    run.refresh_from_db()
    assert run.state == AssignmentRunState.FAILED
    assert "did not start this run after 5 attempts" in automation.explanation_text(run.explanation)
