"""The OpenAPI document says what the API really does (see also
tests/test_api_schema.py, which checks it against a live server)."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from tests.factories import TeamFactory


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_operation_documents_its_errors_in_the_api_format(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "429" in responses, f"{method} {path}"
            if "{" in path:
                assert "404" in responses, f"{method} {path}"
            if {} not in operation.get("security", [{}]):
                assert {"401", "403"} <= set(responses), f"{method} {path}"
            for status, response in responses.items():
                if status.startswith(("4", "5")):
                    content = response["content"]["application/json"]["schema"]
                    assert content == {"$ref": "#/components/schemas/Error"}, f"{path} {status}"


def test_path_ids_are_bounded_integers(schema):
    parameters = schema["paths"]["/api/teams/{team_id}/members/{user_id}/remove/"]["post"][
        "parameters"
    ]
    for parameter in parameters:
        assert parameter["schema"] == {"type": "integer", "minimum": 1, "maximum": 10**18 - 1}


def test_fields_that_can_be_null_say_so(schema):
    components = schema["components"]["schemas"]
    assert components["ChecklistOutput"]["properties"]["registration_status"]["nullable"]
    assert components["MemberOutput"]["properties"]["organisation"]["nullable"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [0, True, ["A team"], {"name": "A team"}])
def test_a_json_body_must_use_the_documented_types(client, name):
    team = TeamFactory()
    client.force_login(team.captain)
    response = client.post(
        reverse("teams:api-team-rename", kwargs={"team_id": team.pk}),
        {"name": name},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "name" in response.json()["details"]
    team.refresh_from_db()
    assert team.name != str(name)


@pytest.mark.django_db
def test_a_blank_team_name_still_gets_the_services_own_message(client):
    team = TeamFactory()
    client.force_login(team.captain)
    response = client.post(
        reverse("teams:api-team-rename", kwargs={"team_id": team.pk}),
        {"name": "   "},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "team_name_required"
