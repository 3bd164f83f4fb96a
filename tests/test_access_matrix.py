"""S1: every object route of the site (pages, API, downloads), enumerated from
the URL conf, refuses an anonymous visitor and a user of another team.

A new route with an object id fails ``test_every_object_route_is_classified``
until it is listed here as private (must refuse outsiders) or public (with a
reason), so new routes are covered automatically.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from league.exports.models import ExportJob
from teams.models import Invitation, InvitationStatus, Membership
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    InvitationFactory,
    PackageVersionFactory,
    ParticipantFactory,
    PhaseFactory,
    ProfileFactory,
    RegistrationFactory,
    StandingsSnapshotFactory,
    SubmissionFactory,
    TeamFactory,
    UserFactory,
    challenge_file,
)

# Routes anyone may read, and why.
PUBLIC = {
    "teams:team-public": "a team's public page: name, organisations, countries only",
    "teams:api-team-public": "the same, through the API",
    "submissions:leaderboard": "the phase leaderboard is public by design",
    "submissions:api-leaderboard": "the same, through the API",
    "submissions:challenge": "a challenge's page: its problem, rules, timeline and file list",
    "submissions:challenge-terms": "a challenge's data terms; accepting them grants nothing alone",
    "results:challenge": "published final standings are public by design",
    "results:download": "the files of a published version of the standings",
    "results:api-detail": "the published standings, through the API",
}
# Routes keyed by a phase: open to anyone signed in, but they show only the
# viewer's own team, so an outsider must see none of the owner's submissions.
PHASE_SCOPED = {
    "submissions:submit",
    "submissions:status",
    "submissions:api-phase-submissions",
    "submissions:api-package-versions",
    # Leads the viewer's own team to its submit page, or back to the challenge.
    "submissions:challenge-submit",
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
        "version_id",
        "entry_id",
        "token",
        "key",
        "uidb36",
        "slug",
        "file_id",
        "version",
        "fmt",
        "job_id",
    }
    for name, kwargs in OBJECT_ROUTES.items():
        assert set(kwargs) <= known, f"{name} takes {kwargs}: teach this test its objects"
    assert PRIVATE, "the URL conf has no private object routes?"
    assert len(PRIVATE) >= 28


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
    version = PackageVersionFactory(
        package__registration=registration,
        package__phase=phase,
        proposal_name="secret-model-v7.pdf",
        archive_name="secret-model-v7.zip",
        archive=SubmissionFactory(registration=registration, phase=phase).file.name,
    )
    entry = EntryFactory(version=version, code="II-OWND", submission=submission)
    challenge = registration.challenge
    challenge.terms = "Use the data for this competition only."
    challenge.save()
    data_file = challenge_file(challenge=challenge)
    StandingsSnapshotFactory(challenge=registration.challenge)
    member = team.memberships.exclude(user=team.captain).first().user
    organizer = UserFactory()
    organizer.groups.add(Group.objects.get(name="Organizers"))
    export = ExportJob.objects.create(
        requested_by=organizer, dataset="registrations", format="csv", status="done"
    )
    return {
        "team_id": team.pk,
        "challenge_id": registration.challenge_id,
        "invitation_id": invitation.pk,
        "registration_id": registration.pk,
        "user_id": member.pk,
        "submission_id": submission.pk,
        "phase_id": phase.pk,
        "version_id": version.pk,
        "entry_id": entry.pk,
        "slug": challenge.slug,
        "file_id": data_file.pk,
        "job_id": export.pk,
        "token": invitation.token,
        "version": 1,
        "fmt": "csv",
        "owner": team.captain,
        "captain_email": team.captain.email,
        "join_code": team.join_code,
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


@pytest.fixture(
    params=["another team's member", "judge", "judge of another entry", "staff without permission"]
)
def stranger(request, db):
    """Someone signed in with a profile (so refusals come from access checks,
    not from the profile form) who has no business with the owner's team."""
    if request.param == "judge":
        user = request.getfixturevalue("judge")
    elif request.param == "judge of another entry":
        user = AssignmentFactory().judge.user
    elif request.param == "staff without permission":
        user = request.getfixturevalue("bare_staff")
    else:
        return _outsider()
    ProfileFactory(user=user, nationality="MY")
    return user


@pytest.mark.parametrize("name", PRIVATE)
def test_a_stranger_gets_not_found_and_sees_nothing(client, owned, stranger, name):
    """Another team's member, a judge and a staff account without the
    organizers' permission alike: being staff never grants access."""
    client.force_login(stranger)
    url = _url(name, owned)
    posted = client.post(url, _valid_input(owned))
    got = client.get(url)
    statuses = {got.status_code, posted.status_code}
    assert statuses <= {403, 404, 405}, f"{url}: {statuses}"
    assert statuses & {403, 404}, f"{url} answered only 405: no method tested access"
    for response in (got, posted):
        seen = response.content.decode() + response.get("Content-Disposition", "")
        assert owned["captain_email"] not in seen, url
        assert "secret-model-v7" not in seen, url
        assert owned["join_code"] not in seen, url


