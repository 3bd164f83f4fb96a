"""Real concurrent transactions on PostgreSQL: the limits hold under races."""

import threading

import pytest
from django.db import close_old_connections, connection

from league.errors import ApplicationError
from teams import services
from teams.models import Membership
from tests.factories import InvitationFactory, ParticipantFactory, RegistrationFactory, TeamFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(calls):
    """Run each call in its own thread and connection, released together."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            outcomes[index] = "ok"
        except ApplicationError as error:
            outcomes[index] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    return outcomes


def test_many_people_joining_the_last_free_places_never_overfill_the_team(bottleneck):
    team = TeamFactory()  # 1 member; the track takes at most 3
    RegistrationFactory(team=team, challenge=bottleneck)
    joiners = [ParticipantFactory() for _ in range(8)]
    outcomes = run_at_once(
        [lambda u=u: services.team_join(user=u, code=team.join_code) for u in joiners]
    )
    assert outcomes.count("ok") == 2
    assert outcomes.count("team_full") == 6
    assert Membership.objects.filter(team=team).count() == 3


def test_one_person_accepting_two_invitations_at_once_joins_one_team(bottleneck):
    person = ParticipantFactory()
    invitations = []
    for _ in range(2):
        team = TeamFactory()
        RegistrationFactory(team=team, challenge=bottleneck)  # one team per person
        invitations.append(InvitationFactory(team=team, email=person.email))
    outcomes = run_at_once(
        [
            lambda i=i: services.invitation_accept(invitation_id=i.pk, user=person)
            for i in invitations
        ]
    )
    assert sorted(outcomes) == ["ok", "person_teams_per_challenge"]
    assert Membership.objects.filter(user=person).count() == 1


def test_two_captains_registering_teams_that_share_a_person(bottleneck):
    shared = ParticipantFactory()
    teams = [TeamFactory(), TeamFactory()]
    for team in teams:
        Membership.objects.create(team=team, user=shared)
    outcomes = run_at_once(
        [
            lambda t=t: services.registration_create(
                team_id=t.pk, actor=t.captain, challenge_id=bottleneck.pk
            )
            for t in teams
        ]
    )
    assert sorted(outcomes) == ["ok", "person_teams_per_challenge"]
