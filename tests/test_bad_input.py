"""S6: ids out of range never answer 5xx.

Every route with an integer parameter, enumerated from the URL conf (a new
route is covered without editing this file), is called with huge, zero and
negative ids, with GET and POST, by a signed-in participant whose own team,
registration, submission and invitation fill the other parameters. Body ids
of the API and of the pages' forms get the same treatment.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from league.converters import IdConverter
from tests.factories import (
    InvitationFactory,
    PhaseFactory,
    RegistrationFactory,
    SubmissionFactory,
    TeamFactory,
)

BAD_IDS = (
    "100000000000000000000",  # past any database integer
    "9223372036854775808",  # 2**63: one past PostgreSQL's bigint
    "99999999999999999999999999999999",
    "0",
    "00",
    "-1",
)
INTEGER_CONVERTERS = (IntConverter, IdConverter)


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            integers = sorted(
                key for key, conv in converters.items() if isinstance(conv, INTEGER_CONVERTERS)
            )
            if integers and namespace != "admin":
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, (sorted(converters), integers)


INTEGER_ROUTES = dict(_walk(get_resolver().url_patterns))


def test_the_walk_finds_the_integer_routes():
    assert "teams:api-team-remove-member" in INTEGER_ROUTES
    assert "submissions:api-download" in INTEGER_ROUTES
    assert len(INTEGER_ROUTES) >= 30


@pytest.fixture
def participant_objects(db):
    """A captain's own objects, so that each bad id reaches as deep as it can."""
    team = TeamFactory(members=["TH"])
    registration = RegistrationFactory(team=team)
    phase = PhaseFactory(challenge=registration.challenge)
    submission = SubmissionFactory(registration=registration, phase=phase)
    invitation = InvitationFactory(team=team)
    return {
        "user": team.captain,
        "values": {
            "team_id": team.pk,
            "challenge_id": registration.challenge_id,
            "invitation_id": invitation.pk,
            "registration_id": registration.pk,
            "user_id": team.memberships.exclude(user=team.captain).get().user_id,
            "submission_id": submission.pk,
            "phase_id": phase.pk,
            "token": invitation.token,
            "slug": registration.challenge.slug,
            "fmt": "csv",
        },
    }


def _urls_with_a_bad_id(name, values):
    """The route's URL with each integer parameter in turn replaced by each bad id."""
    kwargs_names, integers = INTEGER_ROUTES[name]
    for bad_param in integers:
        marker = 918273645
        kwargs = {k: (marker if k == bad_param else values[k]) for k in kwargs_names}
        url = reverse(name, kwargs=kwargs)
        for bad in BAD_IDS:
            yield url.replace(f"/{marker}/", f"/{bad}/")


BAD_BODY = {
    "user_id": "100000000000000000000",
    "challenge_id": "100000000000000000000",
    "organisation_id": "100000000000000000000",
    "name": "Renamed",
    "email": "someone@example.org",
    "is_final": "true",
    "answer": "accept",
}


@pytest.mark.parametrize("name", sorted(INTEGER_ROUTES))
def test_out_of_range_ids_never_answer_a_server_error(client, participant_objects, name):
    client.force_login(participant_objects["user"])
    client.raise_request_exception = False
    failures = []
    for url in _urls_with_a_bad_id(name, participant_objects["values"]):
        for method, response in (
            ("GET", client.get(url)),
            ("POST", client.post(url, BAD_BODY)),
        ):
            if response.status_code >= 500:
                failures.append(f"{method} {url} -> {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("url_name", ["api-team-remove-member"])
def test_a_huge_id_in_the_path_is_not_found_in_the_api_format(
    client, participant_objects, url_name
):
    client.force_login(participant_objects["user"])
    team_id = participant_objects["values"]["team_id"]
    response = client.post(f"/api/teams/{team_id}/members/100000000000000000000/remove/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("url_name", "field", "value"),
    [
        ("teams:api-team-transfer", "user_id", 100000000000000000000),
        ("teams:api-team-transfer", "user_id", 0),
        ("teams:api-team-transfer", "user_id", -5),
        ("teams:api-registration-create", "challenge_id", 100000000000000000000),
        ("teams:api-registration-create", "challenge_id", 0),
    ],
)
def test_out_of_range_body_ids_are_refused_as_invalid(
    client, participant_objects, url_name, field, value
):
    client.force_login(participant_objects["user"])
    url = reverse(url_name, kwargs={"team_id": participant_objects["values"]["team_id"]})
    response = client.post(url, {field: value}, content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["details"]


def test_a_profile_with_a_huge_organisation_id_is_refused(client, participant_objects):
    client.force_login(participant_objects["user"])
    response = client.put(
        reverse("teams:api-profile-update"),
        {
            "display_name": "Lin",
            "nationality": "CN",
            "residence": "CN",
            "participant_type": "university",
            "organisation_id": 100000000000000000000,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "organisation_id" in response.json()["details"]


@pytest.mark.parametrize("url_name", ["teams:team-transfer", "teams:team-remove-member"])
@pytest.mark.parametrize("value", ["100000000000000000000", "0", "-3"])
def test_page_forms_refuse_out_of_range_member_ids_with_a_message(
    client, participant_objects, url_name, value
):
    client.force_login(participant_objects["user"])
    team_id = participant_objects["values"]["team_id"]
    response = client.post(
        reverse(url_name, kwargs={"team_id": team_id}), {"user_id": value}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize("value", ["100000000000000000000", "0", "-3"])
def test_the_profile_page_refuses_an_out_of_range_organisation(client, participant_objects, value):
    client.force_login(participant_objects["user"])
    response = client.post(
        reverse("teams:profile"),
        {
            "display_name": "Lin",
            "nationality": "CN",
            "residence": "CN",
            "participant_type": "university",
            "organisation": value,
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
