"""Judges' score sheets: one row per review, judges by name or numbered, and
a blind challenge's sheets never name the team."""

import csv
import io

import pytest
from django.urls import reverse

from judging import services
from judging.models import ChallengeJudging

pytestmark = pytest.mark.django_db


def _sheet(client, challenge, *, anonymised: bool) -> list[list[str]]:
    response = client.post(
        reverse("exports:api-exports"),
        {
            "dataset": "score-sheets",
            "params": {"challenge": challenge.pk, "anonymised": anonymised},
            "format": "csv-excel",
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def reviewed(blind_entry):
    c1, c2 = blind_entry["criteria"]
    entry = blind_entry["entry"]
    for key, name in (("judge", "Nguyen Thi Lan"), ("other_judge", "Wang Jianguo")):
        blind_entry[key].display_name = name
        blind_entry[key].save()
    services.review_save(
        judge=blind_entry["judge"], entry_id=entry.pk, scores={c1.pk: 4, c2.pk: 2}, submit=True
    )
    services.review_save(judge=blind_entry["other_judge"], entry_id=entry.pk, scores={c1.pk: 5})
    return blind_entry


def test_blind_sheets_name_judges_and_scores_but_never_the_team(organizer_client, reviewed):
    rows = _sheet(organizer_client, reviewed["entry"].challenge, anonymised=False)
    assert rows[0] == [
        "Entry code", "Judge", "C1", "C2", "Weighted total", "Status", "Submitted at",
    ]  # fmt: skip
    by_judge = {r[1]: r for r in rows[1:]}
    judge, other = reviewed["judge"].display_name, reviewed["other_judge"].display_name
    assert by_judge[judge][:6] == ["II-7F3K", judge, "4", "2", "3.2", "Submitted"]
    assert by_judge[judge][6]  # submitted at
    assert by_judge[other][:7] == ["II-7F3K", other, "5", "", "", "Draft", ""]
    text = "\n".join(",".join(r) for r in rows)
    for secret in reviewed["identifying"]:
        assert secret not in text


def test_anonymised_sheets_number_the_judges(organizer_client, reviewed):
    rows = _sheet(organizer_client, reviewed["entry"].challenge, anonymised=True)
    assert sorted(r[1] for r in rows[1:]) == ["Judge 1", "Judge 2"]
    text = "\n".join(",".join(r) for r in rows)
    assert reviewed["judge"].display_name not in text


def test_an_open_challenge_s_sheets_name_the_team_unless_anonymised_judges_only(
    organizer_client, reviewed
):
    challenge = reviewed["entry"].challenge
    ChallengeJudging.objects.filter(challenge=challenge).update(blind=False)
    for anonymised in (False, True):
        rows = _sheet(organizer_client, challenge, anonymised=anonymised)
        assert rows[0][:3] == ["Entry code", "Team", "Judge"]
        assert {r[1] for r in rows[1:]} == {"Mekong Sparks"}


def test_an_unknown_challenge_or_a_bad_flag_is_refused(organizer_client, reviewed):
    for params, field in (
        ({"challenge": 999999}, "challenge"),
        (
            {"challenge": reviewed["entry"].challenge_id, "anonymised": "maybe"},
            "anonymised",
        ),
    ):
        response = organizer_client.post(
            reverse("exports:api-exports"),
            {"dataset": "score-sheets", "params": params, "format": "csv"},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert field in response.json()["details"]