@pytest.mark.parametrize("name", sorted(PHASE_SCOPED))
def test_phase_pages_show_a_stranger_nothing_of_other_teams(client, owned, stranger, name):
    client.force_login(stranger)
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


def test_a_judge_can_neither_read_a_team_nor_use_its_join_code(client, owned, judge):
    """Being staff once showed a judge every member's data and the join code,
    with which the judge joined the team and downloaded its prediction file."""
    ProfileFactory(user=judge, nationality="SG")
    client.force_login(judge)
    team = client.get(reverse("teams:api-team-detail", kwargs={"team_id": owned["team_id"]}))
    leaked_code = team.json().get("join_code") if team.status_code == 200 else None
    if leaked_code:
        client.post(reverse("teams:api-team-join"), {"code": leaked_code})
    download = client.get(_url("submissions:api-download", owned))

    assert team.status_code == 404
    assert owned["captain_email"] not in team.content.decode()
    assert owned["join_code"] not in team.content.decode()
    assert not Membership.objects.filter(team_id=owned["team_id"], user=judge).exists()
    assert download.status_code == 404
    assert "secret-model-v7.csv" not in download.get("Content-Disposition", "")


@pytest.mark.django_db
def test_organizers_read_teams_through_their_permission_not_the_join_code(organizer_client, owned):
    # The team pages are participants' pages: they ask everyone for a profile first.
    ProfileFactory(user=organizer_client.organizer)
    for name in ("teams:team-detail", "teams:api-team-detail", "teams:api-registration-detail"):
        response = organizer_client.get(_url(name, owned))
        assert response.status_code == 200, name
        assert owned["join_code"] not in response.content.decode(), name
    page = organizer_client.get(_url("teams:team-detail", owned)).content.decode()
    assert owned["captain_email"] in page


def test_the_assigned_judge_reads_the_entry_under_its_code_only(client, owned):
    """The judging routes refuse everyone above; the entry's own judge reads
    it, its files named by the entry code, never by the team's file names."""
    assignment = AssignmentFactory(entry_id=owned["entry_id"])
    client.force_login(assignment.judge.user)
    for name in (
        "judging:entry",
        "judging:entry-proposal",
        "judging:entry-archive",
        "judging:entry-submission",
    ):
        response = client.get(_url(name, owned))
        assert response.status_code == 200, name
        assert "secret-model-v7" not in response.get("Content-Disposition", ""), name
    archive = client.get(_url("judging:entry-archive", owned))
    assert archive["Content-Disposition"] == 'attachment; filename="II-OWND-code.zip"'
    final = client.get(_url("judging:entry-submission", owned))
    assert final["Content-Disposition"] == 'attachment; filename="II-OWND-submission.csv"'


def test_only_the_finalist_team_s_members_reach_its_write_up_page(client, owned):
    client.force_login(owned["owner"])
    assert client.get(_url("finalists:writeup", owned)).status_code == 200


def test_the_judges_api_answers_the_assigned_judge_only(client, owned, stranger):
    """The judges' API: the entry's own judge reads it (by its code, no file
    names); another judge, a judge of another entry, a participant and an
    anonymous visitor find neither the entry nor it in their queue."""
    from rest_framework.test import APIClient

    assignment = AssignmentFactory(entry_id=owned["entry_id"])
    judge = APIClient()
    judge.force_authenticate(assignment.judge.user)
    for name in ("judging_api:entry", "judging_api:review"):
        response = judge.get(_url(name, owned))
        assert response.status_code == 200, name
        assert "secret-model-v7" not in response.content.decode(), name
    queue = judge.get(reverse("judging_api:assignments")).json()
    assert [row["code"] for row in queue["results"]] == ["II-OWND"]

    other = APIClient()
    other.force_authenticate(stranger)
    listed = other.get(reverse("judging_api:assignments"))
    assert listed.status_code in (200, 403)
    assert "II-OWND" not in listed.content.decode()
    assert APIClient().get(reverse("judging_api:assignments")).status_code == 401


# Organizers' routes without an object id: only holders of the export permission.
EXPORTERS_ONLY = ["exports:page", "exports:api-exports"]


@pytest.mark.parametrize("name", EXPORTERS_ONLY)
def test_exporters_only_routes_refuse_everyone_else(client, stranger, name):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code in {302, 401}, url
    client.force_login(stranger)
    for response in (client.get(url), client.post(url, {"dataset": "registrations"})):
        assert response.status_code in {403, 404}, url
        assert "Registration" not in response.get("Content-Disposition", "")
