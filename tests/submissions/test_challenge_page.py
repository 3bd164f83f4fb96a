"""The challenge page: its sections, the Submit button in every state, and
the links to it from the home and team pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from league.models import FileKind
from submissions import rules
from teams.models import Membership
from tests.factories import (
    ChallengeFactory,
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    TeamFactory,
    challenge_file,
)

pytestmark = pytest.mark.django_db

SAMPLE = b"id,prediction\nq0001,a\nq0002,b\nq0003,a\nq0004,a\nq0005,b\nq0006,a\nq0007,b\n"


def _page(client, challenge) -> str:
    response = client.get(reverse("submissions:challenge", kwargs={"slug": challenge.slug}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def phase():
    return PhaseFactory(
        challenge=ChallengeFactory(
            title="Parcel delays",
            prizes="First prize: CNY 50,000",
            metric="macro_f1",
            description="Predict which parcels arrive late.",
        ),
        max_final_selections=3,
        daily_limit=4,
        total_limit=40,
        limit_time_zone="Asia/Shanghai",
    )


def test_every_section_says_what_a_newcomer_needs(client, phase):
    challenge = phase.challenge
    challenge_file(
        challenge=challenge, content=SAMPLE, name="sample.csv", kind=FileKind.SAMPLE_SUBMISSION
    )
    html = _page(client, challenge)
    for section in ("overview", "data", "evaluation", "rules", "timeline", "leaderboard"):
        assert f'id="{section}"' in html and f'href="#{section}"' in html
    assert "Predict which parcels arrive late." in html
    assert "First prize: CNY 50,000" in html
    assert "Macro F1" in html and "rare classes count as much as common ones" in html
    assert "Higher scores rank first." in html
    assert rules.finals_rule(max_finals=3).replace("'", "&#x27;") in html
    assert "q0001,a\nq0002,b" in html and "q0006" not in html, "the first lines of the sample"
    assert "<code>prediction</code>: one class name per row" in html
    assert "Each team may submit 4 times a day and 40 times in this phase." in html
    assert "midnight in Asia/Shanghai" in html
    assert reverse("submissions:leaderboard", args=[phase.pk]) in html


def test_times_and_the_daily_reset_are_shown_in_the_viewer_s_zone(client, phase):
    viewer = ParticipantFactory()
    viewer.time_zone = "America/Lima"
    viewer.save()
    client.force_login(viewer)
    html = _page(client, phase.challenge)
    assert "(America/Lima, UTC-05:00)" in html
    assert "(UTC, UTC+00:00)" not in html


def test_the_rules_section_words_the_track_s_team_rules_as_the_checklist_does(client):
    challenge = ChallengeFactory(
        track__cross_border_required=True,
        track__min_members=2,
        track__max_members=4,
        track__allowed_participant_types=["researcher"],
    )
    html = _page(client, challenge)
    assert "Between 2 and 4 members" in html
    assert "At least one member from the China region and one from ASEAN" in html
    assert "Participant types: Researcher" in html


@pytest.mark.parametrize(
    "mode,expected",
    [
        ("review", "A package: your proposal as a PDF"),
        ("code", "A Python program: one .py file"),
    ],
)
def test_review_and_code_challenges_say_what_to_hand_in(client, mode, expected):
    challenge = ChallengeFactory(
        evaluation_mode=mode, metric="" if mode == "review" else "accuracy"
    )
    PhaseFactory(challenge=challenge)
    assert expected in _page(client, challenge)


def _state(client, challenge) -> str:
    html = _page(client, challenge)
    start = html.index('id="submit-state"')
    return html[start : html.index("</div>", start)]


def test_the_submit_button_leads_a_verified_team_to_the_open_phase(client, phase):
    registration = RegistrationFactory(challenge=phase.challenge)
    client.force_login(registration.team.captain)
    state = _state(client, phase.challenge)
    assert reverse("submissions:submit", args=[phase.pk]) in state
    shortcut = reverse("submissions:challenge-submit", kwargs={"slug": phase.challenge.slug})
    assert client.get(shortcut)["Location"] == reverse("submissions:submit", args=[phase.pk])


@pytest.mark.parametrize(
    "who,expected",
    [
        ("anonymous", "Sign in to take part"),
        ("no team", "Create a team or join one first"),
        ("unregistered team", "its captain registers it on the team page"),
        ("pending", "has not been verified yet"),
        ("rejected", "rejected your team&#x27;s registration: “Two members share one e-mail”"),
        ("needs_review", "waiting for the organizers&#x27; review"),
    ],
)
def test_the_submit_button_says_what_is_missing(client, phase, who, expected):
    if who == "no team":
        client.force_login(ParticipantFactory())
    elif who == "unregistered team":
        client.force_login(TeamFactory().captain)
    elif who != "anonymous":
        registration = RegistrationFactory(
            challenge=phase.challenge,
            status=who,
            rejection_reason="Two members share one e-mail" if who == "rejected" else "",
        )
        client.force_login(registration.team.captain)
    state = _state(client, phase.challenge)
    assert expected in state
    assert reverse("submissions:submit", args=[phase.pk]) not in state


def test_before_the_next_phase_opens_the_button_gives_its_date(client):
    opens = timezone.now() + timedelta(days=3)
    phase = PhaseFactory(opens_at=opens, closes_at=opens + timedelta(days=10))
    registration = RegistrationFactory(challenge=phase.challenge)
    client.force_login(registration.team.captain)
    state = _state(client, phase.challenge)
    assert "This phase opens at" in state
    shortcut = reverse("submissions:challenge-submit", kwargs={"slug": phase.challenge.slug})
    response = client.get(shortcut, follow=True)
    assert "This phase opens at" in response.content.decode()


def test_the_home_page_links_each_challenge_title_to_its_page(client, phase):
    html = client.get(reverse("home")).content.decode()
    url = reverse("submissions:challenge", kwargs={"slug": phase.challenge.slug})
    assert f'<a href="{url}">Parcel delays</a>' in html


def test_the_team_page_links_a_verified_registration_to_its_submit_page(client, phase):
    verified = RegistrationFactory(challenge=phase.challenge)
    pending = RegistrationFactory(
        team=verified.team,
        challenge=PhaseFactory(challenge__track=phase.challenge.track).challenge,
        status="pending",
    )
    client.force_login(verified.team.captain)
    html = client.get(reverse("teams:team-detail", args=[verified.team_id])).content.decode()
    link = reverse("submissions:challenge-submit", kwargs={"slug": phase.challenge.slug})
    assert link in html
    assert f'id="challenge-{pending.challenge_id}"' in html
    assert (
        reverse("submissions:challenge-submit", kwargs={"slug": pending.challenge.slug}) not in html
    )


def test_an_unknown_challenge_is_not_found(client):
    assert client.get("/challenges/no-such-challenge/").status_code == 404


def test_a_member_joining_a_registered_team_gets_its_button(client, phase):
    registration = RegistrationFactory(challenge=phase.challenge)
    newcomer = ParticipantFactory()
    Membership.objects.create(team=registration.team, user=newcomer)
    client.force_login(newcomer)
    assert reverse("submissions:submit", args=[phase.pk]) in _state(client, phase.challenge)
