"""S1: every object route of the site (pages, API, downloads), enumerated from
the URL conf, refuses an anonymous visitor and a user of another team.

A new route with an object id fails ``test_every_object_route_is_classified``
until it is listed here as private (must refuse outsiders) or public (with a
reason), so new routes are covered automatically.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from teams.models import Invitation, InvitationStatus, Membership
from tests.factories import (
    InvitationFactory,
    ParticipantFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
)

# Routes anyone may read, and why.
PUBLIC = {
    "teams:team-public": "a team's public page: name, organisations, countries only",
    "teams:api-team-public": "the same, through the API",
    "submissions:leaderboard": "the phase leaderboard is public by design",
    "submissions:api-leaderboard": "the same, through the API",
}
# Routes keyed by a phase: open to anyone signed in, but they show only the
# viewer's own team, so an outsider must see none of the owner's submissions.
PHASE_SCOPED = {
    "submissions:submit",
    "submissions:status",
    "submissions:api-phase-submissions",
}
# Routes whose secret is in the URL itself (an e-mailed link); the object is
# still refused to anyone signed in with another address.
SECRET_LINKS = {
    "teams:invitation",
    "account_confirm_email",
    "account_reset_password_from_key",
}
DENIED = {302, 401, 403, 404, 405}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            converters = getattr(pattern.pattern, "converters", {})
            if converters and namespace != "admin":
                yield name, sorted(converters)


OBJECT_ROUTES = dict(_walk(get_resolver().url_patterns))
PRIVATE = sorted(set(OBJECT_ROUTES) - set(PUBLIC) - PHASE_SCOPED - SECRET_LINKS)


def test_every_object_route_is_classified():
    known = {
        "team_id",
        "challenge_id",
        "invitation_id",
        "registration_id",
        "user_id",
        "submission_id",
        "phase_id",
        "token",
        "key",
        "uidb36",
    }
    for name, kwargs in OBJECT_ROUTES.items():
        assert set(kwargs) <= known, f"{name} takes {kwargs}: teach this test its objects"
    assert PRIVATE, "the URL conf has no private object routes?"
    assert len(PRIVATE) >= 25


@pytest.fixture
def owned(db):
    """Objects of one team: a registration, a submission, an invitation."""
    team = TeamFactory(members=["CN", "TH"])
    registration = RegistrationFactory(team=team)
    phase = PhaseFactory(challenge=registration.challenge)
    submission = SubmissionFactory(
        registration=registration, phase=phase, original_name="secret-model-v7.csv"
    )
    invitation = InvitationFactory(team=team)
    member = team.memberships.exclude(user=team.captain).first().user
    return {
        "team_id": team.pk,
        "challenge_id": registration.challenge_id,
        "invitation_id": invitation.pk,
        "registration_id": registration.pk,
        "user_id": member.pk,
        "submission_id": submission.pk,
        "phase_id": phase.pk,
        "token": invitation.token,
        "owner": team.captain,
        "captain_email": team.captain.email,
    }


def _url(name, owned):
    kwargs = {k: owned[k] for k in OBJECT_ROUTES[name]}
    return reverse(name, kwargs=kwargs)


def _outsider():
    outsider = ParticipantFactory(nationality="VN")
    TeamFactory(captain=outsider)
    return outsider


@pytest.mark.parametrize("name", PRIVATE)
def test_anonymous_visitor_is_refused(client, owned, name):
    url = _url(name, owned)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in DENIED, f"{method.__name__} {url}"
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]


def _valid_input(owned) -> dict:
    """A payload every action form accepts, so refusals come from access checks."""
    return {
        "name": "Taken over",
        "email": "new.member@example.org",
        "user_id": owned["user_id"],
        "challenge_id": owned["challenge_id"],
        "is_final": "true",
        "answer": "accept",
    }


@pytest.mark.parametrize("name", PRIVATE)
def test_user_of_another_team_gets_not_found(client, owned, name):
    client.force_login(_outsider())
    url = _url(name, owned)
    posted = client.post(url, _valid_input(owned))
    statuses = {client.get(url).status_code, posted.status_code}
    assert statuses <= {403, 404, 405}, f"{url}: {statuses}"
    assert statuses & {403, 404}, f"{url} answered only 405: no method tested access"


@pytest.mark.parametrize("name", sorted(PHASE_SCOPED))
def test_phase_pages_show_an_outsider_nothing_of_other_teams(client, owned, name):
    client.force_login(_outsider())
    response = client.get(_url(name, owned))
    body = response.content.decode()
    assert "secret-model-v7.csv" not in body
    assert owned["captain_email"] not in body


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_hide_members_e_mail(client, owned, name):
    client.force_login(_outsider())
    response = client.get(_url(name, owned))
    assert response.status_code == 200
    assert owned["captain_email"] not in response.content.decode()


def test_invitation_link_is_refused_to_another_signed_in_user(client, owned):
    outsider = _outsider()
    client.force_login(outsider)
    client.post(_url("teams:invitation", owned), {"answer": "accept"})
    assert not Membership.objects.filter(team_id=owned["team_id"], user=outsider).exists()
    assert Invitation.objects.get(pk=owned["invitation_id"]).status == InvitationStatus.PENDING


def test_submission_download_is_an_attachment_with_nosniff(client, owned):
    client.force_login(owned["owner"])
    response = client.get(_url("submissions:download", owned))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
