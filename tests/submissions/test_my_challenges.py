"""My challenges: the viewer's registrations, next deadline and quota left
today, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions import selectors
from submissions.challenge_selectors import quotas_for
from teams.models import Membership
from tests.factories import (
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def _register(user, count: int) -> list:
    registrations = []
    for _ in range(count):
        team = TeamFactory()
        Membership.objects.create(team=team, user=user)
        phase = PhaseFactory(daily_limit=5)
        registration = RegistrationFactory(team=team, challenge=phase.challenge)
        SubmissionFactory(registration=registration, phase=phase)
        registrations.append((registration, phase))
    return registrations


def test_the_page_shows_each_registration_with_deadline_and_quota_left_today(client):
    viewer = ParticipantFactory()
    viewer.time_zone = "Asia/Manila"
    viewer.save()
    ((registration, phase),) = _register(viewer, 1)
    SubmissionFactory(registration=registration, phase=phase)
    opens = timezone.now() + timedelta(days=2)
    later = PhaseFactory(opens_at=opens, closes_at=opens + timedelta(days=5))
    RegistrationFactory(team=registration.team, challenge=later.challenge, status="pending")
    client.force_login(viewer)
    html = client.get(reverse("submissions:my-challenges")).content.decode()
    row = html[html.index(f'data-registration="{registration.pk}"') :]
    assert "Closes" in row[: row.index("</tr>")] and "(Asia/Manila, UTC+08:00)" in row
    assert 'data-field="remaining">3 / 5</td>' in row
    assert reverse("submissions:submit", args=[phase.pk]) in row
    assert later.challenge.title in html
    assert "Opens" in html and "has not been verified yet" in html
    assert reverse("submissions:my-challenges") in html, "in the navigation"


def test_quotas_for_many_registrations_equal_quota_for_each(db):
    viewer = ParticipantFactory()
    pairs = _register(viewer, 3)
    SubmissionFactory(
        registration=pairs[0][0], phase=pairs[0][1], created_at=timezone.now() - timedelta(days=2)
    )
    now = timezone.now()
    batch = quotas_for(pairs=pairs, now=now)
    assert batch[(pairs[0][0].pk, pairs[0][1].pk)].used_total == 2
    for registration, phase in pairs:
        expected = selectors.quota_for(registration=registration, phase=phase, now=now)
        assert batch[(registration.pk, phase.pk)] == expected


# The session, the user, the registrations, their phases, the quotas.
QUERIES = 5


@pytest.mark.parametrize("registrations", [1, 5])
def test_the_number_of_queries_does_not_grow_with_registrations(
    client, django_assert_num_queries, registrations
):
    viewer = ParticipantFactory()
    _register(viewer, registrations)
    client.force_login(viewer)
    with django_assert_num_queries(QUERIES):
        html = client.get(reverse("submissions:my-challenges")).content.decode()
    assert html.count("data-registration=") == registrations
    assert html.count('data-field="remaining">4 / 5</td>') == registrations
