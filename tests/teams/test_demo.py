"""The demo seeder: teams of every shape, idempotent, rules respected."""

import random

import pytest

from league import demo as league_demo
from league.management.commands.seed_demo import DemoContext
from teams import demo, selectors
from teams.models import Registration, RegistrationStatus, Team

pytestmark = pytest.mark.django_db


def run_seed():
    ctx = DemoContext(scale="small", rng=random.Random(2026), say=lambda *_: None)
    league_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_small_demo_is_idempotent_and_its_statuses_follow_the_rules():
    ctx = run_seed()
    counts = (Team.objects.count(), Registration.objects.count())
    codes = dict(Team.objects.values_list("name", "join_code"))
    run_seed()
    assert (Team.objects.count(), Registration.objects.count()) == counts
    assert dict(Team.objects.values_list("name", "join_code")) == codes
    assert len(ctx.shared["registrations"]) == counts[1]
    for registration in Registration.objects.select_related("team", "challenge__track"):
        checklist = selectors.checklist_for(
            team=registration.team, challenge=registration.challenge
        )
        if registration.status == RegistrationStatus.VERIFIED:
            assert checklist.passed, (registration, checklist.violations)
        else:
            assert not checklist.passed
    participant = ctx.shared["users"]["participant"]
    mine = selectors.team_get_for_member(
        user=participant, team_id=Team.objects.get(name="Mekong Bridge AI").pk
    )
    assert mine.captain == participant
    assert selectors.team_summary(team=mine).cross_border


def test_large_demo_makes_ten_thousand_teams(monkeypatch):
    monkeypatch.setattr(demo, "LARGE_TEAMS", 30)
    monkeypatch.setattr(demo, "LARGE_BATCH", 7)
    ctx = DemoContext(scale="large", rng=random.Random(1), say=lambda *_: None)
    league_demo.seed(ctx)
    demo.seed(ctx)
    bench = Team.objects.filter(name__startswith=demo.LARGE_PREFIX)
    assert bench.count() == 30
    assert all(2 <= t.memberships.count() <= 4 for t in bench)
    assert Registration.objects.filter(team__in=bench, status="verified").count() == 30
    first = list(ctx.shared["registrations"])
    ctx = DemoContext(scale="large", rng=random.Random(1), say=lambda *_: None)
    league_demo.seed(ctx)
    demo.seed(ctx)
    assert ctx.shared["registrations"] == first
